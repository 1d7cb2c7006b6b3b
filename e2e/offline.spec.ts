import { expect, openApp, screenshot, test, workspaceGrid, workspaceRow } from "./fixtures";
import { startOpsEnv } from "./ops-env";

test.describe("offline", () => {
  test("with the emulator stopped: the cached rows stay, under a stale/offline banner with the last update", async ({
    page,
  }) => {
    // Its own emulator and host: this test stops the emulator for good.
    const env = await startOpsEnv({ workspaces: 12 });
    try {
      await openApp(page, env.url);
      const grid = workspaceGrid(page);
      const total = env.sim.state.workspaces().length;
      // On file from the tenant's server log, imported before the host started (its API never says).
      const bravoInstance = env.sim.state.instanceOf(env.known.bravo.id);
      expect(bravoInstance).toMatch(/^i-[0-9a-f]{17}$/);
      await expect(grid).toHaveAttribute("aria-rowcount", String(total + 1));
      const banner = page.getByRole("alert", { name: "Connection problem" });
      await expect(banner).toBeHidden();

      await env.sim.close();

      // The open page learns it from the live feed (the tenant's /ws drops, a sync then fails).
      await expect(banner).toBeVisible({ timeout: 20_000 });
      await expect(banner).toContainText("Offline");
      await expect(banner).toContainText(/Last update: \d\d:\d\d:\d\d \((\d+ s ago|\d+ min ago|just now)\)/);
      await expect(grid).toHaveAttribute("aria-rowcount", String(total + 1));
      await expect(workspaceRow(page, "e2e-alpha").getByRole("gridcell").nth(1)).toHaveText(/online|uncertain/);
      await expect(page.getByRole("status", { name: "Live status: offline" })).toBeVisible();
      await screenshot(page, "offline");

      // A fresh page while the tenant and the CP are down: the host answers from its SQLite cache.
      await openApp(page, env.url);
      await expect(grid).toHaveAttribute("aria-rowcount", String(total + 1));
      await expect(workspaceRow(page, "e2e-bravo").getByRole("gridcell").nth(4)).toHaveText(bravoInstance ?? "");
      await expect(banner).toBeVisible({ timeout: 20_000 });
      await expect(banner).toContainText("Offline");

      // Retry keeps saying so, and keeps the rows.
      await banner.getByRole("button", { name: "Retry now" }).click();
      await expect(banner).toContainText("Offline");
      await expect(grid).toHaveAttribute("aria-rowcount", String(total + 1));
    } finally {
      await env.close();
    }
  });
});
