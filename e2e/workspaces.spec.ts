import { expect, screenshot, selectWorkspace, test, workspaceGrid, workspaceRow } from "./fixtures";
import { testNow } from "./test-clock";

test.describe("workspaces", () => {
  test("lists every workspace with its status, runtime, tier, instance and as-of time, and filters", async ({
    app: page,
    ops,
  }) => {
    const all = ops.sim.state.workspaces();
    const grid = workspaceGrid(page);
    // aria-rowcount counts the header row: the table holds every workspace, virtualized.
    await expect(grid).toHaveAttribute("aria-rowcount", String(all.length + 1));

    // e2e-delta: a workspace no other test changes (they share the emulator).
    const delta = workspaceRow(page, "e2e-delta");
    const cells = delta.getByRole("gridcell");
    await expect(cells.nth(0)).toHaveText("e2e-delta");
    await expect(cells.nth(1)).toHaveText("online");
    await expect(cells.nth(2)).toHaveText("autogen");
    await expect(cells.nth(3)).toHaveText("4");
    // The instance the tenant's server log named (imported before the host started): its API never says.
    const deltaInstance = ops.sim.state.instanceOf(ops.known.delta.id);
    expect(deltaInstance).toMatch(/^i-[0-9a-f]{17}$/);
    await expect(cells.nth(4)).toHaveText(deltaInstance ?? "");
    // As of the host's last sync, today on the page's clock: a time without a date.
    await expect(cells.nth(5)).toHaveText(/^\d\d:\d\d:\d\d$/);
    // A status docs/contracts.md does not list is shown as itself, never as "offline".
    await expect(workspaceRow(page, "e2e-quarantined").getByRole("gridcell").nth(1)).toHaveText("quarantined");
    await screenshot(page, "workspaces");

    // Text: every word, anywhere in name, id or instance.
    const filter = page.getByRole("searchbox", { name: "Filter workspaces by text" });
    await filter.fill("e2e-");
    await expect(grid).toHaveAttribute("aria-rowcount", "8");
    await filter.fill(ops.sim.state.instanceOf(ops.known.bravo.id) ?? "none");
    await expect(grid).toHaveAttribute("aria-rowcount", "2");
    await expect(grid.getByRole("row").nth(1).getByRole("gridcell").first()).toHaveText("e2e-bravo");
    await filter.fill("e2e-");

    // Status, runtime and tier menus, alone and together.
    await page.getByRole("combobox", { name: "Status" }).selectOption("quarantined");
    await expect(grid).toHaveAttribute("aria-rowcount", "2");
    await page.getByRole("combobox", { name: "Status" }).selectOption("");
    await page.getByRole("combobox", { name: "Runtime" }).selectOption("hermes");
    await expect(grid).toHaveAttribute("aria-rowcount", "2");
    await expect(grid.getByRole("row").nth(1).getByRole("gridcell").first()).toHaveText("e2e-charlie");
    await page.getByRole("combobox", { name: "Runtime" }).selectOption("");
    await page.getByRole("combobox", { name: "Tier" }).selectOption("4");
    const tier4 = all.filter((w) => w.tier === 4 && w.name.startsWith("e2e-")).length;
    await expect(grid).toHaveAttribute("aria-rowcount", String(tier4 + 1));
    await page.getByRole("button", { name: "Clear filters" }).first().click();
    await expect(grid).toHaveAttribute("aria-rowcount", String(all.length + 1));

    // Sorting: by name descending, then by status (most urgent first).
    const first = () => grid.getByRole("row").nth(1).getByRole("gridcell").first();
    const byName = [...all].map((w) => w.name).sort(new Intl.Collator(undefined, { numeric: true }).compare);
    await expect(first()).toHaveText(byName[0] ?? "");
    await page.getByRole("button", { name: "Name" }).click();
    await expect(page.getByRole("columnheader", { name: "Name" })).toHaveAttribute("aria-sort", "descending");
    await expect(first()).toHaveText(byName[byName.length - 1] ?? "");
    await page.getByRole("button", { name: "Status" }).click();
    await expect(page.getByRole("columnheader", { name: "Status" })).toHaveAttribute("aria-sort", "ascending");
    await expect(grid.getByRole("row").nth(1).getByRole("gridcell").nth(1)).toHaveText(/failed|uncertain/);

    // Liveness: the agent's heartbeats on the tenant's /ws feed, stamped by the tenant's clock (the test clock).
    // The detail is read once on selection (no refetch on heartbeats): select it once the host has
    // stored one, which a fast run can reach before the first flush (heartbeats every 2 s, flushed each 1 s).
    await expect
      .poll(
        async () => {
          const res = await fetch(`${ops.origin}/api/request/workspaces.get`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-molecule-ops-token": ops.token },
            body: JSON.stringify({ id: ops.known.delta.id }),
          });
          const body = (await res.json()) as { result?: { workspace?: { lastHeartbeatAt: string | null } } };
          return body.result?.workspace?.lastHeartbeatAt ?? null;
        },
        { timeout: 10_000 },
      )
      .not.toBeNull();
    await selectWorkspace(page, "e2e-delta");
    const lastHeartbeat = page
      .getByRole("region", { name: "Workspace detail" })
      .getByRole("region", { name: "Fields" })
      .locator('dt:text-is("Last heartbeat") + dd');
    await expect(lastHeartbeat).toHaveText(
      new RegExp(`^${new Date(testNow()).toISOString().slice(0, 10)} \\d\\d:\\d\\d:\\d\\d$`),
    );
  });

  test("a live status change arrives in place: scroll position and selection stay", async ({ app: page, ops }) => {
    await selectWorkspace(page, "e2e-charlie");
    const scroller = page.locator(".ws-scroll");
    // Keep e2e-charlie on screen but the list scrolled, then change its status on the tenant.
    await scroller.evaluate((el) => {
      el.scrollTop = 0;
    });
    const rowTop = await workspaceRow(page, "e2e-charlie").evaluate((el) => (el as HTMLElement).offsetTop);
    const offset = Math.max(0, Math.min(rowTop - 60, 90));
    await scroller.evaluate((el, y) => {
      el.scrollTop = y;
    }, offset);
    const before = await scroller.evaluate((el) => el.scrollTop);

    ops.sim.state.setWorkspaceStatus(ops.known.charlie.id, "degraded");

    const row = workspaceRow(page, "e2e-charlie");
    await expect(row.getByRole("gridcell").nth(1)).toHaveText("degraded");
    await expect(row).toHaveAttribute("aria-selected", "true");
    await expect(page.getByRole("region", { name: "Workspace detail" }).locator(".detail__title .badge")).toHaveText(
      "degraded",
    );
    expect(await scroller.evaluate((el) => el.scrollTop)).toBe(before);

    ops.sim.state.setWorkspaceStatus(ops.known.charlie.id, "online");
    await expect(row.getByRole("gridcell").nth(1)).toHaveText("online");
    await expect(row).toHaveAttribute("aria-selected", "true");
  });

  test("keyboard: the palette jumps to a workspace, arrows move the selection, t switches theme", async ({
    app: page,
  }) => {
    await page.keyboard.press("Control+k");
    const palette = page.getByRole("dialog", { name: "Command palette" });
    await expect(palette).toBeVisible();
    const query = page.getByRole("combobox", { name: "Jump to a workspace or action" });
    await query.fill("e2e");
    await expect(palette.getByRole("option")).toHaveCount(7);
    await screenshot(page, "command-palette");
    await query.fill("e2e-delta");
    await expect(palette.getByRole("option").first()).toContainText("e2e-delta");
    await page.keyboard.press("Enter");
    await expect(palette).toBeHidden();
    await expect(
      page.getByRole("region", { name: "Workspace detail" }).getByRole("heading", { name: "e2e-delta" }),
    ).toBeVisible();

    await workspaceGrid(page).focus();
    await page.keyboard.press("ArrowDown");
    await expect(
      page.getByRole("region", { name: "Workspace detail" }).getByRole("heading", { level: 2 }),
    ).not.toHaveText("e2e-delta");

    await page.keyboard.press("t");
    await expect(page.locator("html")).toHaveAttribute("data-theme", /dark|light/);
    const theme = await page.locator("html").getAttribute("data-theme");
    if (theme !== "dark") {
      await page.keyboard.press("t");
      await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    }
    await selectWorkspace(page, "e2e-alpha");
    await screenshot(page, "workspaces-dark");
    await page.keyboard.press("t");
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");

    await page.keyboard.press("?");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeHidden();
  });
});
