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
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Store } from "../core/store/store";
import { simsPerTest } from "../sim/test-support";
import { BIN, runCli } from "./run-cli.testkit";

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

function integrity(db: string): string {
  const d = new Database(db, { readonly: true });
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
    const sim = await sims({ workspaces: 0, timing: { pendingMs: 60_000, stoppingMs: 40, provisioningMs: 60_000 } });
    const ws = sim.state.addWorkspace({ status: "online", runtime: "langgraph", tier: 2 });
    const db = join(dir, "restart.db");
    const env = { ...sim.env, MOLECULE_OPS_DB: db };
    expect((await runCli(["sync"], env)).code).toBe(0);
    // The new instance stays pending for a minute: killed while following it.
    const out = await killDuring(["restart", ws.id, "--via", "cp", "--yes"], env, /status pending/);
    expect(out).toContain("status pending");
    expect(integrity(db)).toBe("ok");
    const store = Store.open(db);
    try {
      expect(store.restarts.latestFor(ws.id)).toMatchObject({
        state: "interrupted",
        step: "status pending",
        via: "cp",
      });
      const events = [...store.timeline({ workspaceId: ws.id })]
        .filter((r) => r.source === "console")
        .map((r) => r.event);
      expect(events).toEqual(
        expect.arrayContaining(["restart.pre_stop", "provision.ec2_stopped", "provision.ec2_started"]),
      );
      expect(events).not.toContain("restart.done");
      // The new mapping was recorded before the kill: Stop will act on the right instance.
      expect(store.resolveInstanceId(ws.id)).toMatch(/^i-/);
      expect(store.resolveInstanceId(ws.id)).not.toBe(ws.instance_id);
    } finally {
      store.close();
    }
    // The interrupted restart does not block the next one.
    const next = await runCli(["restart", ws.id, "--via", "tenant", "--yes", "--follow", "1"], env);
    expect(next.stderr).not.toMatch(/already being restarted/);
  }, 60_000);
});
