import type { Response } from "@playwright/test";
import { expect, selectWorkspace, test } from "./fixtures";

/** Each configured secret, and its first 8 characters (a prefix is a leak too: docs/contracts.md §5). */
function needles(secrets: readonly string[]): string[] {
  return secrets.flatMap((s) => [s, s.slice(0, 8)]);
}

function leaks(text: string, secrets: readonly string[]): string[] {
  return needles(secrets).filter((n) => text.includes(n));
}

test.describe("secrets", () => {
  test("no configured secret in the DOM, in storage, in cookies or in any response", async ({ page, ops, context }) => {
    expect(ops.secrets).toHaveLength(3);
    const bodies: Array<{ url: string; text: string }> = [];
    const pending: Promise<void>[] = [];
    page.on("response", (res: Response) => {
      if ((res.headers()["content-type"] ?? "").includes("text/event-stream")) return;
      pending.push(
        res
          .body()
          .then((b) => {
            bodies.push({ url: res.url(), text: b.toString("utf8") });
          })
          .catch(() => {}),
      );
    });

    await page.goto(ops.url);
    await expect(page.getByRole("grid", { name: "Workspaces" }).getByRole("row").nth(1)).toBeVisible();
    // The token leaves the address bar at once (it stays in the page's memory only).
    expect(page.url()).not.toContain("token=");

    // Every screen and every kind of answer: list, detail, status check, console, events,
    // timeline, export, settings, profiles, connection test, palette.
    await selectWorkspace(page, "e2e-crash");
    await page.getByRole("button", { name: "Check status" }).click();
    await expect(page.getByRole("toolbar", { name: "Workspace actions" }).getByRole("status")).not.toBeEmpty();
    await page.getByRole("tab", { name: "Console" }).click();
    await expect(page.getByRole("region", { name: "Serial console" }).locator(".cl").first()).toBeVisible();
    await page.getByRole("tab", { name: "Events" }).click();
    await expect(page.getByRole("table", { name: "Workspace events" })).toBeVisible();
    await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: "Timeline" }).click();
    await expect(page.getByRole("table", { name: "Timeline events" })).toBeVisible();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export JSONL" }).click(),
    ]);
    const exported = await download.path();
    expect(exported).toBeTruthy();
    await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: "Settings" }).click();
    await page.getByRole("button", { name: "Test connection" }).first().click();
    await expect(page.getByTestId("profile-test-result")).toContainText("tenant OK");
    await page.keyboard.press("Control+k");
    await page.getByRole("combobox", { name: "Jump to a workspace or action" }).fill("e2e");
    await page.keyboard.press("Escape");
    await page.waitForTimeout(500);
    await Promise.all(pending);

    // Network: every response body the page received (the event streams are read below).
    expect(bodies.length).toBeGreaterThan(15);
    for (const b of bodies) expect(leaks(b.text, ops.secrets), `response ${b.url}`).toEqual([]);

    // The live subscription's stream, read as the page reads it.
    const sse = await fetch(`${ops.origin}/api/subscribe/live?input=%7B%7D`, {
      headers: { "x-molecule-ops-token": ops.token },
    });
    const reader = sse.body?.getReader();
    let streamed = "";
    const until = Date.now() + 2000;
    while (reader && Date.now() < until) {
      const r = await Promise.race([
        reader.read(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), until - Date.now())),
      ]);
      if (!r || r.done) break;
      streamed += new TextDecoder().decode(r.value);
    }
    await reader?.cancel();
    expect(streamed).toContain('"kind":"connection"');
    expect(leaks(streamed, ops.secrets)).toEqual([]);

    // DOM (markup and the values of every field), storage, cookies.
    const dom = await page.evaluate(() => {
      const values = [...document.querySelectorAll("input, textarea, select")].map(
        (e) => (e as HTMLInputElement).value,
      );
      return `${document.documentElement.outerHTML}\n${values.join("\n")}`;
    });
    expect(leaks(dom, ops.secrets)).toEqual([]);
    expect(dom).not.toContain(ops.token);
    const storage = await page.evaluate(() => {
      const dump = (s: Storage) =>
        Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i) ?? "")}`);
      return [...dump(localStorage), ...dump(sessionStorage)].join("\n");
    });
    expect(leaks(storage, ops.secrets)).toEqual([]);
    expect(storage).not.toContain(ops.token);
    const cookies = JSON.stringify(await context.cookies());
    expect(leaks(cookies, ops.secrets)).toEqual([]);
    expect(cookies).not.toContain(ops.token);
    const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(databases).toEqual([]);
  });
});
