/**
 * Writes a realistic platform log for the import/query/export benchmarks (issue "Offline cache,
 * provlog timeline import and export", item 6): about a third provlog records in the real shape
 * of docs/contracts.md §4, the rest the Go prose and HTTP access-log lines they are interleaved with in
 * production, plus the damage docs/contracts.md §4 says an import must survive (truncated JSON, CRLF, NUL).
 * Deterministic for a given seed and line count, so cached copies in bench/.data can be reused.
 *
 * CLI: node --import tsx bench/generate-log.ts --lines N --out FILE [--seed S]
 */
import { once } from "node:events";
import { createWriteStream, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { RUNTIMES } from "../core/tenant/vocabulary";
import { SeededRandom } from "./seeded-random";

/** Bumped whenever the output for a given seed changes, so stale cached logs are regenerated. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 20260505;

export interface GenerateOptions {
  lines: number;
  seed?: number;
  /** Distinct workspaces the records talk about (the issue asks for about 1,000). */
  workspaces?: number;
  /** How many days the stamps span; they only ever increase. */
  days?: number;
}

/** What was written, so a benchmark can check that an import did the work it claims. */
export interface LogStats {
  generatorVersion: number;
  seed: number;
  lines: number;
  bytes: number;
  /** Well-formed provlog record lines, damaged-but-readable ones (CRLF, NUL, no stamp) included. */
  records: number;
  /** Record lines whose JSON was cut short: an import reports them as malformed. */
  truncatedRecords: number;
  unstampedRecords: number;
  crlfRecords: number;
  nulPrefixedLines: number;
  marshalErrorRecords: number;
  workspaces: number;
  recordsByEvent: Record<string, number>;
}

interface Workspace {
  id: string;
  /** Already quoted as Go's encoding/json writes it (HTML-safe escapes). */
  nameJson: string;
  runtime: string;
  tier: number;
  template: string;
  parentId: string;
  backend: "cp" | "docker" | "none";
  instanceId: string | null;
}

const TEMPLATES = [
  "langgraph-starter",
  "claude-code-default",
  "crewai-research",
  "autogen-pair",
  "custom/acme-support",
  "custom/northwind-etl",
  "blank",
];
const NAME_WORDS = ["support", "triage", "billing", "research", "ops", "etl", "sales", "docs", "qa", "onboarding"];
// Names that Go escapes differently from JSON.stringify, or that are not ASCII: the parser and
// the store must keep them byte for byte.
const ODD_NAMES = ["R&D <lab>", "Équipe données", "ops → prod", "tom's agent", 'the "big" one'];
const PATHS = [
  "/workspaces",
  "/workspaces/{id}",
  "/workspaces/{id}/status",
  "/events",
  "/healthz",
  "/registry/heartbeat",
];
const METHODS = ["GET", "GET", "GET", "GET", "POST", "PATCH", "DELETE"];
const STATUSES = [200, 200, 200, 200, 200, 201, 204, 304, 401, 404, 500, 502];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// Rates per line. A third records (the issue), and a "sprinkle" of damage: enough that every
// damage path runs thousands of times in a 1M-line import, few enough to stay realistic.
const RECORD_RATE = 1 / 3;
const UNSTAMPED_RATE = 0.002;
const MICROSECOND_RATE = 0.1;
const TRUNCATED_EVERY = 20_000;
const CRLF_EVERY = 20_000;
const NUL_EVERY = 25_000;
const MARSHAL_ERR_EVERY = 100_000;

/** Go's HTML-safe string quoting (encoding/json's default), as the platform writes names. */
function goQuote(s: string): string {
  return JSON.stringify(s)
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Produces the log line by line; `stats` is complete once `lines()` is exhausted. */
export class PlatformLogGenerator {
  readonly stats: LogStats;
  private readonly rand: SeededRandom;
  private readonly workspaces: Workspace[];
  private readonly stepMs: number;
  private clockMs = Date.UTC(2026, 4, 5, 0, 0, 0);
  // Stamps are rebuilt only when the second changes: a million Date objects would dominate.
  private stampSecond = -1;
  private goStamp = "";
  private ginStamp = "";
  private clfStamp = "";

  constructor(private readonly options: GenerateOptions) {
    const seed = options.seed ?? DEFAULT_SEED;
    this.rand = new SeededRandom(seed);
    const count = options.workspaces ?? 1000;
    this.workspaces = [];
    for (let i = 0; i < count; i++) this.workspaces.push(this.makeWorkspace(i));
    const days = options.days ?? 3;
    // Mean gap between lines so the stamps span `days` whatever the line count.
    this.stepMs = (days * 86_400_000) / Math.max(1, options.lines);
    this.stats = {
      generatorVersion: GENERATOR_VERSION,
      seed,
      lines: 0,
      bytes: 0,
      records: 0,
      truncatedRecords: 0,
      unstampedRecords: 0,
      crlfRecords: 0,
      nulPrefixedLines: 0,
      marshalErrorRecords: 0,
      workspaces: count,
      recordsByEvent: {},
    };
  }

  *lines(): Generator<string> {
    for (let n = 1; n <= this.options.lines; n++) {
      this.clockMs += Math.floor(this.rand.next() * 2 * this.stepMs);
      const line = this.line(n);
      this.stats.lines++;
      this.stats.bytes += Buffer.byteLength(line) + 1;
      yield line;
    }
  }

  private line(n: number): string {
    this.refreshStamps();
    if (n % TRUNCATED_EVERY === 0) {
      // The writer died mid-line (OOM kill, full disk): a prefix of a record, JSON still open.
      const full = this.record(this.stampPrefix(), this.rand.pick(this.workspaces), false);
      const brace = full.indexOf("{");
      this.stats.truncatedRecords++;
      return full.slice(0, brace + 2 + this.rand.int(full.length - brace - 3));
    }
    if (n % CRLF_EVERY === 7) {
      // A log that passed through a Windows editor or a CRLF-writing shipper.
      this.stats.crlfRecords++;
      return `${this.countedRecord()}\r`;
    }
    if (n % NUL_EVERY === 11) {
      // logrotate copytruncate: a run of NULs where the writer's offset outran the truncation.
      this.stats.nulPrefixedLines++;
      const nuls = "\0".repeat(1 + this.rand.int(64));
      return nuls + (this.rand.next() < 0.5 ? this.countedRecord() : this.prose());
    }
    if (n % MARSHAL_ERR_EVERY === 13) {
      // Go's fallback when the payload would not marshal: the event boundary is kept (docs/contracts.md §4).
      this.countRecord("provision.start");
      this.stats.marshalErrorRecords++;
      return `${this.stampPrefix()}evt: provision.start {"_marshal_err":"json: unsupported type: chan int"}`;
    }
    const r = this.rand.next();
    if (r < RECORD_RATE) return this.countedRecord();
    if (r < 0.72) return this.prose();
    if (r < 0.93) return this.ginLine();
    return this.combinedLine();
  }

  private countedRecord(): string {
    const unstamped = this.rand.next() < UNSTAMPED_RATE;
    if (unstamped) this.stats.unstampedRecords++;
    return this.record(unstamped ? "" : this.stampPrefix(), this.rand.pick(this.workspaces), true);
  }

  private countRecord(event: string): void {
    this.stats.records++;
    this.stats.recordsByEvent[event] = (this.stats.recordsByEvent[event] ?? 0) + 1;
  }

  /** One provlog record; keys in the sorted order Go's encoding/json gives a map[string]any. */
  private record(prefix: string, ws: Workspace, counted: boolean): string {
    const r = this.rand.next();
    let event: string;
    let payload: string;
    if (r < 0.28) {
      event = "provision.start";
      const sync = this.rand.next() < 0.7;
      payload = `{"name":${ws.nameJson},"runtime":"${ws.runtime}","sync":${sync},"template":"${ws.template}","tier":${ws.tier},"workspace_id":"${ws.id}"}`;
    } else if (r < 0.36) {
      event = "provision.skip_existing";
      payload = `{"existing_id":"${ws.id}","name":${ws.nameJson},"parent_id":"${ws.parentId}","tier":${ws.tier}}`;
    } else if (r < 0.62) {
      event = "provision.ec2_started";
      ws.instanceId = `i-${this.rand.hex(17)}`;
      const state = this.rand.next() < 0.8 ? "pending" : "running";
      payload = `{"instance_id":"${ws.instanceId}","runtime":"${ws.runtime}","state":"${state}","tier":${ws.tier},"workspace_id":"${ws.id}"}`;
    } else if (r < 0.82) {
      event = "restart.pre_stop";
      payload = `{"backend":"${ws.backend}","workspace_id":"${ws.id}"}`;
    } else {
      event = "provision.ec2_stopped";
      const instanceId = ws.instanceId ?? `i-${this.rand.hex(17)}`;
      ws.instanceId = null;
      payload = `{"instance_id":"${instanceId}","workspace_id":"${ws.id}"}`;
    }
    if (counted) this.countRecord(event);
    return `${prefix}evt: ${event} ${payload}`;
  }

  private prose(): string {
    const ws = this.rand.pick(this.workspaces);
    const stamp = this.rand.next() < UNSTAMPED_RATE ? "" : this.stampPrefix();
    const instance = ws.instanceId ?? `i-${this.rand.hex(17)}`;
    const container = `ws-${ws.id.slice(0, 12)}`;
    switch (this.rand.int(9)) {
      case 0:
        return `${stamp}CP provisioner: workspace ${ws.id} → EC2 instance ${instance} (pending)`;
      case 1:
        return `${stamp}Provisioner: starting container ${container} for workspace ${ws.id} (runtime=${ws.runtime}, tier=${ws.tier})`;
      case 2:
        return `${stamp}Provisioner: container ${container} stopped (exit 0)`;
      case 3:
        return `${stamp}healthsweep: ${this.workspaces.length} workspaces checked, ${this.rand.int(6)} degraded, ${this.rand.int(3)} offline`;
      case 4:
        return `${stamp}ws hub: client connected for workspace ${ws.id} (${1 + this.rand.int(4)} subscribers)`;
      case 5:
        return `${stamp}WARN: IsRunning(${ws.id}): cp status: context deadline exceeded (treating as uncertain)`;
      case 6:
        // Mentions "evt:" mid-line: the staff's grep matches it, a real parser must not.
        return `${stamp}provlog: write failed, dropped evt: provision.start for ${ws.id}: broken pipe`;
      case 7:
        return `${stamp}registry: heartbeat from ${ws.id} agent_card=ok latency=${this.rand.int(900)}ms`;
      default:
        return `${stamp}CP provisioner: Stop ${instance} for workspace ${ws.id}: 200 OK`;
    }
  }

  private ginLine(): string {
    const ms = (this.rand.next() * 40).toFixed(6);
    const ip = `10.0.${this.rand.int(8)}.${1 + this.rand.int(250)}`;
    const path = this.rand.pick(PATHS).replace("{id}", this.rand.pick(this.workspaces).id);
    const method = this.rand.pick(METHODS);
    return `[GIN] ${this.ginStamp} | ${this.rand.pick(STATUSES)} | ${`${ms}ms`.padStart(13)} | ${ip.padStart(15)} | ${method.padEnd(7)} "${path}"`;
  }

  private combinedLine(): string {
    const ip = `172.16.${this.rand.int(4)}.${1 + this.rand.int(250)}`;
    const path = this.rand.pick(PATHS).replace("{id}", this.rand.pick(this.workspaces).id);
    return `${ip} - - [${this.clfStamp}] "${this.rand.pick(METHODS)} ${path} HTTP/1.1" ${this.rand.pick(STATUSES)} ${this.rand.int(20_000)} "-" "molecule-canvas/2.4 (+https://app.example)"`;
  }

  private stampPrefix(): string {
    if (this.rand.next() >= MICROSECOND_RATE) return `${this.goStamp} `;
    // log.Lmicroseconds: the fraction is the real sub-second part, so order is preserved.
    const micros = (this.clockMs % 1000) * 1000 + this.rand.int(1000);
    return `${this.goStamp}.${String(micros).padStart(6, "0")} `;
  }

  private refreshStamps(): void {
    const second = Math.floor(this.clockMs / 1000);
    if (second === this.stampSecond) return;
    this.stampSecond = second;
    const d = new Date(second * 1000);
    const y = d.getUTCFullYear();
    const mo = d.getUTCMonth();
    const day = pad2(d.getUTCDate());
    const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
    const date = `${y}/${pad2(mo + 1)}/${day}`;
    this.goStamp = `${date} ${time}`;
    this.ginStamp = `${date} - ${time}`;
    this.clfStamp = `${day}/${MONTHS[mo]}/${y}:${time} +0000`;
  }

  private makeWorkspace(i: number): Workspace {
    const rand = this.rand;
    const name =
      i % 97 === 0 ? ODD_NAMES[(i / 97) % ODD_NAMES.length]! : `${rand.pick(NAME_WORDS)}-${rand.pick(NAME_WORDS)}-${i}`;
    const r = rand.next();
    return {
      id: rand.uuid(),
      nameJson: goQuote(name),
      runtime: rand.pick(RUNTIMES),
      tier: 1 + rand.int(4),
      template: rand.pick(TEMPLATES),
      parentId: rand.uuid(),
      backend: r < 0.7 ? "cp" : r < 0.95 ? "docker" : "none",
      instanceId: null,
    };
  }
}

/**
 * Writes the log to `path` through one large buffered stream (joined chunks of ~1 MB, with
 * backpressure), so generating a 3M-line log takes seconds, not minutes.
 */
export async function generateLog(path: string, options: GenerateOptions): Promise<LogStats> {
  const generator = new PlatformLogGenerator(options);
  const out = createWriteStream(path, { highWaterMark: 4 << 20 });
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  failed.catch(() => {});
  let chunk: string[] = [];
  let chunkChars = 0;
  for (const line of generator.lines()) {
    chunk.push(line);
    chunkChars += line.length + 1;
    if (chunkChars >= 1 << 20) {
      if (!out.write(`${chunk.join("\n")}\n`)) await Promise.race([once(out, "drain"), failed]);
      chunk = [];
      chunkChars = 0;
    }
  }
  if (chunk.length > 0) out.write(`${chunk.join("\n")}\n`);
  out.end();
  await Promise.race([once(out, "finish"), failed]);
  return generator.stats;
}

function argValue(argv: readonly string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  const lines = Number(argValue(argv, "--lines") ?? 1_000_000);
  const seed = Number(argValue(argv, "--seed") ?? DEFAULT_SEED);
  const out = argValue(argv, "--out");
  if (!out || !Number.isInteger(lines) || lines < 1 || !Number.isInteger(seed)) {
    process.stderr.write("usage: node --import tsx bench/generate-log.ts --lines N --out FILE [--seed S]\n");
    return 1;
  }
  const started = performance.now();
  const stats = await generateLog(out, { lines, seed });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  process.stdout.write(`${JSON.stringify(stats)}\n`);
  process.stderr.write(`wrote ${stats.lines} lines (${(stats.bytes / 1e6).toFixed(1)} MB) to ${out} in ${seconds} s\n`);
  return 0;
}

// Run as a script only; `import { generateLog }` from the bench runner must not write a file.
const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  process.exitCode = await main(process.argv.slice(2));
}
