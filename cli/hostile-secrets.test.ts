/**
 * The secret scan of the CLI against an upstream that echoes every secret, in every encoding, in
 * every field, header and console line (core/testing/hostile-upstream.ts): every command that
 * talks upstream or writes runs once with every route answering, then again with every route
 * answering 500, then 401 (and the commands a 409 or a 503 means something to, in those), each
 * error round also with only the later routes failing; SecretProbe then searches every stdout and stderr, every file of the data
 * folder (the cache, its WAL and SHM, the bug log) and every --out file, raw bytes included, for
 * any trace of a secret (docs/contracts.md §5).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatProvlogLine } from "../core/provlog/emit";
import {
  describeHits,
  filesUnder,
  HOSTILE_ROUTES,
  HOSTILE_WS,
  type HostileErrorStatus,
  type HostileMode,
  type HostileRoute,
  type HostileUpstream,
  SCAN_SECRETS,
  type SecretHit,
  SecretProbe,
  scanClock,
  startHostilePair,
} from "../core/testing/hostile-scan";
import { BIN, type CliResult, runCli } from "./run-cli.testkit";

const SECRETS = SCAN_SECRETS;

const CLOCK_ENV = scanClock.env();

const probe = new SecretProbe(SECRETS);
/** The tenant and CP every command talks to: everything planted, everything configured. */
let hostile: HostileUpstream;
/** The tenant alone (startHostilePair): it plants only the admin token. */
let tenantOnly: HostileUpstream;
let root: string;
let home: string;
let outDir: string;
let logFile: string;
let hostileLog: string;
let env: Record<string, string>;
/** Every command run: its arguments, the mode the upstream was in, what it printed. */
const runs: Array<{ label: string; result: CliResult }> = [];
const okHits = new Map<HostileRoute, number>();
/** The data folder and the --out files, scanned after each round and while watch holds the cache open. */
const storedHits = new Map<string, SecretHit>();
const seenFiles = new Set<string>();

function scanFiles(after: string): void {
  for (const f of [...filesUnder(home), ...filesUnder(outDir)]) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(f);
    } catch {
      continue; // removed while read (a WAL at the last connection's close)
    }
    seenFiles.add(f);
    for (const h of probe.find(bytes, `${f} (after ${after})`)) {
      const key = `${f}|${h.secret}|${h.form}|${h.index}`;
      if (!storedHits.has(key)) storedHits.set(key, h);
    }
  }
}

function answer(route: HostileRoute | "all", mode: HostileMode): void {
  hostile.answer(route, mode);
  tenantOnly.answer(route, mode);
}

/** The environment of a run that reads the console through the tenant. */
function viaTenant(): Record<string, string> {
  return { MOLECULE_TENANT_URL: tenantOnly.url, MOLECULE_CP_SHARED_SECRET: "", CP_ADMIN_API_TOKEN: "" };
}

async function run(label: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const result = await runCli(args, { ...env, ...extraEnv });
  runs.push({ label: `${label}: ${args.join(" ")}`, result });
  return result;
}

/** Runs `watch` for about 2 s, then Ctrl-C. */
async function watchFor(label: string, ms: number): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, "watch", "--interval", "1"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => {
    stdout += c;
  });
  child.stderr.on("data", (c) => {
    stderr += c;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise((r) => setTimeout(r, ms));
  // While it runs, its cache connection is open: the WAL is there to read.
  scanFiles(`${label}: watch, running`);
  child.kill("SIGINT");
  const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
  const code = await exited;
  clearTimeout(kill);
  const result = { code, stdout, stderr };
  runs.push({ label: `${label}: watch --interval 1 (${ms} ms)`, result });
  return result;
}

let provisioned = 0;
/** A workspace id the tenant does not know (a CP Start is for those). */
function unknownId(): string {
  provisioned++;
  return `9f0e1d2c-3b4a-4c5d-8e6f-${String(provisioned).padStart(12, "0")}`;
}

/**
 * Every command of docs/cli.md that talks upstream or writes, in one mode. Workspaces are chosen
 * so that each run reaches its route: `stop` and `restart --via cp` need a current instance on
 * file, and a successful Stop closes it, so the "ok" round stops workspaces the error rounds
 * leave alone (their Stops fail and keep the instance current).
 */
async function everyCommand(mode: HostileMode): Promise<void> {
  const label = `mode ${mode}`;
  const out = (name: string) => join(outDir, `${mode}-${name}`);
  const W = HOSTILE_WS;
  const ok = mode === "ok";
  await run(label, ["sync"]);
  await run(label, ["sync", "--json"]);
  await run(label, ["import-log", logFile, "--json"]);
  if (ok) await run(label, ["import-log", hostileLog]);
  await run(label, ["workspaces"]);
  await run(label, ["workspaces", "--json"]);
  await run(label, ["status", W.lead]);
  await run(label, ["status", W.writer, "--json"]);
  await run(label, ["console", W.crashing]);
  await run(label, ["console", W.writer, "--out", out("console.txt")]);
  await run(label, ["console", W.lead, "--json"], viaTenant());
  await run(label, ["console", W.crashing, "--cached"]);
  await run(label, ["stop", ok ? W.archivist : W.child, "--yes"]);
  await run(label, ["stop", W.orphan, "--yes", "--json"]);
  await run(label, ["provision", unknownId(), "--runtime", "langgraph", "--tier", "2", "--yes"]);
  await run(label, ["provision", W.poller, "--yes", "--json"]);
  await run(label, ["restart", W.lead, "--via", "tenant", "--yes", "--follow", "1"]);
  await run(label, ["restart", W.writer, "--via", "tenant", "--yes", "--follow", "1", "--json"]);
  await run(label, ["restart", W.poller, "--yes"]);
  await run(label, ["restart", ok ? W.reviewer : W.oddity, "--via", "cp", "--yes", "--follow", "1", "--json"]);
  await run(label, ["report-failure", W.crashing, "--yes"]);
  await run(label, ["report-failure", W.writer, "--yes", "--json"], viaTenant());
  await run(label, ["timeline"]);
  await run(label, ["timeline", W.writer, "--format", "jsonl"]);
  await run(label, ["timeline", "--format", "csv"]);
  await run(label, ["timeline", "--format", "csv", "--out", out("timeline.csv")]);
  await run(label, ["timeline", "--format", "jsonl", "--out", out("timeline.jsonl")]);
  await run(label, ["timeline", "--format", "table", "--out", out("timeline.txt")]);
  await run(label, ["doctor"]);
  const doctor = await run(label, ["doctor", "--json"]);
  if (ok) {
    // Act on a finding too: its action's answer and the doctor.action record are scanned.
    const findings = JSON.parse(doctor.stdout).findings as Array<{ id: string; kind: string }>;
    const stuck = findings.find((f) => f.kind === "stuck_provisioning");
    if (stuck) await run(label, ["doctor", "--act", stuck.id, "--yes"]);
  }
  if (mode === 500 || mode === "ok") await watchFor(label, 2000);
}

/**
 * An error mode where only some routes fail, so the later requests of a command are reached: the
 * events after a listed sync, the follow of an accepted restart, the Stop of a restart via cp.
 */
async function laterSteps(mode: HostileErrorStatus): Promise<void> {
  const label = `mode ${mode}, list and restart answered`;
  answer("all", mode);
  answer("tenant.list", "ok");
  answer("tenant.restart", "ok");
  await run(label, ["sync"]);
  await run(label, ["restart", HOSTILE_WS.lead, "--via", "tenant", "--yes", "--follow", "1"]);
  await run(label, ["restart", HOSTILE_WS.crashing, "--via", "cp", "--yes", "--follow", "1"]);
  await run(label, ["doctor", "--json"]);
  // The writer's restart fails again: its status read answers, the reason (its events) does not.
  answer("tenant.get", "ok");
  await run(`${label}, get answered`, ["restart", HOSTILE_WS.writer, "--via", "tenant", "--yes", "--follow", "1"]);
}

/** The commands a 409 or a 503 means something to: a paused parent, the provisioner away, a Stop refused. */
async function conflictCommands(mode: HostileErrorStatus): Promise<void> {
  const label = `mode ${mode}`;
  answer("all", mode);
  await run(label, ["sync"]);
  await run(label, ["status", HOSTILE_WS.lead, "--json"]);
  await run(label, ["console", HOSTILE_WS.crashing]);
  await run(label, ["stop", HOSTILE_WS.child, "--yes"]);
  await run(label, ["provision", unknownId(), "--runtime", "crewai", "--tier", "1", "--yes"]);
  await run(label, ["restart", HOSTILE_WS.child, "--via", "tenant", "--yes", "--follow", "1"]);
  await run(label, ["restart", HOSTILE_WS.oddity, "--via", "cp", "--yes", "--follow", "1"]);
  await run(label, ["report-failure", HOSTILE_WS.crashing, "--yes"]);
  await run(label, ["doctor"]);
}

function routeHits(route: HostileRoute): number {
  return hostile.hits(route) + tenantOnly.hits(route);
}

describe("every CLI command against a hostile upstream keeps the secrets to itself", () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "hostile-cli-"));
    home = join(root, "home");
    outDir = join(root, "out");
    mkdirSync(outDir);
    ({ hostile, tenantOnly } = await startHostilePair(SECRETS));
    // The tenant's server log is the tenant's file (instance ids only), outside the scanned folders.
    logFile = join(root, "tenant-server.log");
    writeFileSync(logFile, hostile.serverLog());
    // A log whose records carry hostile text in every field and key, as a tenant's own log may.
    hostileLog = join(root, "tenant-hostile.log");
    const at = new Date(scanClock.now() - 20 * 60_000);
    const p = hostile.text;
    writeFileSync(
      hostileLog,
      [
        formatProvlogLine(
          "provision.ec2_start_failed",
          { workspace_id: HOSTILE_WS.writer, error: p.text("log error"), [p.text("log key")]: p.text("log value") },
          at,
        ),
        `prose line ${p.text("log prose")}`,
        formatProvlogLine("provision.start", { workspace_id: HOSTILE_WS.lead, note: p.text("log note") }, at),
        "",
      ].join("\n"),
    );
    env = { ...hostile.env, ...CLOCK_ENV, MOLECULE_OPS_HOME: home, MOLECULE_OPS_DB: join(home, "cache.db") };

    await everyCommand("ok");
    scanFiles("mode ok");
    for (const r of HOSTILE_ROUTES) okHits.set(r, routeHits(r));
    for (const mode of [500, 401] as const) {
      answer("all", mode);
      await everyCommand(mode);
      await laterSteps(mode);
      scanFiles(`mode ${mode}`);
    }
    for (const mode of [409, 503] as const) {
      await conflictCommands(mode);
      await laterSteps(mode);
      scanFiles(`mode ${mode}`);
    }
    answer("all", "ok");
  }, 120_000);

  afterAll(async () => {
    await hostile?.close();
    await tenantOnly?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("reached every route of the upstream, with every route answering and in the error modes", () => {
    for (const route of HOSTILE_ROUTES) {
      expect(okHits.get(route), `${route} (ok)`).toBeGreaterThan(0);
      expect(routeHits(route) - (okHits.get(route) ?? 0), `${route} (errors)`).toBeGreaterThan(0);
    }
    expect(hostile.framesSent()).toBeGreaterThan(0);
    // The commands did their work in the "ok" round and failed in the error rounds.
    const result = (label: string) => runs.find((r) => r.label === label)?.result;
    expect(result("mode ok: sync")?.code).toBe(0);
    expect(result("mode ok: workspaces --json")?.stdout).toContain(HOSTILE_WS.lead);
    expect(result(`mode ok: import-log ${hostileLog}`)?.stdout).toMatch(/2 records \(2 new/);
    expect(result(`mode ok: console ${HOSTILE_WS.lead} --json`)?.stdout).toContain("[redacted]");
    expect(result("mode 500: sync")?.code).toBe(2);
    expect(result("mode 401: sync")?.code).toBe(2);
    expect(existsSync(join(outDir, "ok-timeline.csv"))).toBe(true);
    expect(existsSync(join(outDir, "ok-console.txt"))).toBe(true);
  });

  it("prints no trace of a secret on stdout or stderr", () => {
    const hits: SecretHit[] = [];
    for (const { label, result } of runs) {
      hits.push(...probe.find(result.stdout, `stdout of ${label}`), ...probe.find(result.stderr, `stderr of ${label}`));
    }
    expect(describeHits(hits)).toBe("");
  });

  it("stores no trace of a secret in the data folder (cache, WAL, SHM, logs) or in --out files", () => {
    scanFiles("the last command");
    const seen = [...seenFiles];
    const hits = [...storedHits.values()];
    expect(seen.some((f) => f.endsWith("cache.db"))).toBe(true);
    expect(seen.some((f) => f.endsWith("cache.db-wal"))).toBe(true);
    expect(seen.filter((f) => f.startsWith(outDir)).length).toBeGreaterThanOrEqual(5);
    expect(describeHits(hits)).toBe("");
  });
});
