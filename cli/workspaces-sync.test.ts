import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sim, startSim } from "../sim";
import { importServerLog, runCli } from "./run-cli.testkit";

const TIMING = { pendingMs: 50, stoppingMs: 50, provisioningMs: 60_000 };
/** Shared by both emulators, so the same env reaches either (the second one plays "later"). */
const SECRETS = {
  adminToken: "cli-tenant-admin-token-abcdef",
  provisionSecret: "s".repeat(24),
  adminApiToken: "t".repeat(24),
};

let sim: Sim;
let dir: string;
/** The tenant's own server log: the only place its instance ids are written (docs/contracts.md §3). */
let logFile: string;
let counter = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cli-sync-"));
  logFile = join(dir, "server.log");
  sim = await startSim({ workspaces: 8, seed: 11, timing: TIMING, secrets: SECRETS, logFile });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh cache per test. */
const db = (): string => join(dir, `cache-${++counter}.db`);

function expectNoSecrets(text: string): void {
  for (const secret of Object.values(SECRETS)) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(0, 8));
  }
}

interface Listed {
  id: string;
  name: string;
  status: string;
  runtime: string;
  tier: number;
  instance_id: string | null;
  as_of: string;
  stale: boolean;
  gone: boolean;
  extra: Record<string, unknown>;
}

describe("molecule-ops sync and workspaces", () => {
  it("sync fills the cache; workspaces lists it, and still does with no tenant and no env at all", async () => {
    const cache = db();
    const s = await runCli(["sync", "--json", "--db", cache], sim.env);
    expect(s.stderr).toBe("");
    expect(s.code).toBe(0);
    const report = JSON.parse(s.stdout);
    // The tenant API has no instance ids: a sync learns none, and says how many are missing.
    expect(report).toMatchObject({
      workspaces: 8,
      added: 8,
      gone: 0,
      skipped: 0,
      without_instance: 8,
      events_error: null,
    });
    expect(report).not.toHaveProperty("bindings_changed");
    expect(report.events_added).toBeGreaterThan(0);
    expect(report.as_of).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const truth = sim.state.workspaces();
    const unbound = JSON.parse((await runCli(["workspaces", "--json", "--db", cache], {})).stdout) as Listed[];
    expect(unbound.map((r) => r.id).sort()).toEqual(truth.map((t) => t.id).sort());
    expect(unbound.every((r) => r.instance_id === null)).toBe(true);

    // The operator's way to the instance ids: the tenant's server log.
    const imported = await importServerLog(logFile, {}, ["--db", cache]);
    const bound = truth.filter((t) => sim.state.instanceOf(t.id) !== null);
    expect(bound.length).toBeGreaterThan(0);
    expect(imported.bindings).toBeGreaterThanOrEqual(bound.length);

    const w = await runCli(["workspaces", "--json", "--db", cache], sim.env);
    expect(w.code).toBe(0);
    const listed = JSON.parse(w.stdout) as Listed[];
    expect(listed.map((r) => r.id).sort()).toEqual(truth.map((t) => t.id).sort());
    for (const row of listed) {
      const t = truth.find((x) => x.id === row.id)!;
      expect(row).toMatchObject({
        name: t.name,
        status: t.status,
        runtime: t.runtime,
        tier: t.tier,
        instance_id: sim.state.instanceOf(t.id),
        as_of: report.as_of,
        stale: false,
        gone: false,
      });
      expect(row.extra).toMatchObject({ role: t.role });
      expect(row.extra).not.toHaveProperty("instance_id");
    }
    expect(listed.map((r) => r.status)).toContain("quarantined");
    const names = listed.map((r) => r.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

    // Offline: only --db, no tenant URL, no token, no org; the emulator is not asked anything.
    const requestsBefore = sim.state.requests().length;
    const offline = await runCli(["workspaces", "--json", "--db", cache], {});
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toEqual(listed);
    const table = await runCli(["workspaces", "--db", cache], {});
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME +ID +STATUS +RUNTIME +TIER +INSTANCE +AS OF$/);
    expect(lines).toHaveLength(1 + 8 + 1);
    const asOfSeconds = report.as_of.replace(/\.\d{3}Z$/, "Z");
    for (const row of listed) {
      expect(lines.find((l) => l.includes(row.id))).toMatch(
        new RegExp(
          `^${row.name} +${row.id} +${row.status} +${row.runtime} +${row.tier} +${row.instance_id ?? "-"} +${asOfSeconds} \\((just now|\\d+s ago)\\)$`,
        ),
      );
    }
    expect(lines.at(-1)).toMatch(/^8 workspaces; last sync \S+Z \((just now|\d+s ago)\)$/);
    expect(sim.state.requests().length).toBe(requestsBefore);
    for (const r of [s, w, offline, table]) expectNoSecrets(r.stdout + r.stderr);
  });

  it("sync says how many workspaces have no instance on file and how to learn them; an import makes it fewer", async () => {
    const cache = db();
    const first = await runCli(["sync", "--db", cache], sim.env);
    expect(first.code).toBe(0);
    const n = sim.state.workspaces().length;
    expect(first.stdout).toContain(
      `${n} of them have no instance on file (the tenant API never says which): import the tenant's server log (molecule-ops import-log FILE)`,
    );
    await importServerLog(logFile, {}, ["--db", cache]);
    const without = sim.state.workspaces().filter((t) => sim.state.instanceOf(t.id) === null).length;
    const again = await runCli(["sync", "--json", "--db", cache], sim.env);
    expect(JSON.parse(again.stdout)).toMatchObject({ workspaces: n, without_instance: without });
  });

  it("filters by status, runtime and tier", async () => {
    const cache = db();
    await runCli(["sync", "--db", cache], sim.env);
    const truth = sim.state.workspaces();
    const online = await runCli(["workspaces", "--status", "online", "--json", "--db", cache], {});
    expect((JSON.parse(online.stdout) as Listed[]).map((r) => r.id).sort()).toEqual(
      truth
        .filter((t) => t.status === "online")
        .map((t) => t.id)
        .sort(),
    );
    const one = truth[0]!;
    const narrow = await runCli(
      ["workspaces", "--runtime", one.runtime, "--tier", String(one.tier), "--json", "--db", cache],
      {},
    );
    const rows = JSON.parse(narrow.stdout) as Listed[];
    expect(rows.map((r) => r.id)).toContain(one.id);
    expect(rows.every((r) => r.runtime === one.runtime && r.tier === one.tier)).toBe(true);
    const none = await runCli(["workspaces", "--status", "no-such-status", "--db", cache], {});
    expect(none.code).toBe(0);
    expect(none.stdout).toBe("no cached workspace matches these filters (8 cached)\n");
  });

  it("marks rows stale after --stale-after minutes, and gone when the last sync did not list them", async () => {
    const cache = db();
    await runCli(["sync", "--db", cache], sim.env);
    const stale = JSON.parse((await runCli(["workspaces", "--stale-after", "0", "--json", "--db", cache], {})).stdout);
    expect((stale as Listed[]).every((r) => r.stale && !r.gone)).toBe(true);

    // Later the tenant lists only two of them (a second emulator, same credentials, same org).
    const later = await startSim({ workspaces: 0, timing: TIMING, secrets: SECRETS });
    try {
      const kept = sim.state.workspaces().slice(0, 2);
      for (const ws of kept) later.state.addWorkspace(ws);
      const s = await runCli(["sync", "--json", "--db", cache], later.env);
      expect(s.code).toBe(0);
      expect(JSON.parse(s.stdout)).toMatchObject({ workspaces: 2, gone: 6 });
      const listed = JSON.parse((await runCli(["workspaces", "--json", "--db", cache], {})).stdout) as Listed[];
      expect(listed).toHaveLength(8);
      const keptIds = new Set(kept.map((k) => k.id));
      for (const row of listed) expect(row.gone).toBe(!keptIds.has(row.id));
      const table = await runCli(["workspaces", "--stale-after", "0", "--db", cache], {});
      const goneLine = table.stdout.split("\n").find((l) => l.includes(listed.find((r) => r.gone)!.id))!;
      expect(goneLine).toMatch(/(ago|now)\) +gone stale$/);
      const keptLine = table.stdout.split("\n").find((l) => l.includes(kept[0]!.id))!;
      expect(keptLine).toMatch(/(ago|now)\) +stale$/);
      expect(table.stdout).toMatch(/\n8 workspaces \(8 stale, 6 gone\); last sync /);
    } finally {
      await later.close();
    }
  });

  it("provision right after a sync takes the runtime and tier from the cache, warning that the tenant knows it", async () => {
    const cache = db();
    const ws = sim.state.addWorkspace({ status: "offline", runtime: "gemini-cli", tier: 4 });
    await runCli(["sync", "--db", cache], sim.env);
    const before = sim.state.requests().length;
    const p = await runCli(["provision", ws.id, "--yes", "--json", "--db", cache], sim.env);
    // docs/contracts.md §5: a CP Start for a workspace the tenant knows is a second machine without its
    // secrets; the cache says the tenant knows it, so the warning needs no tenant request.
    expect(p.stderr).toBe(
      `molecule-ops: warning: the tenant knows ${ws.id} (status offline in the cache): this Start boots a machine without the tenant's secrets, and the tenant keeps its own instance id; to bring it back, restart it (molecule-ops restart ${ws.id} --yes)\n`,
    );
    expect(
      sim.state
        .requests()
        .slice(before)
        .map((q) => q.route),
    ).toEqual(["cp.provision"]);
    expect(p.code).toBe(0);
    const started = JSON.parse(p.stdout);
    expect(sim.state.instance(started.instance_id)).toMatchObject({
      workspace_id: ws.id,
      runtime: "gemini-cli",
      tier: 4,
    });
  });

  it("an empty cache says what to do, and exits 0", async () => {
    const cache = db();
    const text = await runCli(["workspaces", "--db", cache], {});
    expect(text).toEqual({ code: 0, stdout: "no workspaces cached yet: run molecule-ops sync\n", stderr: "" });
    const json = await runCli(["workspaces", "--json", "--db", cache], {});
    expect(json).toEqual({ code: 0, stdout: "[]\n", stderr: "" });
  });
});

describe("exit codes", () => {
  it.each([
    ["MOLECULE_TENANT_URL", /^molecule-ops: MOLECULE_TENANT_URL is not set/],
    ["MOLECULE_ORG_ID", /^molecule-ops: MOLECULE_ORG_ID is not set/],
  ])("sync without %s exits 1 naming it", async (name, message) => {
    const r = await runCli(["sync", "--db", db()], { ...sim.env, [name]: "" });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("a tenant failure exits 2 with one safe line (a wrong org id 1, a configuration error), and the cache keeps what it had", async () => {
    const cache = db();
    await runCli(["sync", "--db", cache], sim.env);
    sim.faults.set(
      "tenant.list",
      { kind: "status", status: 503, body: `echo Bearer ${SECRETS.adminToken}` },
      { times: 1 },
    );
    const r = await runCli(["sync", "--db", cache], sim.env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("molecule-ops: list workspaces: the tenant platform is unavailable (503)\n");
    // The org guard answers another org's id with an empty 404: a configuration error (exit 1)
    // naming both settings it can come from, never "not found".
    const wrongOrg = await runCli(["sync", "--json", "--db", cache], { ...sim.env, MOLECULE_ORG_ID: "org-other" });
    expect(wrongOrg.code).toBe(1);
    expect(JSON.parse(wrongOrg.stdout).error).toMatchObject({ code: "Config", status: 404 });
    expect(wrongOrg.stderr.trim().split("\n")).toHaveLength(1);
    expect(wrongOrg.stderr).toMatch(
      /^molecule-ops: list workspaces: the tenant answered an empty 404: check MOLECULE_ORG_ID .*MOLECULE_TENANT_URL/,
    );
    const refused = await runCli(["sync", "--db", cache], { ...sim.env, ADMIN_TOKEN: "not-the-token-123456" });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refused ADMIN_TOKEN \(401\)/);
    expect(refused.stderr).not.toContain("not-the-token");
    const listed = await runCli(["workspaces", "--json", "--db", cache], {});
    expect(JSON.parse(listed.stdout)).toHaveLength(sim.state.workspaces().length);
    for (const x of [r, wrongOrg, refused]) expectNoSecrets(x.stdout + x.stderr);
  });

  it("a black-holed tenant ends with exit 2 within --timeout", async () => {
    sim.faults.set("tenant.list", { kind: "blackhole" }, { times: 1 });
    const r = await runCli(["sync", "--timeout", "0.5", "--db", db()], sim.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("molecule-ops: no answer from the tenant platform within 500 ms\n");
  });

  it("an events failure still commits the workspaces: the report on stdout, exit 2, one line on stderr", async () => {
    const cache = db();
    sim.faults.set("tenant.events", { kind: "status", status: 502 }, { times: 1 });
    const r = await runCli(["sync", "--json", "--db", cache], sim.env);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ events_added: 0, events_error: "list events: unexpected 502" });
    expect(r.stderr).toBe("molecule-ops: events not synced: list events: unexpected 502\n");
    const table = await runCli(["workspaces", "--db", cache], {});
    expect(table.stdout).toMatch(/\nlast sync attempt failed in part: list events: unexpected 502\n$/);
  });

  it.each([
    [["workspaces", "extra"], /workspaces takes no arguments/],
    [["workspaces", "--tier", "two"], /--tier must be a whole number/],
    [["workspaces", "--stale-after", "-5"], /--stale-after/],
    [["sync", "now"], /sync takes no arguments/],
  ])("%o is a usage error (exit 1)", async (args, message) => {
    const r = await runCli([...args, "--db", db()], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
