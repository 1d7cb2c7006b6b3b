/**
 * kill -9 in the middle of a sync and of a restart, with a real process: the cache passes
 * integrity_check, a sync lands whole or not at all, and the interrupted restart shows as
 * interrupted at its last step (never as done).
 */

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Store } from "../core/store/store";
import { simsPerTest } from "../sim/test-support";
import { BIN, importServerLog, runCli } from "./run-cli.testkit";

const sims = simsPerTest();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "crash-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the CLI and SIGKILLs it once `when` matches its output (or after `afterMs`). */
function killDuring(args: string[], env: Record<string, string>, when: RegExp | number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const kill = () => child.kill("SIGKILL");
    child.stdout.on("data", (c) => {
      out += c;
      if (when instanceof RegExp && when.test(out)) kill();
    });
    if (typeof when === "number") setTimeout(kill, when);
    child.on("close", () => resolve(out));
  });
}

/**
 * integrity_check as the next opener of the cache sees it. Read-write: a kill in the middle of a
 * write can leave a journal or WAL index that the next opener must recover first, which SQLite
 * refuses on a read-only connection ("attempt to write a readonly database").
 */
function integrity(db: string): string {
  const d = new Database(db, { fileMustExist: true });
  try {
    return d.pragma("integrity_check", { simple: true }) as string;
  } finally {
    d.close();
  }
}

describe("kill -9", () => {
  it("during a sync of 6,000 workspaces leaves all of it or none of it", async () => {
    const sim = await sims({ workspaces: 6000 });
    const outcomes = new Set<number>();
    for (const [i, ms] of [150, 300, 450, 700].entries()) {
      const db = join(dir, `sync-${i}.db`);
      await killDuring(["sync"], { ...sim.env, MOLECULE_OPS_DB: db }, ms);
      // Killed before the cache was even created: nothing to check but that the next sync works.
      if (existsSync(db)) expect(integrity(db)).toBe("ok");
      const store = Store.open(db);
      const count = store.workspaces.count();
      store.close();
      expect([0, 6000]).toContain(count);
      outcomes.add(count);
      // And the next sync completes from whatever was left.
      const again = await runCli(["sync", "--json"], { ...sim.env, MOLECULE_OPS_DB: db });
      expect(again.code).toBe(0);
    }
    expect(outcomes.size).toBeGreaterThan(0);
  }, 120_000);

  it("during a restart shows it as interrupted at its last step, with no restart.done", async () => {
    const logFile = join(dir, "restart-server.log");
    // The tenant's new machine stays pending for a minute: the restart is still being followed.
    const sim = await sims({
      workspaces: 0,
      logFile,
      timing: { pendingMs: 60_000, stoppingMs: 40, provisioningMs: 60_000 },
    });
    const ws = sim.state.addWorkspace({ status: "online", runtime: "langgraph", tier: 2 });
    const old = sim.state.instanceOf(ws.id) as string;
    const db = join(dir, "restart.db");
    const env = { ...sim.env, MOLECULE_OPS_DB: db };
    expect((await runCli(["sync"], env)).code).toBe(0);
    // Via cp needs the instance on file: learnt from the tenant's server log.
    await importServerLog(logFile, env);
    // Killed while following the tenant's restart (the status step, not the accepted one's detail).
    const out = await killDuring(["restart", ws.id, "--via", "cp", "--yes"], env, /Z {2}status provisioning/);
    expect(out).toMatch(/Z {2}status provisioning/);
    expect(integrity(db)).toBe("ok");
    const store = Store.open(db);
    try {
      expect(store.restarts.latestFor(ws.id)).toMatchObject({
        state: "interrupted",
        step: "status provisioning",
        via: "cp",
      });
      const events = [...store.timeline({ workspaceId: ws.id })]
        .filter((r) => r.source === "console")
        .map((r) => r.event);
      // (restart.status is journalled just after its step is printed: the kill may come first.)
      expect(events).toEqual(
        expect.arrayContaining(["restart.pre_stop", "provision.ec2_stopped", "restart.requested"]),
      );
      expect(events).not.toContain("restart.done");
      // Never a CP Start: the tenant boots the new machine and only its log says which.
      expect(events).not.toContain("provision.ec2_started");
      expect(sim.state.requests().filter((r) => r.route === "cp.provision")).toHaveLength(0);
      // The stopped instance was closed before the kill: no Stop will act on it again.
      expect(store.resolveInstanceId(ws.id)).toBeNull();
    } finally {
      store.close();
    }
    // The tenant goes on with its restart: its Stop leg, then a new machine.
    const fresh = await vi.waitFor(
      () => {
        const id = sim.state.instanceOf(ws.id);
        if (id === null || id === old) throw new Error("the tenant has not booted the new machine yet");
        return id;
      },
      { timeout: 10_000, interval: 10 },
    );
    expect(fresh).toMatch(/^i-/);
    // The newer log teaches the tenant's new instance.
    await importServerLog(logFile, env);
    const reopened = Store.open(db);
    try {
      expect(reopened.resolveInstanceId(ws.id)).toBe(fresh);
    } finally {
      reopened.close();
    }
    // The interrupted restart does not block the next one.
    const next = await runCli(["restart", ws.id, "--via", "tenant", "--yes", "--follow", "1"], env);
    expect(next.stderr).not.toMatch(/already being restarted/);
    expect(next.stderr).toMatch(/not online after 1 s \(last status provisioning\)/);
  }, 60_000);
});
