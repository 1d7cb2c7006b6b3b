import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readSyncState, syncTenant, type TenantSource } from "../ops/sync";
import { recordPushedEvent } from "../ops/tenant-event-record";
import { importProvlog } from "../provlog/ingest";
import { Store } from "../store/store";
import { parseTenantEvent, parseTenantWorkspace, type TenantWorkspace } from "../tenant/tenant-records";
import type { WorkspaceView } from "./views";
import { STALE_AFTER_MS, workspaceList, workspaceView } from "./workspaces";

/**
 * The unfiltered list is served from a cache kept between requests (workspace-list-cache.ts).
 * Every kind of write that changes what the list shows must show in the very next list, on real
 * SQLite files: each test lists first (so the cache is warm), writes as the feature does, lists
 * again, and checks the change and that the cached list equals one built from SQLite anew.
 */

const T0 = Date.parse("2026-06-01T12:00:00.000Z");
const WS = ["ws-a", "ws-b", "ws-c", "ws-d"];

let dir: string;
let store: Store;
const opened: Store[] = [];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  dir = mkdtempSync(join(tmpdir(), "list-cache-"));
  store = open();
});
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
  vi.useRealTimers();
});

function open(): Store {
  const s = Store.open(join(dir, "cache.db"));
  opened.push(s);
  return s;
}

function ws(id: string, fields: Record<string, unknown> = {}): TenantWorkspace {
  return parseTenantWorkspace({ id, name: `name-${id}`, status: "online", runtime: "hermes", tier: 2, ...fields })!;
}

function tenant(workspaces: TenantWorkspace[], events: unknown[] = []): TenantSource {
  return {
    listWorkspaces: async () => ({ workspaces, skipped: 0 }),
    listEvents: async () => ({ events: events.map((e) => parseTenantEvent(e)!), skipped: 0 }),
  } as unknown as TenantSource;
}

const session = (s: Store = store) =>
  ({ store: s, live: { connectionState: null } }) as unknown as Parameters<typeof workspaceList>[0];

/** The cached list, checked against the list built from SQLite without the cache. */
function list(s: Store = store): WorkspaceView[] {
  const rows = workspaceList(session(s), {}).rows;
  const sync = readSyncState(s);
  const fresh = s.workspaces.list().map((r) => workspaceView(r, sync.lastSyncAt, Date.now()));
  expect(rows).toEqual(fresh);
  return rows;
}

const row = (id: string, s: Store = store) => list(s).find((r) => r.id === id);

async function synced(list: TenantWorkspace[] = WS.map((id) => ws(id)), events: unknown[] = []): Promise<void> {
  await syncTenant(store, tenant(list, events));
}

describe("the cached workspace list", () => {
  it("a sync shows at once: added, changed and gone workspaces, as-of times", async () => {
    expect(list()).toEqual([]);
    await synced();
    expect(list().map((r) => r.id)).toEqual(WS);
    vi.setSystemTime(T0 + 1000);
    await synced([ws("ws-a", { status: "degraded" }), ws("ws-b"), ws("ws-e", { name: "aaa" })]);
    const rows = list();
    expect(rows.map((r) => r.id)).toEqual(["ws-e", "ws-a", "ws-b", "ws-c", "ws-d"]);
    expect(rows.find((r) => r.id === "ws-a")).toMatchObject({
      status: "degraded",
      asOf: new Date(T0 + 1000).toISOString(),
    });
    expect(rows.filter((r) => r.gone).map((r) => r.id)).toEqual(["ws-c", "ws-d"]);
  });

  it("a sync that lists few or none of the rows marks the others gone", async () => {
    const many = Array.from({ length: 40 }, (_, i) => ws(`ws-${String(i).padStart(2, "0")}`));
    await synced(many);
    expect(list().some((r) => r.gone)).toBe(false);
    vi.setSystemTime(T0 + 1000);
    await synced([ws("ws-00")]);
    expect(list().filter((r) => r.gone)).toHaveLength(39);
    vi.setSystemTime(T0 + 2000);
    await synced([]);
    expect(list().filter((r) => r.gone)).toHaveLength(40);
  });

  it("a rename moves the row to its place", async () => {
    await synced();
    list();
    store.db.prepare("UPDATE workspaces SET name = 'zzz' WHERE id = 'ws-a'").run();
    expect(list().map((r) => r.id)).toEqual(["ws-b", "ws-c", "ws-d", "ws-a"]);
  });

  it("a pushed status event shows in the next list", async () => {
    await synced();
    list();
    const at = T0 + 5000;
    recordPushedEvent(store, {
      event: "WORKSPACE_OFFLINE",
      workspaceId: "ws-b",
      at,
      timestamp: new Date(at).toISOString(),
      payload: {},
    });
    expect(store.workspaces.setStatusFromEvent("ws-b", "offline", at)).toBe(true);
    expect(row("ws-b")).toMatchObject({ status: "offline", source: "event", asOf: new Date(at).toISOString() });
  });

  it("a provisioning event makes the instance on file no longer current", async () => {
    await synced();
    store.bindings.bind("ws-a", "i-0aaaaaaaaaaaaaaaa", "start", "running", T0 - 10_000);
    expect(row("ws-a")).toMatchObject({ instanceId: "i-0aaaaaaaaaaaaaaaa", instanceCurrent: true });
    recordPushedEvent(store, {
      event: "WORKSPACE_PROVISIONING",
      workspaceId: "ws-a",
      at: T0 + 60_000,
      timestamp: new Date(T0 + 60_000).toISOString(),
      payload: {},
    });
    expect(row("ws-a")).toMatchObject({ instanceCurrent: false });
  });

  it("heartbeats (liveness) show in the next list", async () => {
    await synced();
    list();
    store.workspaces.recordHeartbeats([{ workspaceId: "ws-c", at: T0 + 30_000, activeTasks: 2, uptimeSeconds: 40 }]);
    expect(row("ws-c")?.lastHeartbeatAt).toBe(new Date(T0 + 30_000).toISOString());
  });

  it("a sweep's answers and doubts show in the next list", async () => {
    await synced();
    for (const id of WS) store.bindings.bind(id, `i-0${id.at(-1)!.repeat(16)}`, "start", "running", T0 - 1000);
    list();
    store.health.recordChecks(
      [
        { workspaceId: "ws-a", instanceId: "i-0aaaaaaaaaaaaaaaa", state: "stopped", error: null },
        { workspaceId: "ws-b", instanceId: "i-0bbbbbbbbbbbbbbbb", state: null, error: "CP timed out" },
      ],
      T0 + 1000,
    );
    expect(row("ws-a")).toMatchObject({ status: "offline", source: "cp" });
    expect(row("ws-b")).toMatchObject({ status: "uncertain", detail: "CP timed out" });
    store.health.recordChecks(
      [{ workspaceId: "ws-b", instanceId: "i-0bbbbbbbbbbbbbbbb", state: "running", error: null }],
      T0 + 2000,
    );
    expect(row("ws-b")).toMatchObject({ status: "online", source: "sync" });
  });

  it("a crash read from the console shows in the next list", async () => {
    await synced([ws("ws-a", { status: "provisioning" })]);
    list();
    store.health.recordCrash({
      workspaceId: "ws-a",
      instanceId: null,
      error: "RUNTIME CRASHED",
      tail: "…",
      at: T0 + 1,
    });
    expect(row("ws-a")).toMatchObject({ status: "failed", source: "console", detail: "RUNTIME CRASHED" });
  });

  it("bindings learnt from an imported server log show in the next list", async () => {
    await synced();
    list();
    const log = join(dir, "server.log");
    writeFileSync(
      log,
      [
        `2026/06/01 11:00:00 evt: provision.ec2_started {"instance_id":"i-0123456789abcdef0","runtime":"hermes","state":"pending","tier":2,"workspace_id":"ws-c"}`,
        `2026/06/01 11:00:01 evt: provision.ec2_started {"instance_id":"i-0fedcba9876543210","runtime":"hermes","state":"pending","tier":2,"workspace_id":"ws-d"}`,
        `2026/06/01 11:30:00 evt: provision.ec2_stopped {"instance_id":"i-0fedcba9876543210","workspace_id":"ws-d"}`,
        "",
      ].join("\n"),
    );
    await importProvlog(store, log);
    expect(row("ws-c")?.instanceId).toBe("i-0123456789abcdef0");
    expect(row("ws-d")?.instanceId).toBeNull();
  });

  it("a restart's Start and Stop (the console's own bindings) show in the next list", async () => {
    await synced();
    list();
    const started = (instanceId: string, at: number) =>
      store.recordStarted({
        workspaceId: "ws-a",
        instanceId,
        state: "pending",
        tier: 2,
        runtime: "hermes",
        at: new Date(at),
      });
    started("i-0aaaaaaaaaaaaaaaa", T0 + 1);
    expect(row("ws-a")?.instanceId).toBe("i-0aaaaaaaaaaaaaaaa");
    started("i-0bbbbbbbbbbbbbbbb", T0 + 2);
    expect(row("ws-a")?.instanceId).toBe("i-0bbbbbbbbbbbbbbbb");
    store.recordStopped({ workspaceId: "ws-a", instanceId: "i-0bbbbbbbbbbbbbbbb", at: new Date(T0 + 3) });
    expect(row("ws-a")?.instanceId).toBeNull();
  });

  it("a removal (the tenant's WORKSPACE_REMOVED) and a deleted row show in the next list", async () => {
    await synced();
    list();
    vi.setSystemTime(T0 + 1000);
    await synced(
      [ws("ws-a"), ws("ws-b"), ws("ws-c")],
      [
        {
          id: "ev-1",
          event_type: "WORKSPACE_REMOVED",
          workspace_id: "ws-d",
          payload: {},
          created_at: new Date(T0 + 500).toISOString(),
        },
      ],
    );
    expect(row("ws-d")).toMatchObject({ status: "removed", gone: true });
    store.db.prepare("DELETE FROM workspaces WHERE id = 'ws-d'").run();
    expect(list().map((r) => r.id)).toEqual(["ws-a", "ws-b", "ws-c"]);
  });

  it("rows turn stale when the stale-after time passes, and not before", async () => {
    await synced();
    expect(list().every((r) => !r.stale)).toBe(true);
    vi.setSystemTime(T0 + STALE_AFTER_MS);
    expect(list().every((r) => !r.stale)).toBe(true);
    vi.setSystemTime(T0 + STALE_AFTER_MS + 1);
    expect(list().every((r) => r.stale)).toBe(true);
    // A clock set back makes them fresh again, as the list built anew would.
    vi.setSystemTime(T0 + 1);
    expect(list().every((r) => !r.stale)).toBe(true);
  });

  it("a heartbeat to one row keeps the others' stale marks right", async () => {
    await synced();
    list();
    vi.setSystemTime(T0 + STALE_AFTER_MS + 5);
    store.workspaces.recordHeartbeats([
      { workspaceId: "ws-a", at: T0 + STALE_AFTER_MS, activeTasks: null, uptimeSeconds: null },
    ]);
    expect(list().every((r) => r.stale)).toBe(true);
  });

  it("writes by another connection to the same file (another process, a worker) show in the next list", async () => {
    await synced();
    list();
    const other = open();
    other.workspaces.setStatusFromEvent("ws-a", "paused", T0 + 10);
    other.health.recordCrash({ workspaceId: "ws-b", instanceId: null, error: "x", tail: "", at: T0 + 10 });
    expect(row("ws-a")?.status).toBe("paused");
    // And the other connection's own cache sees this one's writes.
    list(other);
    store.workspaces.setStatusFromEvent("ws-c", "hibernated", T0 + 20);
    expect(row("ws-c", other)?.status).toBe("hibernated");
  });

  it("a write rolled back leaves the list as it was", async () => {
    await synced();
    const before = list();
    expect(() =>
      store.db.transaction(() => {
        store.workspaces.setStatusFromEvent("ws-a", "offline", T0 + 10);
        // Listed inside the transaction: what it sees, but nothing kept once it is undone.
        expect(row("ws-a")?.status).toBe("offline");
        throw new Error("rolled back");
      })(),
    ).toThrow("rolled back");
    expect(list()).toEqual(before);
  });

  it("many changes at once rebuild it whole; few are patched in; nothing changed answers the same views", async () => {
    const many = Array.from({ length: 40 }, (_, i) => ws(`ws-${String(i).padStart(2, "0")}`));
    await synced(many);
    const first = list();
    const again = list();
    expect(again).not.toBe(first);
    expect(again.every((v, i) => v === first[i])).toBe(true);
    store.workspaces.setStatusFromEvent("ws-07", "offline", T0 + 1);
    const patched = list();
    expect(patched.filter((v, i) => v !== first[i]).map((v) => v.id)).toEqual(["ws-07"]);
    store.workspaces.recordHeartbeats(
      many.slice(0, 20).map((w) => ({ workspaceId: w.id, at: T0 + 2, activeTasks: 1, uptimeSeconds: 1 })),
    );
    expect(list().filter((r) => r.lastHeartbeatAt !== null)).toHaveLength(20);
  });

  it("a binding or health row of a workspace not in the list changes nothing; one added to it shows", async () => {
    const many = Array.from({ length: 40 }, (_, i) => ws(`ws-${String(i).padStart(2, "0")}`));
    await synced(many);
    const first = list();
    store.bindings.bind("ws-unlisted", "i-0cccccccccccccccc", "provlog", null, T0);
    store.health.recordCrash({ workspaceId: "ws-unlisted", instanceId: null, error: "x", tail: "", at: T0 });
    expect(list().every((v, i) => v === first[i])).toBe(true);
    store.workspaces.upsertMany([ws("ws-unlisted", { name: "aaa" })], T0 + 1);
    expect(row("ws-unlisted")).toMatchObject({ instanceId: "i-0cccccccccccccccc", gone: true });
    expect(list()[0]?.id).toBe("ws-unlisted");
  });

  it("a value JSON cannot hold (a BLOB another writer left) never breaks the list", async () => {
    const many = Array.from({ length: 40 }, (_, i) => ws(`ws-${String(i).padStart(2, "0")}`));
    await synced(many);
    list();
    store.db.prepare("UPDATE workspaces SET runtime = ? WHERE id = 'ws-03'").run(Buffer.from([1, 2, 3]));
    expect(Buffer.isBuffer(row("ws-03")?.runtime)).toBe(true);
    store.db.prepare("UPDATE workspaces SET name = 'zz' WHERE id = 'ws-04'").run();
    expect(list().at(-1)?.id).toBe("ws-04");
  });

  it("the views it shares cannot be changed by a caller", async () => {
    await synced();
    const [first] = list();
    expect(() => {
      (first as { status: string }).status = "hacked";
    }).toThrow(TypeError);
    expect(list()[0]?.status).toBe("online");
  });

  it("a filtered list still comes from SQLite and agrees with the cached one", async () => {
    await synced([ws("ws-a", { status: "degraded" }), ws("ws-b"), ws("ws-c", { runtime: "crewai", tier: 3 })]);
    const all = list();
    const s = session();
    expect(workspaceList(s, { status: "degraded" }).rows).toEqual(all.filter((r) => r.tenantStatus === "degraded"));
    expect(workspaceList(s, { runtime: "crewai", tier: 3 }).rows).toEqual(all.filter((r) => r.id === "ws-c"));
    expect(workspaceList(s, { text: "NAME-WS-B" }).rows).toEqual(all.filter((r) => r.id === "ws-b"));
  });
});
