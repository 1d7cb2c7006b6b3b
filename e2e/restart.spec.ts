import type { Page } from "@playwright/test";
import { expect, screenshot, selectWorkspace, test, workspaceRow } from "./fixtures";

function detail(page: Page) {
  return page.getByRole("region", { name: "Workspace detail" });
}

async function confirmRestart(page: Page, name: string, method: "cp" | "tenant") {
  await detail(page).getByRole("button", { name: "Restart", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Restart ${name}?` });
  await expect(dialog).toBeVisible();
  if (method === "tenant") await dialog.getByRole("radio", { name: /^tenant/ }).check();
  await expect(dialog.getByTestId("restart-summary")).toContainText(name);
  await expect(dialog.getByTestId("restart-summary")).toContainText(
    method === "cp" ? "via cp (control plane)" : "via tenant (tenant platform)",
  );
  await screenshot(page, `restart-confirm-${method}`);
  // The same accessible name as the button that opened it, so the second click confirms.
  await page.getByRole("button", { name: "Restart", exact: true }).click();
  await expect(dialog).toBeHidden();
}

test.describe("restart", () => {
  test("via cp: confirm names the workspace and method, then a timed trail to the new instance", async ({
    app: page,
    ops,
  }) => {
    await selectWorkspace(page, "e2e-alpha");
    const before = ops.known.alpha.instance_id;
    await expect(detail(page).getByTestId("detail-instance")).toHaveText(before ?? "");
    await confirmRestart(page, "e2e-alpha", "cp");

    const trail = page.getByRole("region", { name: "Restart progress" });
    await expect(trail).toBeVisible();
    await expect(trail.getByRole("button", { name: /^Cancel — Stop in \d s$/ })).toBeVisible();
    await expect(trail.locator(".trail__phase")).toHaveText("Done", { timeout: 20_000 });
    const steps = await trail.locator(".trail__name").allTextContents();
    for (const step of ["confirmed", "sent", "pre_stop", "stop", "start", "started", "status running", "done"]) {
      expect(steps).toContain(step);
    }
    expect(steps.indexOf("pre_stop")).toBeLessThan(steps.indexOf("stop"));
    expect(steps.indexOf("stop")).toBeLessThan(steps.indexOf("started"));
    // Every step has its time.
    await expect(trail.locator("time")).toHaveCount(steps.length);
    for (const t of await trail.locator("time").allTextContents()) expect(t).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
    await screenshot(page, "restart-done");

    const after = ops.sim.state.workspace(ops.known.alpha.id)?.instance_id;
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    await expect(trail.getByRole("status")).toHaveText(`Restarted on instance ${after}.`);
    await expect(detail(page).getByTestId("detail-instance")).toHaveText(after ?? "");
    await expect(workspaceRow(page, "e2e-alpha").getByRole("gridcell").nth(4)).toHaveText(after ?? "");
  });

  test("cancel before the Stop: nothing is sent to the control plane", async ({ app: page, ops }) => {
    await selectWorkspace(page, "e2e-delta");
    const stopsBefore = ops.sim.state.requests().filter((r) => r.route === "cp.stop").length;
    await confirmRestart(page, "e2e-delta", "cp");
    const trail = page.getByRole("region", { name: "Restart progress" });
    await trail.getByRole("button", { name: /^Cancel — Stop in/ }).click();
    await expect(trail.locator(".trail__phase")).toHaveText("Cancelled");
    await expect(trail).toContainText("nothing was sent");
    await page.waitForTimeout(3500);
    expect(ops.sim.state.requests().filter((r) => r.route === "cp.stop")).toHaveLength(stopsBefore);
    await expect(detail(page).getByTestId("detail-instance")).toHaveText(ops.known.delta.instance_id ?? "");
  });

  test("Stop answering 503: a clear failure, the workspace and its instance mapping kept", async ({
    app: page,
    ops,
  }) => {
    await selectWorkspace(page, "e2e-bravo");
    const before = ops.known.bravo.instance_id ?? "";
    ops.sim.faults.set("cp.stop", { kind: "status", status: 503 }, { times: 1 });
    try {
      await confirmRestart(page, "e2e-bravo", "cp");
      const trail = page.getByRole("region", { name: "Restart progress" });
      await expect(trail.locator(".trail__phase")).toHaveText("Failed", { timeout: 20_000 });
      const failure = trail.getByRole("alert");
      await expect(failure).toContainText("Restart failed at step “stop”");
      await expect(failure).toContainText("503");
      await expect(failure).toContainText(before);
      const steps = await trail.locator(".trail__name").allTextContents();
      expect(steps).toContain("pre_stop");
      expect(steps).not.toContain("started");
      await screenshot(page, "restart-failed");

      // Still listed, still bound to the instance it had; the CP never started another.
      await expect(workspaceRow(page, "e2e-bravo").getByRole("gridcell").nth(4)).toHaveText(before);
      await detail(page).getByRole("tab", { name: "Overview" }).click();
      await expect(detail(page).getByTestId("detail-instance")).toHaveText(before);
      expect(ops.sim.state.workspace(ops.known.bravo.id)?.instance_id).toBe(before);
      expect(ops.sim.state.instance(before)?.state).toBe("running");
    } finally {
      ops.sim.faults.clear("cp.stop");
    }
  });
});
