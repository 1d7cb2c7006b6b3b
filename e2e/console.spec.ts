import { readFile } from "node:fs/promises";
import { expect, screenshot, selectWorkspace, test } from "./fixtures";

/** The console as the CP serves it to anyone holding the admin secret (the test does; the page never). */
async function cpConsole(ops: { sim: { url: string; env: Record<string, string> } }, id: string): Promise<string> {
  const res = await fetch(`${ops.sim.url}/cp/admin/workspaces/${id}/console`, {
    headers: {
      authorization: `Bearer ${ops.sim.env.CP_ADMIN_API_TOKEN}`,
      "x-molecule-admin-token": ops.sim.env.ADMIN_TOKEN ?? "",
    },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { output: string }).output;
}

test.describe("serial console", () => {
  test("highlights the crash, searches with a count and next/previous, follows, and downloads what it shows", async ({
    app: page,
    ops,
  }) => {
    await selectWorkspace(page, "e2e-crash");
    await page.getByRole("tab", { name: "Console" }).click();
    const region = page.getByRole("region", { name: "Serial console" });
    await expect(region).toBeVisible();
    const output = region.getByRole("log", { name: "Console output" });
    await expect(output.locator(".cl").first()).toBeVisible();

    // RUNTIME CRASHED and the traceback that follows it are marked.
    const search = region.getByRole("searchbox", { name: "Search console" });
    const count = region.getByTestId("console-match-count");
    await search.fill("RUNTIME CRASHED");
    await expect(count).toHaveText("1 of 1");
    await expect(output.locator(".cl--crash")).toHaveCount(1);
    await expect(output.locator(".cl--crash")).toContainText("RUNTIME CRASHED");
    await expect(output.locator(".cl--traceback").first()).toContainText("Traceback (most recent call last):");
    await expect(output.locator(".cl--exception")).toHaveCount(1);
    await expect(output.locator(".hit--current")).toHaveText("RUNTIME CRASHED");
    await screenshot(page, "console-crash");

    // A frequent word: the count, then next and previous (and wrap-around).
    await search.fill("cloud-init");
    await expect(count).toHaveText(/^1 of \d+$/);
    const total = Number((await count.textContent())?.split(" of ")[1]);
    expect(total).toBeGreaterThan(3);
    await region.getByRole("button", { name: "Next match" }).click();
    await expect(count).toHaveText(`2 of ${total}`);
    await search.press("Enter");
    await expect(count).toHaveText(`3 of ${total}`);
    await search.press("Shift+Enter");
    await region.getByRole("button", { name: "Previous match" }).click();
    await expect(count).toHaveText(`1 of ${total}`);
    await region.getByRole("button", { name: "Previous match" }).click();
    await expect(count).toHaveText(`${total} of ${total}`);
    await search.fill("no such text anywhere");
    await expect(count).toHaveText("No matches");
    await search.fill("");

    // Wrap, manual refresh and follow: each fetch is stamped.
    await region.getByRole("checkbox", { name: "Wrap lines" }).check();
    await expect(output).toHaveClass(/console__output--wrap/);
    await region.getByRole("button", { name: "Refresh" }).click();
    await region.getByRole("combobox", { name: "Refresh interval" }).selectOption("2000");
    await region.getByRole("checkbox", { name: "Follow" }).check();
    await region.getByText(/Fetch history/).click();
    await expect(region.locator(".console__stamps li")).toHaveCount(4, { timeout: 15_000 });
    await region.getByRole("checkbox", { name: "Follow" }).uncheck();
    await expect(region.getByTestId("console-fetched")).toContainText(/Fetched \d\d:\d\d:\d\d\.\d{3}/);

    // The download is exactly the console the CP returned.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      region.getByRole("button", { name: "Download" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^console-e2e-crash-.*\.log$/);
    const saved = await readFile((await download.path()) as string, "utf8");
    expect(saved).toBe(await cpConsole(ops, ops.known.crash.id));
    expect(saved).toContain("RUNTIME CRASHED");
    expect(saved).toContain("\u001b[0;32m");
  });

  test("renders colours as classes and markup as text: console output cannot inject HTML", async ({
    app: page,
    ops,
  }) => {
    const hostile = [
      "\u001b[1;31mred bold\u001b[0m then plain",
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>',
      "\u001b]0;title\u0007<b>not bold</b> \u001b[38;2;10;200;30mtruecolor\u001b[0m",
    ].join("\r\n");
    ops.sim.faults.set(
      "cp.console",
      { kind: "status", status: 200, body: JSON.stringify({ output: `${hostile}\r\n` }) },
      { times: 3 },
    );
    try {
      await selectWorkspace(page, "e2e-delta");
      await page.getByRole("tab", { name: "Console" }).click();
      const region = page.getByRole("region", { name: "Serial console" });
      await expect(region.getByText('<img src=x onerror="window.__pwned=1">', { exact: false })).toBeVisible();
      await expect(region.locator("img, script, b")).toHaveCount(0);
      await expect(region.locator(".a-fg1.a-b")).toHaveText("red bold");
      await expect(region.getByText("truecolor")).toHaveCSS("color", "rgb(10, 200, 30)");
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    } finally {
      ops.sim.faults.clear("cp.console");
    }
  });
});
