import { readFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import { expect, screenshot, selectWorkspace, test, workspaceRow } from "./fixtures";
import type { OpsEnv } from "./ops-env";

function detail(page: Page) {
  return page.getByRole("region", { name: "Workspace detail" });
}

/** The instance on file as the overview shows it (the hint below it is a sibling). */
function instanceOnFile(page: Page): Locator {
  return detail(page).getByTestId("detail-instance").locator(".mono");
}

function requestsOf(ops: OpsEnv, route: string, workspaceId?: string) {
  return ops.sim.state
    .requests()
    .filter((r) => r.route === route && (workspaceId === undefined || r.url.includes(workspaceId)));
}

/** Opens the dialog (the tenant is the default), picks the method, checks the summary, confirms. */
async function confirmRestart(page: Page, name: string, method: "cp" | "tenant") {
  await detail(page).getByRole("button", { name: "Restart", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Restart ${name}?` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("radio", { name: /^tenant/ })).toBeChecked();
  if (method === "cp") {
    await expect(dialog.getByTestId("restart-cp-blocked")).toBeHidden();
    await dialog.getByRole("radio", { name: /^cp/ }).check();
  }
  await expect(dialog.getByTestId("restart-summary")).toContainText(name);
  await expect(dialog.getByTestId("restart-summary")).toContainText(
    method === "cp" ? "via cp (control plane)" : "via tenant (tenant platform)",
  );
  await screenshot(page, `restart-confirm-${method}`);
  // The same accessible name as the button that opened it, so the second click confirms.
  await page.getByRole("button", { name: "Restart", exact: true }).click();
  await expect(dialog).toBeHidden();
}

/** The trail's step names, once it has reached `phase`. */
async function finishedSteps(trail: Locator, phase: string): Promise<string[]> {
  await expect(trail.locator(".trail__phase")).toHaveText(phase, { timeout: 20_000 });
  return trail.locator(".trail__name").allTextContents();
}

function expectInOrder(steps: string[], order: string[]) {
  for (const step of order) expect(steps).toContain(step);
  for (let i = 1; i < order.length; i++) {
    expect(steps.indexOf(order[i - 1] as string), `${order[i - 1]} before ${order[i]}`).toBeLessThan(
      steps.indexOf(order[i] as string),
    );
  }
}

/**
 * Every step has its time, to the millisecond, and its delay since the confirm: the page's steps
 * and the host's are stamped by two clocks (the test clock in both), so these stay small and never
 * negative.
 */
async function expectTimed(trail: Locator, steps: string[]) {
  await expect(trail.locator("time")).toHaveCount(steps.length);
  for (const t of await trail.locator("time").allTextContents()) expect(t).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
  const deltas = await trail.locator(".trail__delta").allTextContents();
  expect(deltas).toHaveLength(steps.length);
  for (const d of deltas) {
    const m = /^\+(\d+) ms$|^\+(\d+\.\d+) s$/.exec(d);
    expect(m, `delay ${d}`).not.toBeNull();
    const ms = m?.[1] !== undefined ? Number(m[1]) : Number(m?.[2]) * 1000;
    expect(ms, `delay ${d}`).toBeLessThan(30_000);
  }
}

test.describe("restart", () => {
  test("via tenant (the default): confirm names the workspace and method, a timed trail, then the new instance from the server log", async ({
    app: page,
    ops,
  }) => {
    const id = ops.known.alpha.id;
    await selectWorkspace(page, "e2e-alpha");
    const before = ops.sim.state.instanceOf(id);
    expect(before).toMatch(/^i-[0-9a-f]{17}$/);
    await expect(instanceOnFile(page)).toHaveText(before ?? "");
    await expect(detail(page).getByTestId("instance-hint")).toBeHidden();
    const stopsBefore = requestsOf(ops, "cp.stop").length;
    await confirmRestart(page, "e2e-alpha", "tenant");

    const trail = page.getByRole("region", { name: "Restart progress" });
    await expect(trail).toBeVisible();
    await expect(trail.getByRole("button", { name: /^Cancel — request in \d s$/ })).toBeVisible();
    const steps = await finishedSteps(trail, "Done");
    expectInOrder(steps, ["confirmed", "sent", "request", "accepted", "status provisioning", "status online", "done"]);
    // The tenant stops its instance itself: the console sends no Stop and never Starts anything.
    for (const step of ["pre_stop", "stop", "stopped", "start", "started"]) expect(steps).not.toContain(step);
    await expectTimed(trail, steps);
    await expect(trail.getByRole("status")).toHaveText(
      "Restarted. The tenant booted a new instance and keeps its id to itself: import its server log to learn it.",
    );
    await screenshot(page, "restart-done");

    expect(requestsOf(ops, "tenant.restart", id)).toHaveLength(1);
    expect(requestsOf(ops, "cp.stop")).toHaveLength(stopsBefore);
    expect(requestsOf(ops, "cp.provision")).toEqual([]);
    const after = ops.sim.state.instanceOf(id);
    expect(after).toMatch(/^i-[0-9a-f]{17}$/);
    expect(after).not.toBe(before);
    await expect.poll(() => ops.sim.state.instance(before ?? "")?.state).toBe("terminated");

    // The tenant keeps the new id to itself: the instance on file may have been replaced.
    await detail(page).getByRole("tab", { name: "Overview" }).click();
    await expect(detail(page).getByTestId("instance-hint")).toContainText("it may have been replaced");
    await expect(instanceOnFile(page)).toHaveText(before ?? "");

    // Its server log says which: import it (Timeline → Import), as staff do with a real tenant.
    await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: "Timeline" }).click();
    const importZone = page.getByRole("region", { name: "Import a log" });
    // The log as it is now (the tenant keeps appending to it: Chromium refuses to upload a file
    // that changed after it was picked, net::ERR_UPLOAD_FILE_CHANGED), as staff save it from a tenant.
    await importZone.getByLabel("Log file to import").setInputFiles({
      name: "tenant-server.log",
      mimeType: "text/plain",
      buffer: await readFile(ops.serverLog),
    });
    await expect(page.getByRole("status", { name: "Import report" })).toContainText("tenant-server.log");
    await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: "Workspaces" }).click();
    await selectWorkspace(page, "e2e-alpha");
    await expect(instanceOnFile(page)).toHaveText(after ?? "");
    await expect(detail(page).getByTestId("instance-hint")).toBeHidden();
    await expect(workspaceRow(page, "e2e-alpha").getByRole("gridcell").nth(4)).toHaveText(after ?? "");
  });

  test("via cp on a current instance: pre_stop, Stop, then the tenant's restart; never a CP Start", async ({
    app: page,
    ops,
  }) => {
    const id = ops.known.charlie.id;
    await selectWorkspace(page, "e2e-charlie");
    const before = ops.sim.state.instanceOf(id);
    expect(before).toMatch(/^i-[0-9a-f]{17}$/);
    await expect(instanceOnFile(page)).toHaveText(before ?? "");
    await confirmRestart(page, "e2e-charlie", "cp");

    const trail = page.getByRole("region", { name: "Restart progress" });
    await expect(trail).toBeVisible();
    await expect(trail.getByRole("button", { name: /^Cancel — Stop in \d s$/ })).toBeVisible();
    const steps = await finishedSteps(trail, "Done");
    expectInOrder(steps, [
      "confirmed",
      "sent",
      "pre_stop",
      "stop",
      "stopped",
      "request",
      "accepted",
      "status online",
      "done",
    ]);
    for (const step of ["start", "started"]) expect(steps).not.toContain(step);
    await expectTimed(trail, steps);
    await expect(trail.getByRole("status")).toHaveText(
      `Restarted (instance ${before} stopped first). The tenant booted a new instance and keeps its id to itself: import its server log to learn it.`,
    );

    // The Stop went to the instance on file; the tenant booted the new machine, the CP was never asked to.
    const stops = requestsOf(ops, "cp.stop", id);
    expect(stops).toHaveLength(1);
    expect(stops[0]?.url).toContain(before);
    expect(requestsOf(ops, "tenant.restart", id)).toHaveLength(1);
    expect(requestsOf(ops, "cp.provision")).toEqual([]);
    await expect.poll(() => ops.sim.state.instance(before ?? "")?.state).toBe("terminated");
    const after = ops.sim.state.instanceOf(id);
    expect(after).toMatch(/^i-[0-9a-f]{17}$/);
    expect(after).not.toBe(before);
    // The stopped instance is no longer the workspace's, and the new one is the tenant's to tell.
    await detail(page).getByRole("tab", { name: "Overview" }).click();
    await expect(instanceOnFile(page)).toHaveText("none on file");
    await expect(detail(page).getByTestId("instance-hint")).toContainText("import the tenant's server log");
  });

  test("cancel before the Stop: nothing is sent to the control plane or the tenant", async ({ app: page, ops }) => {
    const id = ops.known.delta.id;
    await selectWorkspace(page, "e2e-delta");
    const instance = ops.sim.state.instanceOf(id);
    expect(instance).toMatch(/^i-[0-9a-f]{17}$/);
    const stopsBefore = requestsOf(ops, "cp.stop").length;
    const restartsBefore = requestsOf(ops, "tenant.restart").length;
    await confirmRestart(page, "e2e-delta", "cp");
    const trail = page.getByRole("region", { name: "Restart progress" });
    await trail.getByRole("button", { name: /^Cancel — Stop in/ }).click();
    await expect(trail.locator(".trail__phase")).toHaveText("Cancelled");
    await expect(trail).toContainText("nothing was sent");
    await page.waitForTimeout(3500);
    expect(requestsOf(ops, "cp.stop")).toHaveLength(stopsBefore);
    expect(requestsOf(ops, "tenant.restart")).toHaveLength(restartsBefore);
    await expect(instanceOnFile(page)).toHaveText(instance ?? "");
    await expect(detail(page).getByTestId("instance-hint")).toBeHidden();
    expect(ops.sim.state.instanceOf(id)).toBe(instance);
    expect(ops.sim.state.instance(instance ?? "")?.state).toBe("running");
  });

  test("Stop answering 503: a clear failure, the tenant not asked, the workspace and its instance mapping kept", async ({
    app: page,
    ops,
  }) => {
    const id = ops.known.bravo.id;
    await selectWorkspace(page, "e2e-bravo");
    const before = ops.sim.state.instanceOf(id) ?? "";
    expect(before).toMatch(/^i-[0-9a-f]{17}$/);
    ops.sim.faults.set("cp.stop", { kind: "status", status: 503 }, { times: 1 });
    try {
      await confirmRestart(page, "e2e-bravo", "cp");
      const trail = page.getByRole("region", { name: "Restart progress" });
      const steps = await finishedSteps(trail, "Failed");
      const failure = trail.getByRole("alert");
      await expect(failure).toContainText("Restart failed at step “stop”");
      await expect(failure).toContainText("503");
      await expect(failure).toContainText(before);
      expect(steps).toContain("pre_stop");
      for (const step of ["stopped", "request", "accepted", "started"]) expect(steps).not.toContain(step);
      await screenshot(page, "restart-failed");

      // The tenant was never asked, and the CP never started another machine.
      expect(requestsOf(ops, "cp.stop", id)).toHaveLength(1);
      expect(requestsOf(ops, "tenant.restart", id)).toEqual([]);
      expect(requestsOf(ops, "cp.provision")).toEqual([]);
      // Still listed, still bound to the instance it had, which still runs.
      await expect(workspaceRow(page, "e2e-bravo").getByRole("gridcell").nth(4)).toHaveText(before);
      await detail(page).getByRole("tab", { name: "Overview" }).click();
      await expect(instanceOnFile(page)).toHaveText(before);
      await expect(detail(page).getByTestId("instance-hint")).toBeHidden();
      expect(ops.sim.state.instanceOf(id)).toBe(before);
      expect(ops.sim.state.instance(before)?.state).toBe("running");
    } finally {
      ops.sim.faults.clear("cp.stop");
    }
  });

  test("an external workspace: no instance, so no restart via cp; via tenant there is nothing to restart", async ({
    app: page,
    ops,
  }) => {
    const id = ops.known.external.id;
    expect(ops.sim.state.instanceOf(id)).toBeNull();
    await selectWorkspace(page, "e2e-external");
    await expect(instanceOnFile(page)).toHaveText("none on file");
    await expect(detail(page).getByTestId("instance-hint")).toContainText("run by its operator");

    await detail(page).getByRole("button", { name: "Restart", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Restart e2e-external?" });
    await expect(dialog.getByRole("radio", { name: /^tenant/ })).toBeChecked();
    await expect(dialog.getByRole("radio", { name: /^cp/ })).toBeDisabled();
    await expect(dialog.getByTestId("restart-cp-blocked")).toBeVisible();
    await expect(dialog.getByTestId("restart-cp-blocked")).toContainText("No instance on file");
    await expect(dialog.getByTestId("restart-summary")).toContainText("via tenant (tenant platform)");
    await screenshot(page, "restart-confirm-external");
    await page.getByRole("button", { name: "Restart", exact: true }).click();
    await expect(dialog).toBeHidden();

    const trail = page.getByRole("region", { name: "Restart progress" });
    const steps = await finishedSteps(trail, "Nothing to restart");
    expectInOrder(steps, ["confirmed", "sent", "noop"]);
    expect(steps.filter((s) => s === "noop")).toHaveLength(1);
    for (const step of ["pre_stop", "stop", "accepted", "done"]) expect(steps).not.toContain(step);
    await expect(trail.getByRole("status")).toHaveText(
      "Nothing to restart: external workspaces are operator-driven — restart your local poller; platform has nothing to restart",
    );
    await expect(trail.getByRole("alert")).toHaveCount(0);
    expect(requestsOf(ops, "tenant.restart", id)).toHaveLength(1);
    expect(requestsOf(ops, "cp.stop", id)).toEqual([]);
    await expect(workspaceRow(page, "e2e-external").getByRole("gridcell").nth(1)).toHaveText("online");
  });
});
