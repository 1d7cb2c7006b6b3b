import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Sim, type SimOptions, startSim, type TenantWorkspace } from "../../sim";
import { Store } from "../store/store";
import { TenantClient, type TenantClientOptions } from "../tenant/tenant-client";
import { readTenantConfig } from "../tenant/tenant-config";
import { opsFailure as failure } from "../testing/failure";
import { sendJson, startLoopbackServer } from "../testing/loopback-server";
import { isGone, readSyncState, syncTenant } from "./sync";

const FAST = { pendingMs: 40, stoppingMs: 40, provisioningMs: 60_000 };
/** Shared by every emulator of a test, so one TenantClient config can point at either. */
const SECRETS = {
  adminToken: "tenant-admin-token-0123456789",
  provisionSecret: "p".repeat(24),
  adminApiToken: "a".repeat(24),
};
const REPO = fileURLToPath(new URL("../..", import.meta.url));

let dir: string;
let counter = 0;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sync-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sim(options: SimOptions = {}): Promise<Sim> {
  const s = await startSim({ timing: FAST, secrets: SECRETS, ...options });
  cleanups.push(() => s.close());
  return s;
}

function tenantOf(s: { env: Record<string, string> } | string, options: TenantClientOptions = {}): TenantClient {
  const env = typeof s === "string" ? { MOLECULE_TENANT_URL: s, MOLECULE_ORG_ID: "org-sim", ADMIN_TOKEN: "x" } : s.env;
  const c = new TenantClient(readTenantConfig(env), options);
  cleanups.push(() => c.close());
  return c;
}

function openStore(): Store {
  counter += 1;
  const store = Store.open(join(dir, `cache-${counter}.db`));
  cleanups.push(() => store.close());
  return store;
}

/** A clock the test moves: as_of values are then exact. */
function clock(start = Date.parse("2026-05-05T12:00:00.000Z")) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms), at: () => t };
}

/** Everything a sync may write, except the error record that a failed sync is allowed to write. */
function snapshot(store: Store) {
  const all = (sql: string) => store.db.prepare(sql).all();
  return {
    workspaces: all("SELECT * FROM workspaces ORDER BY id"),
    bindings: all("SELECT * FROM instance_bindings ORDER BY id"),
    events: all("SELECT * FROM events ORDER BY id"),
    meta: all("SELECT * FROM meta WHERE key <> 'last_sync_error' ORDER BY key"),
  };
}

/** A bare tenant on loopback: GET /events answers `events`, any other path `workspaces()`. */
async function fakeTenant(workspaces: () => unknown[], events: unknown[] = []) {
  const server = await startLoopbackServer((req, res) =>
    sendJson(res, 200, req.url === "/events" ? events : workspaces()),
  );
  cleanups.push(() => server.close());
  return server;
}

/** Workspaces whose served data does not move with the clock (no uptime counter). */
function quiet(s: Sim, n: number): TenantWorkspace[] {
  const statuses = ["offline", "paused", "hibernated", "quarantined", "failed"];
  return Array.from({ length: n }, (_, i) =>
    s.state.addWorkspace({ status: statuses[i % statuses.length]!, name: `ws-${String(i).padStart(3, "0")}` }),
  );
}

describe("syncTenant", () => {
  it("counts added, updated, unchanged and gone over syncs, keeping gone rows as they were", async () => {
    const s = await sim({ workspaces: 0 });
    const seeded = quiet(s, 6);
    const store = openStore();
    const t = clock();
    const first = await syncTenant(store, tenantOf(s), { now: t.now });
    expect(first).toEqual({
      workspaces: 6,
      added: 6,
      updated: 0,
      unchanged: 0,
      gone: 0,
      skipped: 0,
      without_instance: 6,
      events_added: 0,
      events_skipped: 0,
      events_error: null,
      as_of: "2026-05-05T12:00:00.000Z",
    });
    expect(store.workspaces.get(seeded[3]!.id)).toMatchObject({ status: "quarantined", asOf: t.at() });

    t.advance(60_000);
    const added = s.state.addWorkspace({ status: "paused", name: "ws-new" });
    // The tenant stops listing a removed workspace; its WORKSPACE_REMOVED event says why it is gone.
    s.state.setWorkspaceStatus(seeded[0]!.id, "removed");
    const second = await syncTenant(store, tenantOf(s), { now: t.now });
    expect(second).toMatchObject({ workspaces: 6, added: 1, updated: 0, unchanged: 5, gone: 1 });
    expect(store.workspaces.get(added.id)).toMatchObject({ name: "ws-new", status: "paused" });
    const removedAt = Date.parse(s.state.events().find((e) => e.event_type === "WORKSPACE_REMOVED")!.created_at);
    expect(store.workspaces.get(seeded[0]!.id)).toMatchObject({
      status: "removed",
      statusSource: "event",
      statusAt: removedAt,
    });
    expect(readSyncState(store).lastSyncAt).toBe(t.at());

    // The same tenant, now listing only two of its workspaces (the emulator cannot delete, so a
    // second emulator with the same credentials serves copies of them).
    const shrunk = await sim({ workspaces: 0 });
    for (const kept of [seeded[1]!, seeded[2]!]) shrunk.state.addWorkspace(s.state.workspace(kept.id)!);
    const before = store.workspaces.get(seeded[4]!.id)!;
    t.advance(60_000);
    const third = await syncTenant(store, tenantOf(shrunk), { now: t.now });
    expect(third).toMatchObject({ workspaces: 2, added: 0, updated: 0, unchanged: 2, gone: 5 });
    expect(store.workspaces.count()).toBe(7);
    const state = readSyncState(store);
    expect(state).toEqual({ lastSyncAt: t.at(), lastError: null });
    const goneRow = store.workspaces.get(seeded[4]!.id)!;
    expect(goneRow).toEqual(before);
    expect(isGone(goneRow, state.lastSyncAt)).toBe(true);
    expect(isGone(store.workspaces.get(seeded[1]!.id)!, state.lastSyncAt)).toBe(false);
    expect(store.workspaces.list().filter((r) => isGone(r, state.lastSyncAt))).toHaveLength(5);
  });

  it("two syncs in the same millisecond still tell gone rows apart", async () => {
    const server = await fakeTenant(() => served.map((id) => ({ id })));
    let served = ["a", "b"];
    const store = openStore();
    const fixed = () => new Date(1_000_000);
    await syncTenant(store, tenantOf(server.url), { now: fixed });
    served = ["a"];
    const report = await syncTenant(store, tenantOf(server.url), { now: fixed });
    expect(report.gone).toBe(1);
    const { lastSyncAt } = readSyncState(store);
    expect(store.workspaces.list().map((r) => [r.id, isGone(r, lastSyncAt)])).toEqual([
      ["a", false],
      ["b", true],
    ]);
  });

  it("never touches the instance mapping: the tenant API has no instance ids, and a stray field is only kept", async () => {
    // A proxy or another version might add an instance_id: it is kept in extra, never trusted as
    // the mapping, which comes from the platform's server log and the console's own Starts.
    const server = await fakeTenant(() => [
      { id: "a", name: "a", status: "online" },
      { id: "b", name: "b", status: "online", instance_id: "i-0ddddddddddddddddd" },
      { id: "c", name: "c", status: "online", instance_id: null },
    ]);
    const store = openStore();
    store.bindings.bind("a", "i-0bbbbbbbbbbbbbbbb", "provlog", "running", 1);
    store.bindings.bind("c", "i-0cccccccccccccccc", "start", "running", 1);
    const before = store.db.prepare("SELECT * FROM instance_bindings ORDER BY id").all();
    const report = await syncTenant(store, tenantOf(server.url));
    expect(report).toMatchObject({ workspaces: 3, added: 3, without_instance: 1 });
    expect(store.db.prepare("SELECT * FROM instance_bindings ORDER BY id").all()).toEqual(before);
    expect(store.workspaces.get("a")).toMatchObject({ instanceId: "i-0bbbbbbbbbbbbbbbb" });
    expect(store.workspaces.get("b")).toMatchObject({
      instanceId: null,
      extra: { instance_id: "i-0ddddddddddddddddd" },
    });
    expect(store.workspaces.get("c")).toMatchObject({ instanceId: "i-0cccccccccccccccc" });
  });

  it("items without an id, or repeating one, are skipped and counted", async () => {
    const server = await fakeTenant(() => [
      { id: "a", name: "a" },
      { id: "b" },
      { name: "no id" },
      { id: "a", name: "again" },
    ]);
    const store = openStore();
    const report = await syncTenant(store, tenantOf(server.url));
    expect(report).toMatchObject({ workspaces: 2, added: 2, skipped: 2 });
    expect(store.workspaces.get("a")!).toMatchObject({ name: "a" });
  });

  it("records the tenant's events once, keyed by the tenant's event id", async () => {
    const s = await sim({ workspaces: 30 });
    const store = openStore();
    const first = await syncTenant(store, tenantOf(s));
    const served = s.state.events().slice(0, 100);
    expect(first.events_added).toBe(served.length);
    const rows = [...store.timeline()];
    expect(rows).toHaveLength(served.length);
    expect(rows.every((r) => r.source === "tenant")).toBe(true);
    const failedEvent = served.find((e) => e.event_type === "WORKSPACE_PROVISION_FAILED")!;
    const row = rows.find(
      (r) => r.event === "WORKSPACE_PROVISION_FAILED" && r.workspace_id === failedEvent.workspace_id,
    )!;
    expect(row.ts).toBe(Date.parse(failedEvent.created_at));
    expect(JSON.parse(row.fields)).toEqual(failedEvent.payload);

    expect((await syncTenant(store, tenantOf(s))).events_added).toBe(0);
    const target = s.state.workspaces().find((w) => w.status === "online")!;
    s.state.setWorkspaceStatus(target.id, "degraded");
    const third = await syncTenant(store, tenantOf(s));
    expect(third.events_added).toBe(1);
    const latest = [...store.timeline({ workspaceId: target.id })].at(-1)!;
    const degraded = s.state
      .events()
      .find((e) => e.event_type === "WORKSPACE_DEGRADED" && e.workspace_id === target.id)!;
    expect(latest).toMatchObject({ event: "WORKSPACE_DEGRADED", source: "tenant" });
    expect(JSON.parse(latest.fields)).toEqual(degraded.payload);
  });

  it("takes an event's instance id from its payload when it has one; the platform's status events have none", async () => {
    const s = await sim({ workspaces: 0 });
    const ws = s.state.addWorkspace({ status: "offline" });
    await tenantOf(s).restart(ws.id);
    const store = openStore();
    await syncTenant(store, tenantOf(s));
    const [row] = [...store.timeline({ workspaceId: ws.id, events: ["WORKSPACE_PROVISIONING"] })];
    expect(JSON.parse(row!.fields)).not.toHaveProperty("instance_id");
    expect(row!.instance_id).toBeNull();

    const server = await fakeTenant(
      () => [],
      [
        {
          id: "e-1",
          event_type: "AGENT_ASSIGNED",
          workspace_id: "w-1",
          payload: { instance_id: "i-0123456789abcdef0" },
          created_at: "2026-05-05T12:00:00Z",
        },
      ],
    );
    const other = openStore();
    await syncTenant(other, tenantOf(server.url));
    expect([...other.timeline()][0]?.instance_id).toBe("i-0123456789abcdef0");
  });

  it.each([
    [
      "503 with the token in the body",
      { kind: "status", status: 503, body: `Bearer ${SECRETS.adminToken}` },
      "Upstream",
    ],
    ["401", { kind: "unauthorized" }, "Upstream"],
    ["black hole", { kind: "blackhole" }, "Timeout"],
    ["malformed JSON", { kind: "malformed" }, "Decode"],
    ["oversized", { kind: "oversized", bytes: 2 << 20, shape: "padded-json" }, "Decode"],
    ["reset", { kind: "reset" }, "Transport"],
  ] as const)("a failed list (%s) changes nothing and records last_sync_error", async (_name, fault, code) => {
    const s = await sim({ workspaces: 8 });
    const store = openStore();
    const t = clock();
    await syncTenant(store, tenantOf(s), { now: t.now });
    const synced = readSyncState(store).lastSyncAt;
    s.state.addWorkspace({ status: "offline" });
    s.state.setWorkspaceStatus(s.state.workspaces()[0]!.id, "removed");
    const before = snapshot(store);

    s.faults.set("tenant.list", fault, { times: 1 });
    t.advance(5_000);
    const error = await failure(
      syncTenant(store, tenantOf(s, { timeoutMs: 300, listBodyCap: 1 << 20 }), { now: t.now }),
    );
    expect(error.code).toBe(code);
    expect(error.message).not.toContain(SECRETS.adminToken.slice(0, 8));
    expect(snapshot(store)).toEqual(before);
    expect(readSyncState(store)).toEqual({
      lastSyncAt: synced,
      lastError: { at: new Date(t.at()).toISOString(), code, message: error.message, partial: false },
    });

    // The next good sync clears the error.
    await syncTenant(store, tenantOf(s));
    expect(readSyncState(store).lastError).toBeNull();
    expect(store.workspaces.count()).toBe(9);
  });

  it("writes nothing at all into an empty cache when the list fails", async () => {
    const s = await sim({ workspaces: 8 });
    s.faults.set("tenant.list", { kind: "status", status: 502 }, { times: 1 });
    const store = openStore();
    await failure(syncTenant(store, tenantOf(s)));
    expect(snapshot(store)).toEqual({ workspaces: [], bindings: [], events: [], meta: [] });
    expect(readSyncState(store).lastError).toMatchObject({
      code: "Upstream",
      message: "list workspaces: unexpected 502",
    });
  });

  it("an events failure after a good list still commits the workspaces and reports events_error", async () => {
    const s = await sim({ workspaces: 8 });
    s.faults.set("tenant.events", { kind: "status", status: 503 }, { times: 1 });
    const store = openStore();
    const report = await syncTenant(store, tenantOf(s));
    expect(report).toMatchObject({
      workspaces: 8,
      added: 8,
      events_added: 0,
      events_error: "list events: the tenant platform is unavailable (503): sim fault: status 503",
    });
    expect(store.workspaces.count()).toBe(8);
    expect([...store.timeline()]).toHaveLength(0);
    const state = readSyncState(store);
    expect(state.lastSyncAt).toBe(Date.parse(report.as_of));
    expect(state.lastError).toMatchObject({ code: "Upstream", partial: true });
  });

  it("a cancel (even while the events are read) writes nothing", async () => {
    const s = await sim({ workspaces: 8 });
    s.faults.set("tenant.events", { kind: "blackhole" }, { times: 1 });
    const store = openStore();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const error = await failure(syncTenant(store, tenantOf(s), { signal: controller.signal }));
    expect(error.code).toBe("Cancelled");
    expect(snapshot(store)).toEqual({ workspaces: [], bindings: [], events: [], meta: [] });
  });
});

describe("syncTenant under kill -9", () => {
  /**
   * The child syncs in a loop. In "hold" mode it stops inside the sync's transaction, once every
   * workspace row is written and before the commit, and says so: the SIGKILL then lands
   * mid-transaction for certain. The hold wraps a method of the real store from the outside.
   */
  const CHILD = `
import { Store } from ${JSON.stringify(pathToFileURL(join(REPO, "core/store/store.ts")).href)};
import { syncTenant } from ${JSON.stringify(pathToFileURL(join(REPO, "core/ops/sync.ts")).href)};
import { TenantClient } from ${JSON.stringify(pathToFileURL(join(REPO, "core/tenant/tenant-client.ts")).href)};
import { readTenantConfig } from ${JSON.stringify(pathToFileURL(join(REPO, "core/tenant/tenant-config.ts")).href)};

const [dbPath, mode] = process.argv.slice(2);
const store = Store.open(dbPath!);
const tenant = new TenantClient(readTenantConfig(process.env));
if (mode === "hold") {
  const record = store.tenantEvents.recordListed.bind(store.tenantEvents);
  let held = false;
  store.tenantEvents.recordListed = (...args) => {
    if (!held) {
      held = true;
      process.stdout.write(\`holding \${store.workspaces.count()}\\n\`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    }
    return record(...args);
  };
}
for (;;) {
  const report = await syncTenant(store, tenant);
  process.stdout.write(\`synced \${report.workspaces}\\n\`);
}
`;

  let s: Sim;
  let script: string;
  beforeAll(async () => {
    s = await startSim({ workspaces: 5000, timing: FAST, secrets: SECRETS });
    // .mts: the temp folder has no package.json saying "type": "module".
    script = join(dir, "sync-child.mts");
    writeFileSync(script, CHILD);
  });
  afterAll(async () => {
    await s.close();
  });

  function child(db: string, mode: "hold" | "loop") {
    const proc = spawn(process.execPath, ["--import", "tsx", script, db, mode], {
      cwd: REPO,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...s.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    proc.stdout.on("data", (c) => {
      out += c;
    });
    proc.stderr.on("data", (c) => {
      err += c;
    });
    const exited = new Promise<void>((resolve) => proc.on("exit", () => resolve()));
    const lines = () => out.split("\n").filter(Boolean);
    const waitFor = async (test: (lines: string[]) => boolean) => {
      const deadline = Date.now() + 60_000;
      while (!test(lines())) {
        if (proc.exitCode !== null) throw new Error(`child exited: ${err.slice(0, 2000)}`);
        if (Date.now() > deadline) throw new Error(`child stalled: ${out.slice(-500)} ${err.slice(0, 2000)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return lines();
    };
    const kill = async () => {
      (proc as ChildProcess).kill("SIGKILL");
      await exited;
      expect(proc.signalCode).toBe("SIGKILL");
    };
    return { waitFor, kill, lines };
  }

  function inspect(db: string) {
    const store = Store.open(db);
    try {
      const integrity = store.db.pragma("integrity_check", { simple: true });
      const { lastSyncAt } = readSyncState(store);
      const seenByLast =
        lastSyncAt === null
          ? 0
          : (
              store.db.prepare("SELECT count(*) AS n FROM workspaces WHERE last_seen_at = ?").get(lastSyncAt) as {
                n: number;
              }
            ).n;
      return { integrity, count: store.workspaces.count(), seenByLast, lastSyncAt };
    } finally {
      store.close();
    }
  }

  it("leaves the previous state or the new one, never part of a tenant", { timeout: 180_000 }, async () => {
    const db = join(dir, "crash.db");

    // 1. Killed inside the very first sync, with all 5,000 rows written but not committed.
    let c = child(db, "hold");
    expect(await c.waitFor((l) => l.some((x) => x.startsWith("holding")))).toEqual(["holding 5000"]);
    await c.kill();
    expect(inspect(db)).toEqual({ integrity: "ok", count: 0, seenByLast: 0, lastSyncAt: null });

    // 2. Syncing in a loop, killed at arbitrary moments: always the full tenant, committed together.
    const valid = new Set([0, 5000]);
    let expected = 5000;
    for (let round = 0; round < 4; round++) {
      c = child(db, "loop");
      await c.waitFor((l) => l.length >= 1);
      // The tenant grows between syncs; every full count it ever listed is a valid outcome.
      for (let i = 0; i < 50; i++) s.state.addWorkspace({ status: "offline" });
      expected += 50;
      valid.add(expected);
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 400)));
      await c.kill();
      const after = inspect(db);
      expect(after.integrity).toBe("ok");
      expect(valid.has(after.count)).toBe(true);
      expect(after.seenByLast).toBe(after.count);
    }

    // 3. Killed mid-transaction while growing an existing cache: the old full count stays.
    const old = inspect(db).count;
    for (let i = 0; i < 700; i++) s.state.addWorkspace({ status: "offline" });
    c = child(db, "hold");
    expect(await c.waitFor((l) => l.some((x) => x.startsWith("holding")))).toEqual([`holding ${expected + 700}`]);
    await c.kill();
    expect(inspect(db)).toMatchObject({ integrity: "ok", count: old, seenByLast: old });

    // 4. And the next uninterrupted sync gets the new full count.
    c = child(db, "loop");
    await c.waitFor((l) => l.length >= 1);
    await c.kill();
    expect(inspect(db)).toMatchObject({ integrity: "ok", count: expected + 700, seenByLast: expected + 700 });
  });
});
