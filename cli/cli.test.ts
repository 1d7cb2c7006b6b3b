import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sim, startSim } from "../sim";
import { SIM_ENV_NAMES } from "../sim/test-support";
import { BIN, runCli } from "./run-cli.testkit";

let sim: Sim;
let dir: string;
let env: Record<string, string>;
let counter = 0;

beforeAll(async () => {
  sim = await startSim({ workspaces: 6, seed: 7, timing: { pendingMs: 50, stoppingMs: 50, provisioningMs: 50 } });
  dir = mkdtempSync(join(tmpdir(), "cli-"));
  env = { ...sim.env };
});

afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh cache per test, so tests do not see each other's mappings. */
function db(): string {
  counter += 1;
  return join(dir, `cache-${counter}.db`);
}

function secrets(): string[] {
  return [env.MOLECULE_CP_SHARED_SECRET!, env.ADMIN_TOKEN!, env.CP_ADMIN_API_TOKEN!];
}

function expectNoSecrets(text: string): void {
  for (const s of secrets()) {
    expect(text).not.toContain(s);
    expect(text).not.toContain(s.slice(0, 8));
  }
}

describe("molecule-ops against the emulator", () => {
  it("provision → status → console → stop, with --json documents and a recorded mapping", async () => {
    const cache = db();
    // provision is for a workspace the tenant does not know (docs/contracts.md §5): no warning, and the
    // console's own Start is where it learns the mapping.
    const ws = { id: randomUUID() };
    expect(sim.state.workspace(ws.id)).toBeUndefined();
    const p = await runCli(
      ["provision", ws.id, "--runtime", "langgraph", "--tier", "2", "--yes", "--json", "--db", cache],
      env,
    );
    expect(p.stderr).toBe("");
    expect(p.code).toBe(0);
    const started = JSON.parse(p.stdout);
    expect(started).toMatchObject({ workspace_id: ws.id, state: "pending" });
    expect(started.instance_id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(sim.state.instances().some((i) => i.instance_id === started.instance_id)).toBe(true);

    await waitFor(() => sim.state.instances().find((i) => i.instance_id === started.instance_id)?.state === "running");
    const s = await runCli(["status", ws.id, "--json", "--db", cache], env);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout)).toEqual({
      workspace_id: ws.id,
      instance_id: started.instance_id,
      running: true,
      error: null,
      error_code: null,
    });

    const c = await runCli(["console", ws.id, "--json", "--db", cache], env);
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout).output).toContain("cloud-init");

    const out = join(dir, "console.txt");
    const f = await runCli(["console", ws.id, "--out", out, "--db", cache], env);
    expect(f.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("cloud-init");

    const stop = await runCli(["stop", ws.id, "--yes", "--json", "--db", cache], env);
    expect(stop.code).toBe(0);
    expect(JSON.parse(stop.stdout)).toEqual({ workspace_id: ws.id, instance_id: started.instance_id, stopped: true });
    const deletes = sim.state.requests().filter((r) => r.method === "DELETE");
    expect(deletes.at(-1)!.url).toBe(`/cp/workspaces/${ws.id}?instance_id=${started.instance_id}`);

    // The mapping is closed: a second stop sends nothing, status says "not running" without asking.
    const before = sim.state.requests().length;
    const again = await runCli(["stop", ws.id, "--yes", "--db", cache], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("nothing to stop");
    const after = await runCli(["status", ws.id, "--json", "--db", cache], env);
    expect(JSON.parse(after.stdout)).toMatchObject({ instance_id: null, running: false, error: null });
    expect(after.code).toBe(0);
    // …and says how an instance is learnt, since the tenant API never tells.
    expect(after.stderr).toMatch(/^molecule-ops: no instance on file: .*import-log FILE/);
    expect(sim.state.requests().length).toBe(before);
    for (const r of [p, s, c, f, stop, again, after]) expectNoSecrets(r.stdout + r.stderr);
    // Nor in the cache file (and its WAL), nor in the saved console.
    for (const path of [cache, `${cache}-wal`, out]) {
      if (existsSync(path)) expectNoSecrets(readFileSync(path).toString("latin1"));
    }
  });

  it("a CP fault on status is 'uncertain' with exit 2, not 'not running'", async () => {
    const cache = db();
    const ws = { id: randomUUID() };
    const p = await runCli(["provision", ws.id, "--runtime", "crewai", "--tier", "1", "--yes", "--db", cache], env);
    expect(p.code).toBe(0);
    sim.faults.set(
      "cp.status",
      { kind: "status", status: 503, body: `Bearer ${env.MOLECULE_CP_SHARED_SECRET}` },
      { times: 1 },
    );
    const r = await runCli(["status", ws.id, "--json", "--db", cache], env);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ workspace_id: ws.id, running: true, error: "status: unexpected 503" });
    expect(r.stderr.trim().split("\n")).toEqual(["molecule-ops: status: unexpected 503"]);
    expectNoSecrets(r.stdout + r.stderr);
  });

  it("a Stop 503 exits 2 with one line naming the workspace and status, and keeps the mapping", async () => {
    const cache = db();
    const ws = { id: randomUUID() };
    const p = await runCli(
      ["provision", ws.id, "--runtime", "hermes", "--tier", "3", "--yes", "--json", "--db", cache],
      env,
    );
    const instance = JSON.parse(p.stdout).instance_id;
    sim.faults.set("cp.stop", { kind: "status", status: 503, body: "ec2 throttled" }, { times: 1 });
    const r = await runCli(["stop", ws.id, "--yes", "--db", cache], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`molecule-ops: stop ${ws.id}: unexpected 503: ec2 throttled\n`);
    const s = await runCli(["status", ws.id, "--json", "--db", cache], env);
    expect(JSON.parse(s.stdout).instance_id).toBe(instance);
  });

  it("keeps each console read and shows the last one offline with --cached", async () => {
    const cache = db();
    // The console is read by workspace id (docs/contracts.md §3): no instance need be on file.
    const ws = sim.state.addWorkspace({ status: "online", runtime: "codex", tier: 1 });
    const none = await runCli(["console", ws.id, "--cached", "--db", cache], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no console of .* has been read yet/);
    const live = await runCli(["console", ws.id, "--json", "--db", cache], env);
    expect(live.code).toBe(0);
    const read = JSON.parse(live.stdout);
    expect(read.output).toContain("cloud-init");
    sim.faults.set("cp.console", { kind: "status", status: 503 }, { times: 1 });
    const failed = await runCli(["console", ws.id, "--db", cache], env);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/console: unexpected 503 \(a copy read .* is cached: add --cached\)/);
    // Offline: no CP configured at all.
    const cached = await runCli(["console", ws.id, "--cached", "--json", "--db", cache], {});
    expect(cached.code).toBe(0);
    expect(JSON.parse(cached.stdout)).toEqual({
      workspace_id: ws.id,
      output: read.output,
      fetched_at: read.fetched_at,
    });
  });

  it("timeline --format provlog writes server log lines (0600 with --out) that import-log reads back to the same rows", async () => {
    const cache = db();
    // The console's own records (sub-second times) next to an imported server log.
    const ws = { id: randomUUID() };
    const p = await runCli(
      ["provision", ws.id, "--runtime", "codex", "--tier", "1", "--yes", "--json", "--db", cache],
      env,
    );
    expect(p.code).toBe(0);
    const instance = JSON.parse(p.stdout).instance_id as string;
    const log = join(dir, `server-${counter}.log`);
    writeFileSync(
      log,
      [
        "2026/05/05 12:30:00 platform starting",
        `2026/05/05 12:30:11 evt: provision.start {"name":"say \\"hi\\"\\nünï","workspace_id":"${ws.id}"}`,
        '2026/05/05 12:30:12 evt: provision.ec2_started {"instance_id":"i-0aaaaaaaaaaaaaaa1","workspace_id":"ws-other"}',
        "",
      ].join("\n"),
    );
    expect((await runCli(["import-log", log, "--db", cache], {})).code).toBe(0);

    const out = join(dir, `timeline-${counter}.log`);
    const w = await runCli(["timeline", "--format", "provlog", "--out", out, "--db", cache], {});
    expect(w.code).toBe(0);
    expect(w.stdout).toBe(`wrote 3 events to ${out} (provlog)\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines[0]).toMatch(/^2026\/05\/05 12:30:11 evt: provision\.start \{"name":"say \\"hi\\"\\nünï",/);
    expect(lines[2]).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(\.\d{6})? evt: provision\.ec2_started \{/);
    // Without --out it streams the same bytes to stdout.
    const streamed = await runCli(["timeline", "--format", "provlog", "--db", cache], {});
    expect(streamed.stdout).toBe(readFileSync(out, "utf8"));

    const fresh = db();
    const back = await runCli(["import-log", out, "--json", "--db", fresh], {});
    expect(JSON.parse(back.stdout)).toMatchObject({ events: 3, added: 3, malformed: 0, skipped: 0 });
    const rows = async (file: string) =>
      (await runCli(["timeline", "--json", "--db", file], {})).stdout
        .trimEnd()
        .split("\n")
        .map((l) => {
          const { source: _source, ...rest } = JSON.parse(l);
          return rest;
        });
    expect(await rows(fresh)).toEqual(await rows(cache));
    // The console's Start, read back as a provlog record, teaches the fresh cache the same mapping.
    const mapped = await runCli(["status", ws.id, "--json", "--db", fresh], env);
    expect(JSON.parse(mapped.stdout)).toMatchObject({ workspace_id: ws.id, instance_id: instance });
  });

  it("without a CP secret the console is read through the tenant, by workspace id", async () => {
    const ws = sim.state.addWorkspace({ status: "online", runtime: "crewai", tier: 2 });
    const before = sim.state.requests().length;
    const r = await runCli(["console", ws.id, "--json", "--db", db()], {
      ...env,
      MOLECULE_CP_SHARED_SECRET: "",
      CP_ADMIN_API_TOKEN: "",
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).output).toContain("cloud-init");
    const sent = sim.state.requests().slice(before);
    expect(sent.map((q) => [q.method, q.route, q.path])).toEqual([
      ["GET", "tenant.console", `/workspaces/${ws.id}/console`],
    ]);
    expectNoSecrets(r.stdout + r.stderr);
  });

  it("provision warns when the tenant knows the workspace (asked when the cache does not say), and Starts anyway", async () => {
    const ws = sim.state.addWorkspace({ status: "offline", runtime: "langgraph", tier: 2 });
    const p = await runCli(
      ["provision", ws.id, "--runtime", "langgraph", "--tier", "2", "--yes", "--json", "--db", db()],
      env,
    );
    expect(p.code).toBe(0);
    expect(p.stderr.trim().split("\n")).toEqual([
      `molecule-ops: warning: the tenant knows ${ws.id} (status offline on the tenant): this Start boots a machine without the tenant's secrets, and the tenant keeps its own instance id; to bring it back, restart it (molecule-ops restart ${ws.id} --yes)`,
    ]);
    expect(JSON.parse(p.stdout)).toMatchObject({ workspace_id: ws.id, state: "pending" });
  });

  it("stop with no instance on file sends nothing and says how to learn the instance", async () => {
    const ws = sim.state.addWorkspace({ status: "online" });
    const before = sim.state.requests().length;
    const r = await runCli(["stop", ws.id, "--yes", "--db", db()], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `nothing to stop: no instance on file for ${ws.id} (the tenant API never says which instance a workspace runs on: import the tenant's server log (molecule-ops import-log FILE, or Timeline → Import in the app) to learn it)\n`,
    );
    const json = await runCli(["stop", ws.id, "--yes", "--json", "--db", db()], env);
    expect(JSON.parse(json.stdout)).toEqual({ workspace_id: ws.id, instance_id: null, stopped: false });
    expect(sim.state.requests().length).toBe(before);
    expect(sim.state.instance(sim.state.instanceOf(ws.id) as string)?.state).toBe("running");
  });

  it("console failures and black holes end with exit 2 within --timeout", async () => {
    const ws = sim.state.workspaces()[0]!;
    sim.faults.set("cp.console", { kind: "blackhole" }, { times: 1 });
    const t0 = Date.now();
    const r = await runCli(["console", ws.id, "--timeout", "0.5", "--db", db()], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^molecule-ops: no answer from the control plane within/);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});

describe("usage and configuration errors exit 1 with one clear line", () => {
  it.each([
    [["status"], /status needs a workspace id/],
    [["status", "a", "b"], /takes one workspace id/],
    [["status", "../etc/passwd"], /is not a workspace id/],
    [["stop", "ws-1"], /refusing to stop workspace ws-1 without --yes/],
    [["provision", "ws-1", "--yes"], /pass --runtime/],
    [
      ["provision", "ws-1", "--runtime", "langgraph", "--tier", "9", "--yes"],
      /--tier must be a whole number from 1 to 4/,
    ],
    [["status", "ws-1", "--bogus"], /Unknown option '--bogus'/],
    [["frobnicate"], /unknown command "frobnicate"/],
  ])("%j", async (args, message) => {
    const r = await runCli([...args, "--db", db()], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("names MOLECULE_ORG_ID when it is missing", async () => {
    const r = await runCli(["status", "ws-1", "--json", "--db", db()], { ...env, MOLECULE_ORG_ID: "" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/MOLECULE_ORG_ID is not set/);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: "Config" } });
  });

  it("sets a damaged cache aside, keeps it, says so, and goes on with a fresh one", async () => {
    const damaged = join(dir, "damaged.db");
    const junk = "this is not sqlite ".repeat(100);
    writeFileSync(damaged, junk);
    const r = await runCli(["status", "ws-1", "--json", "--db", damaged], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ instance_id: null, running: false });
    const backup = /kept as (\S+) and a fresh cache/.exec(r.stderr)?.[1];
    expect(r.stderr).toMatch(/was damaged \(the file is not a SQLite database\)/);
    expect(backup && readFileSync(backup, "utf8")).toBe(junk);
  });

  it("refuses another application's SQLite database and leaves it untouched, exit 2", async () => {
    const foreign = join(dir, "foreign.db");
    const other = new Database(foreign);
    other.exec("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT); INSERT INTO photos (path) VALUES ('a.jpg')");
    other.close();
    const before = readFileSync(foreign);
    const r = await runCli(["status", "ws-1", "--db", foreign], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a molecule-ops cache/);
    expect(readFileSync(foreign).equals(before)).toBe(true);
  });
});

describe("molecule-ops sim", () => {
  it("prints the env as one JSON document, serves it, and stops cleanly on SIGTERM", async () => {
    const logFile = join(dir, "sim-server.log");
    const child = spawn(
      process.execPath,
      [BIN, "sim", "--port", "0", "--workspaces", "3", "--log", logFile, "--json"],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const firstLine = await new Promise<string>((resolve, reject) => {
      let buf = "";
      child.stdout.on("data", (c) => {
        buf += c;
        if (buf.includes("\n")) resolve(buf.slice(0, buf.indexOf("\n")));
      });
      child.on("close", () => reject(new Error(`sim exited early: ${buf}`)));
    });
    const doc = JSON.parse(firstLine);
    expect(Object.keys(doc.env).sort()).toEqual(SIM_ENV_NAMES);
    expect(doc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(doc.log).toBe(logFile);
    const cache = db();
    // The env it printed reaches its tenant, and the log it writes is the tenant's server log.
    const synced = await runCli(["sync", "--json", "--db", cache], doc.env);
    expect(synced.code).toBe(0);
    expect(JSON.parse(synced.stdout)).toMatchObject({ workspaces: 3, events_error: null });
    const imported = await runCli(["import-log", doc.log, "--json", "--db", cache], {});
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout).events).toBeGreaterThan(0);
    // Its spare workspace is one the tenant does not know: the CP Start needs no warning.
    const r = await runCli(
      ["provision", doc.spare_workspace, "--runtime", "codex", "--tier", "1", "--yes", "--json", "--db", cache],
      doc.env,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ workspace_id: doc.spare_workspace });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("rejects a bad --fault spec with exit 1", async () => {
    const r = await runCli(["sim", "--fault", "cp.nowhere=503"], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^molecule-ops: --fault cp.nowhere=503:/);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
