import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseTenantWorkspace, type TenantWorkspace } from "../tenant/tenant-records";
import { tempDirPerTest } from "../testing/temp-dir";
import { Store } from "./store";
import { WorkspaceRows } from "./workspace-rows";

const dir = tempDirPerTest("workspace-rows-");
let store: Store;

beforeEach(() => {
  store = Store.open(join(dir(), "cache.db"));
});
afterEach(() => store.close());

function ws(fields: Record<string, unknown>): TenantWorkspace {
  const parsed = parseTenantWorkspace(fields);
  if (!parsed) throw new Error("test workspace without an id");
  return parsed;
}

describe("WorkspaceRows", () => {
  it("keeps every field the tenant sent: known ones in columns, the rest in extra, verbatim", () => {
    const sent = JSON.parse(
      `{"id":"ws-1","name":"billing-scout","role":"coder","tier":3,"status":"quarantined","url":null,
        "parent_id":"ws-0","runtime":"hermes","active_tasks":2,"last_error_rate":0.125,
        "last_sample_error":"429 Too Many Requests \\u001b[31m","uptime_seconds":61,"current_task":"review PR #482",
        "instance_id":"i-0123456789abcdef0","created_at":"2026-05-05T12:30:11Z",
        "future_field":{"nested":[1,"two",{"three":null}],"émoji":"🙂"},"__proto__":{"polluted":true}}`,
    ) as Record<string, unknown>;
    const counts = store.workspaces.upsertMany([ws(sent)], 1_000);
    expect(counts).toEqual({ added: 1, updated: 0, unchanged: 0 });
    const row = store.workspaces.get("ws-1")!;
    expect(row).toMatchObject({
      id: "ws-1",
      name: "billing-scout",
      status: "quarantined",
      runtime: "hermes",
      tier: 3,
      parentId: "ws-0",
      instanceId: null, // the binding, not the tenant's field: nothing is bound yet
      asOf: 1_000,
      lastSeenAt: 1_000,
    });
    const { id, name, status, runtime, tier, parent_id, ...rest } = sent;
    expect(JSON.stringify(row.extra)).toBe(JSON.stringify(rest));
    expect(row.extra.instance_id).toBe("i-0123456789abcdef0");
    expect(Object.hasOwn(row.extra, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a known field of another type stays in extra as sent instead of being lost", () => {
    store.workspaces.upsertMany([ws({ id: "ws-1", name: 7, tier: "2", status: null, runtime: "crewai" })], 1);
    const row = store.workspaces.get("ws-1")!;
    expect(row).toMatchObject({ name: null, tier: null, status: null, runtime: "crewai" });
    expect(row.extra).toEqual({ name: 7, tier: "2" });
  });

  it("counts added, updated and unchanged; unlisted rows keep their last_seen_at", () => {
    const a = { id: "a", name: "a", status: "online", tier: 1 };
    const b = { id: "b", name: "b", status: "online", tier: 1, extra_field: 1 };
    const c = { id: "c", name: "c", status: "offline", tier: 1 };
    expect(store.workspaces.upsertMany([ws(a), ws(b), ws(c)], 100)).toEqual({ added: 3, updated: 0, unchanged: 0 });
    const counts = store.workspaces.upsertMany([ws(a), ws({ ...b, extra_field: 2 }), ws({ id: "d", name: "d" })], 200);
    expect(counts).toEqual({ added: 1, updated: 1, unchanged: 1 });
    expect(store.workspaces.get("a")).toMatchObject({ asOf: 200, lastSeenAt: 200 });
    expect(store.workspaces.get("c")).toMatchObject({ asOf: 100, lastSeenAt: 100, status: "offline" });
    expect(store.workspaces.count()).toBe(4);
    expect(store.workspaces.get("missing")).toBeNull();
  });

  it("shows the open binding (LEFT JOIN), the latest when rebound, none once unbound", () => {
    store.workspaces.upsertMany([ws({ id: "a", name: "a" }), ws({ id: "b", name: "b" })], 1);
    store.bindings.bind("a", "i-0000000000000000a", "start", "pending", 10);
    store.bindings.bind("a", "i-0000000000000000b", "tenant", null, 20);
    store.bindings.bind("b", "i-0000000000000000c", "start", "pending", 10);
    store.bindings.unbind("b", "i-0000000000000000c", 30);
    // A binding for a workspace the tenant never listed does not add a row.
    store.bindings.bind("zzz", "i-0000000000000000d", "provlog", null, 10);
    const list = store.workspaces.list();
    expect(list.map((r) => [r.id, r.instanceId])).toEqual([
      ["a", "i-0000000000000000b"],
      ["b", null],
    ]);
    expect(store.workspaces.get("a")!.instanceId).toBe(store.bindings.resolveInstanceId("a"));
  });

  it("filters by status, runtime, tier and text, ordered by name then id", () => {
    store.workspaces.upsertMany(
      [
        ws({ id: "3", name: "beta", status: "online", runtime: "crewai", tier: 2 }),
        ws({ id: "2", name: "alpha", status: "quarantined", runtime: "hermes", tier: 1 }),
        ws({ id: "1", name: "alpha", status: "online", runtime: "hermes", tier: 2 }),
        ws({ id: "4", name: "Gamma-Ray", status: "offline", runtime: "codex", tier: 4 }),
      ],
      1,
    );
    store.bindings.bind("4", "i-00000000000000abc", "tenant", null, 1);
    const ids = (filter: Parameters<WorkspaceRows["list"]>[0]) => store.workspaces.list(filter).map((r) => r.id);
    expect(ids({})).toEqual(["1", "2", "3", "4"]);
    expect(ids({ status: "online" })).toEqual(["1", "3"]);
    expect(ids({ status: "quarantined" })).toEqual(["2"]);
    expect(ids({ runtime: "hermes", tier: 2 })).toEqual(["1"]);
    expect(ids({ tier: 4 })).toEqual(["4"]);
    expect(ids({ text: "GAMMA" })).toEqual(["4"]);
    expect(ids({ text: "abc" })).toEqual(["4"]);
    expect(ids({ text: "%" })).toEqual([]);
    expect(ids({ status: "removed" })).toEqual([]);
  });

  it("lists 10,000 workspaces with their bindings in one query", () => {
    const rows: TenantWorkspace[] = [];
    for (let i = 0; i < 10_000; i++) {
      rows.push(
        ws({ id: `ws-${i}`, name: `name-${i % 997}`, status: i % 10 ? "online" : "offline", tier: 1 + (i % 4) }),
      );
    }
    store.workspaces.upsertMany(rows, 1);
    for (let i = 0; i < 10_000; i += 2)
      store.bindings.bind(`ws-${i}`, `i-${i.toString(16).padStart(17, "0")}`, "tenant", null, 1);

    // A second connection that reports every statement it runs.
    const ran: string[] = [];
    const traced = new Database(store.path, { verbose: (sql) => ran.push(String(sql)) });
    try {
      const rowsOf = new WorkspaceRows(traced);
      ran.length = 0;
      const t0 = performance.now();
      const list = rowsOf.list();
      const ms = performance.now() - t0;
      expect(ran).toHaveLength(1);
      expect(list).toHaveLength(10_000);
      expect(list.filter((r) => r.instanceId !== null)).toHaveLength(5_000);
      expect(list[0]!.name).toBe("name-0");
      expect(ms).toBeLessThan(2_000);
      ran.length = 0;
      expect(rowsOf.list({ status: "offline", tier: 1 })).toHaveLength(500);
      expect(ran).toHaveLength(1);
    } finally {
      traced.close();
    }
  });
});
