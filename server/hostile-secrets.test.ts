/**
 * The secret scan of the browser host against an upstream that echoes every secret, in every
 * encoding, in every field, header and console line (core/testing/hostile-upstream.ts): every
 * request kind of the API catalogue (core/api/schemas.ts), with the upstream answering and in
 * its error modes, the live and restart subscriptions read for a moment, the streamed export and
 * import; SecretProbe searches every response body and header, the host's own output and every
 * file of its data folder (the bug log, the cache, its WAL) for any trace of a secret.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN } from "../cli/run-cli.testkit";
import { TOKEN_HEADER } from "../core/api/ops-client";
import { requestInputs } from "../core/api/schemas";
import { formatProvlogLine } from "../core/provlog/emit";
import * as scan from "../core/testing/hostile-scan";

const SECRETS = scan.SCAN_SECRETS;

const now = scan.scanClock.now;
const CLOCK_ENV = scan.scanClock.env();

const probe = new scan.SecretProbe(SECRETS);
let hostile: scan.HostileUpstream;
/** The tenant alone (startHostilePair): it plants only the admin token. */
let tenantOnly: scan.HostileUpstream;
let home: string;
let host: ChildProcess;
let base = "";
let token = "";
let hostOutput = "";
let hostileImport: unknown;
/** Every answer the host gave: what was asked, in which mode, its status line, headers and body. */
const answers: Array<{ where: string; text: string }> = [];
/** Request kinds called, to check the catalogue was covered. */
const called = new Set<string>();
const okHits = new Map<scan.HostileRoute, number>();
const bodiesOf = (pattern: RegExp) => answers.filter((a) => pattern.test(a.where)).map((a) => a.text);

function record(where: string, res: Response, body: string): void {
  const headers = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join("\n");
  answers.push({ where, text: `${res.status}\n${headers}\n\n${body}` });
}

async function call(mode: scan.HostileMode, name: string, input: unknown): Promise<{ ok: boolean; result?: unknown }> {
  called.add(name);
  const res = await fetch(`${base}/api/request/${name}`, {
    method: "POST",
    headers: { "content-type": "application/json", [TOKEN_HEADER]: token },
    body: JSON.stringify(input),
  });
  const body = await res.text();
  record(`${name} ${JSON.stringify(input)} (mode ${mode})`, res, body);
  return JSON.parse(body);
}

/** A subscription read as the page reads it, for `ms` or until it ends. */
async function subscribe(mode: scan.HostileMode, name: string, input: unknown, ms: number): Promise<string> {
  return subscribeUntil(mode, name, input, new Promise((r) => setTimeout(r, ms)));
}

/** A subscription read as the page reads it, until `done` settles or the stream ends. */
async function subscribeUntil(
  mode: scan.HostileMode,
  name: string,
  input: unknown,
  done: Promise<unknown>,
): Promise<string> {
  called.add(`subscribe ${name}`);
  const stop = new AbortController();
  const res = await fetch(`${base}/api/subscribe/${name}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { [TOKEN_HEADER]: token },
    signal: stop.signal,
  });
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let streamed = "";
  let finished = false;
  const ended = done.then(() => {
    finished = true;
    return null;
  });
  while (reader && !finished) {
    const r = await Promise.race([reader.read(), ended]);
    if (!r || r.done) break;
    streamed += decoder.decode(r.value, { stream: true });
  }
  stop.abort();
  await reader?.cancel().catch(() => {});
  record(`subscription ${name} ${JSON.stringify(input)} (mode ${mode})`, res, streamed);
  return streamed;
}

async function exportAs(mode: scan.HostileMode, format: "csv" | "jsonl" | "provlog"): Promise<string> {
  called.add("export");
  const res = await fetch(`${base}/api/export`, {
    method: "POST",
    headers: { "content-type": "application/json", [TOKEN_HEADER]: token },
    body: JSON.stringify({ filter: {}, format }),
  });
  const body = await res.text();
  record(`export ${format} (mode ${mode})`, res, body);
  return body;
}

async function importLog(mode: scan.HostileMode, name: string, content: string): Promise<unknown> {
  called.add("import");
  const res = await fetch(`${base}/api/import?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream", [TOKEN_HEADER]: token },
    body: content,
  });
  const body = await res.text();
  record(`import ${name} (mode ${mode})`, res, body);
  return JSON.parse(body);
}

/** The requests that reach the upstream, in one mode. */
async function upstreamRequests(mode: scan.HostileMode): Promise<void> {
  const W = scan.HOSTILE_WS;
  await call(mode, "sync.run", {});
  await call(mode, "sweep.run", {});
  for (const id of [W.lead, W.writer, W.crashing, W.oddity, W.archivist]) {
    await call(mode, "workspaces.get", { id });
    await call(mode, "workspaces.status", { id });
  }
  await call(mode, "console.read", { id: W.crashing });
  await call(mode, "console.read", { id: W.writer, cached: true });
  await call(mode, "bootstrap.report", { id: W.crashing });
  await call(mode, "bootstrap.report", { id: W.writer });
  await call(mode, "profiles.test", { name: "environment" });
  const doctor = await call(mode, "doctor.run", {});
  const findings = ((doctor.result as { findings?: Array<{ id: string; kind: string }> })?.findings ?? []).filter(
    (f) => f.kind === "stuck_provisioning" || f.kind === "orphan_instance",
  );
  for (const f of findings.slice(0, 2)) await call(mode, "doctor.act", { finding: f.id });
  // Restarts, each followed on its progress stream: via the tenant, via the CP (Stop first).
  await call(mode, "restart.start", { id: W.lead, via: "tenant", graceMs: 0 });
  await subscribe(mode, "restart.progress", { id: W.lead }, 1500);
  await call(mode, "restart.get", { id: W.lead });
  const viaCp = mode === "ok" ? W.reviewer : W.child;
  await call(mode, "restart.start", { id: viaCp, via: "cp", graceMs: 0 });
  await subscribe(mode, "restart.progress", { id: viaCp }, 1500);
  await call(mode, "restart.get", { id: viaCp });
  // The writer's restart fails again: its reason is read from its events.
  await call(mode, "restart.start", { id: W.writer, via: "tenant", graceMs: 0 });
  await subscribe(mode, "restart.progress", { id: W.writer }, 1500);
  await call(mode, "restart.get", { id: W.writer });
  // A restart cancelled before its Stop.
  await call(mode, "restart.start", { id: W.archivist, via: "cp", graceMs: 60_000 });
  await call(mode, "restart.cancel", { id: W.archivist });
  await call(mode, "restart.get", { id: W.archivist });
  await subscribe(mode, "live", {}, 1500);
}

/** A profile with no CP: the console and the bootstrap report go through the tenant's console route. */
async function tenantProfile(mode: scan.HostileMode): Promise<void> {
  const profile = {
    name: "tenant-only",
    tenantUrl: tenantOnly.url,
    orgId: tenantOnly.env.MOLECULE_ORG_ID!,
    cpUrl: null,
  };
  const secrets = { adminToken: SECRETS.adminToken, provisionSecret: "", adminApiToken: "" };
  await call(mode, "profiles.save", { profile, secrets });
  await call(mode, "profiles.use", { name: "tenant-only" });
  await call(mode, "sync.run", {});
  await call(mode, "console.read", { id: scan.HOSTILE_WS.lead });
  await call(mode, "bootstrap.report", { id: scan.HOSTILE_WS.crashing });
  await call(mode, "profiles.use", { name: "environment" });
}

/** The requests answered from the cache and the host's own state. */
async function localRequests(mode: scan.HostileMode): Promise<void> {
  await call(mode, "app.info", {});
  await call(mode, "settings.get", {});
  await call(mode, "settings.set", { theme: "dark", sweepSeconds: 30 });
  await call(mode, "workspaces.list", {});
  await call(mode, "workspaces.list", { text: "a", status: "online" });
  await call(mode, "timeline.list", { filter: {} });
  await call(mode, "timeline.list", { filter: { workspaceId: scan.HOSTILE_WS.writer }, limit: 50 });
  await call(mode, "profiles.list", {});
  for (const format of ["csv", "jsonl", "provlog"] as const) await exportAs(mode, format);
}

function routeHits(route: scan.HostileRoute): number {
  return hostile.hits(route) + tenantOnly.hits(route);
}

/** The data folder, scanned while the host runs (its WAL is there) and after it stopped. */
const storedHits = new Map<string, scan.SecretHit>();
const seenFiles = new Set<string>();
function scanFiles(when: string): void {
  for (const f of scan.filesUnder(home)) {
    // The credentials file is where a profile's secrets are kept, by design (0600): the one exception.
    if (f.endsWith("credentials.json")) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(f);
    } catch {
      continue;
    }
    seenFiles.add(f);
    for (const h of probe.find(bytes, `${f} (${when})`)) storedHits.set(`${f}|${h.secret}|${h.form}|${h.index}`, h);
  }
}

/**
 * Ctrl-C, as a person stops it; killed if it has not exited within 10 s. Returns how it ended:
 * its exit code, or the signal that ended it.
 */
async function stopHost(): Promise<number | string | null> {
  if (host.exitCode !== null || host.signalCode !== null) return host.exitCode ?? host.signalCode;
  const exited = new Promise((r) => host.once("exit", r));
  host.kill("SIGINT");
  const kill = setTimeout(() => host.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(kill);
  return host.exitCode ?? host.signalCode;
}

describe("the browser host against a hostile upstream keeps the secrets to itself", () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "hostile-serve-"));
    ({ hostile, tenantOnly } = await scan.startHostilePair(SECRETS));
    host = spawn(process.execPath, [BIN, "serve", "--port", "0"], {
      env: { PATH: process.env.PATH, HOME: home, ...hostile.env, ...CLOCK_ENV, MOLECULE_OPS_HOME: home },
      stdio: ["ignore", "pipe", "pipe"],
    });
    host.stdout?.on("data", (c) => {
      hostOutput += c;
    });
    host.stderr?.on("data", (c) => {
      hostOutput += c;
    });
    const deadline = Date.now() + 30_000;
    while (!/#token=/.test(hostOutput)) {
      if (Date.now() > deadline || host.exitCode !== null) throw new Error(`serve printed no URL: ${hostOutput}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const m = /(http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(hostOutput);
    base = m?.[1] ?? "";
    token = m?.[2] ?? "";

    // The live subscription, open for the whole "ok" round: /ws's status events, relists, sweeps.
    let endLive = () => {};
    const liveRead = subscribeUntil(
      "ok",
      "live",
      {},
      new Promise<void>((r) => {
        endLive = r;
      }),
    );
    // The tenant's server log (instance ids), streamed in as the page's drop does; then a log
    // whose records carry hostile text in every field, as a tenant's own log may.
    await importLog("ok", "tenant-server.log", hostile.serverLog());
    const at = new Date(now() - 20 * 60_000);
    const p = hostile.text;
    const hostileLog = [
      formatProvlogLine(
        "provision.ec2_start_failed",
        { workspace_id: scan.HOSTILE_WS.writer, error: p.text("log error"), [p.text("log key")]: p.text("log value") },
        at,
      ),
      `${at.toISOString()} prose line ${p.text("log prose")}`,
      formatProvlogLine("provision.start", { workspace_id: scan.HOSTILE_WS.lead, note: p.text("log note") }, at),
    ].join("\n");
    hostileImport = await importLog("ok", "hostile.log", `${hostileLog}\n`);

    await localRequests("ok");
    await upstreamRequests("ok");
    // A saved profile on the same upstream, with its secrets entered as a person types them:
    // used, tested, switched away from and removed.
    const profile = {
      name: "hostile",
      tenantUrl: hostile.url,
      orgId: hostile.env.MOLECULE_ORG_ID!,
      cpUrl: hostile.url,
    };
    await call("ok", "profiles.save", { profile, secrets: SECRETS });
    await call("ok", "profiles.use", { name: "hostile" });
    await call("ok", "profiles.test", { name: "hostile" });
    await call("ok", "sync.run", {});
    await call("ok", "console.read", { id: scan.HOSTILE_WS.lead });
    await call("ok", "profiles.list", {});
    await call("ok", "profiles.use", { name: "environment" });
    await call("ok", "profiles.remove", { name: "hostile" });
    await tenantProfile("ok");
    await localRequests("ok");
    endLive();
    await liveRead;
    for (const r of scan.HOSTILE_ROUTES) okHits.set(r, routeHits(r));
    scanFiles("after the ok round");

    for (const mode of [500, 401, 409, 503] as const) {
      hostile.answer("all", mode);
      tenantOnly.answer("all", mode);
      await upstreamRequests(mode);
      await tenantProfile(mode);
      await localRequests(mode);
      // Later steps: a listed sync whose events fail, a restart accepted whose follow fails.
      hostile.answer("tenant.list", "ok");
      hostile.answer("tenant.restart", "ok");
      await call(mode, "sync.run", {});
      await call(mode, "restart.start", { id: scan.HOSTILE_WS.crashing, via: "tenant", graceMs: 0 });
      await subscribe(mode, "restart.progress", { id: scan.HOSTILE_WS.crashing }, 1200);
      hostile.answer("tenant.get", "ok");
      await call(mode, "restart.start", { id: scan.HOSTILE_WS.writer, via: "tenant", graceMs: 0 });
      await subscribe(mode, "restart.progress", { id: scan.HOSTILE_WS.writer }, 1200);
      scanFiles(`after mode ${mode}`);
    }
    hostile.answer("all", "ok");
    tenantOnly.answer("all", "ok");
  }, 120_000);

  afterAll(async () => {
    if (host) await stopHost();
    await hostile?.close();
    await tenantOnly?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("called every request kind of the API, and reached every route of the upstream both ways", () => {
    for (const name of Object.keys(requestInputs)) expect(called.has(name), name).toBe(true);
    for (const name of ["subscribe live", "subscribe restart.progress", "export", "import"]) {
      expect(called.has(name), name).toBe(true);
    }
    // No request of the API provisions (a restart via cp is Stop then the tenant's restart, no CP Start).
    for (const route of scan.HOSTILE_ROUTES.filter((r) => r !== "cp.provision")) {
      expect(okHits.get(route), `${route} (ok)`).toBeGreaterThan(0);
      expect(routeHits(route) - (okHits.get(route) ?? 0), `${route} (errors)`).toBeGreaterThan(0);
    }
    expect(hostile.framesSent()).toBeGreaterThan(0);
    // The answers carried the hostile data, redacted, and the error modes failed.
    expect(bodiesOf(/^console\.read .*\(mode ok\)/).join("")).toContain("[redacted]");
    expect(bodiesOf(/^subscription live .*\(mode ok\)/).join("")).toContain('"kind":"status"');
    expect(bodiesOf(/^subscription restart\.progress .*\(mode ok\)/).join("")).toContain('"step"');
    expect(bodiesOf(/^sync\.run .*\(mode 500\)/).join("")).toContain('"ok":false');
    expect(bodiesOf(/^export jsonl \(mode ok\)/).join("").length).toBeGreaterThan(1000);
    expect(hostileImport).toMatchObject({ ok: true, result: { events: 2, added: 2 } });
  });

  it("answers no trace of a secret in any body or header, and prints none", () => {
    const hits: scan.SecretHit[] = [];
    for (const a of answers) hits.push(...probe.find(a.text, a.where));
    hits.push(...probe.find(hostOutput, "the host's stdout and stderr"));
    expect(scan.describeHits(hits)).toBe("");
  });

  it("stores no trace of a secret in its data folder (bug log, cache, WAL), the credentials file aside", async () => {
    // Ctrl-C ends it although restarts were still being followed (it once hung until killed).
    expect(await stopHost()).toBe(0);
    scanFiles("after the host stopped");
    const seen = [...seenFiles];
    expect(seen.some((f) => f.endsWith("cache.db"))).toBe(true);
    expect(seen.some((f) => f.endsWith("cache.db-wal"))).toBe(true);
    expect(scan.describeHits([...storedHits.values()])).toBe("");
  });
});
