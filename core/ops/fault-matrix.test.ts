/**
 * The reliability matrix (issue "Reliability and security under faults"): every operation staff
 * run, against every way the CP or the tenant misbehaves, on the emulator. Each cell asserts the
 * rules (a clear error or "uncertain", no hang past the deadline, no restart storm, nothing written
 * wrong) and records what was observed; the table is compared with the README's "Reliability"
 * section, so the README shows what this suite saw. UPDATE_RELIABILITY=1 rewrites that section.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { Fault } from "../../sim/faults";
import { tenantHeaders } from "../../sim/test-support";
import { OpsError } from "../errors";
import { exportTimeline } from "../provlog/timeline-export";
import { LiveStatus } from "./live-status";
import { eventually, type OpsWorld, opsWorldsPerTest } from "./ops.testkit";
import { RestartCoordinator } from "./restart";
import { shownStatus } from "./shown-status";
import { checkOutcome, sweepStatus } from "./status-sweep";
import { syncTenant } from "./sync";

const TIMEOUT_MS = 500;

/** deadlineMs: a 50 MB body needs more than 0.5 s to arrive on a loaded machine, and the cell must
 * show the decode rule, not sometimes the deadline. */
const FAULTS: Array<{ name: string; fault: Fault; deadlineMs?: number }> = [
  { name: "5xx (503)", fault: { kind: "status", status: 503 } },
  { name: "401", fault: { kind: "unauthorized" } },
  { name: "slow (2 s, deadline 0.5 s)", fault: { kind: "slow", delayMs: 2000 } },
  { name: "black hole", fault: { kind: "blackhole" } },
  { name: "connection reset", fault: { kind: "reset" } },
  {
    name: "50 MB body (deadline 10 s)",
    fault: { kind: "oversized", bytes: 50 << 20, shape: "json-string" },
    deadlineMs: 10_000,
  },
  { name: "truncated JSON", fault: { kind: "malformed" } },
  { name: "HTML instead of JSON", fault: { kind: "status", status: 200, body: "<html><body>gateway</body></html>" } },
  { name: "websocket drops every 0.3 s", fault: { kind: "drop", afterMs: 300 } },
];

interface Operation {
  name: string;
  /** The emulator route the fault is armed on. */
  route: string;
  /** Runs the operation under the armed fault, asserts the rules, returns what was observed. */
  run(w: OpsWorld, ids: string[]): Promise<string>;
}

const world = opsWorldsPerTest();
const observed = new Map<string, string>();

function errorText(error: unknown): string {
  expect(error).toBeInstanceOf(OpsError);
  const e = error as OpsError;
  // Never an upstream body in a message: the emulator's fault bodies must not show. The tenant's
  // own `error` field is the one exception, quoted after the status as the platform's reason.
  const reason = /\(\d{3}\): sim fault: status \d{3}$/;
  expect(e.message.replace(reason, "")).not.toMatch(/gateway|sim fault|xxxxxxxx/);
  return `error ${e.code}`;
}

function actions(w: OpsWorld, from: number) {
  return w.sim.state
    .requests()
    .slice(from)
    .filter((r) => ["cp.stop", "cp.provision", "tenant.restart"].includes(r.route ?? ""));
}

const OPERATIONS: Operation[] = [
  {
    name: "sync",
    route: "tenant.list",
    async run(w) {
      const before = JSON.stringify(w.store.workspaces.list());
      try {
        const r = await syncTenant(w.store, w.tenant);
        return `ok (${r.workspaces} workspaces)`;
      } catch (error) {
        // A failed sync changes nothing but its error record.
        expect(JSON.stringify(w.store.workspaces.list())).toBe(before);
        return `${errorText(error)}, cache unchanged`;
      }
    },
  },
  {
    name: "status sweep",
    route: "cp.status",
    async run(w, ids) {
      const from = w.sim.state.requests().length;
      const r = await sweepStatus(
        w.cp,
        ids.map((id) => ({ workspaceId: id })),
        {
          onResult: (x) => w.store.health.recordChecks([checkOutcome(x)], Date.now()),
        },
      );
      const shown = ids.map((id) => shownStatus(w.store.workspaces.get(id)!).status);
      expect(shown).not.toContain("offline");
      expect(actions(w, from)).toHaveLength(0);
      return r.uncertain > 0 ? `uncertain ×${r.uncertain}, none down, nothing restarted` : `ok (${r.running} running)`;
    },
  },
  {
    name: "console",
    route: "cp.console",
    async run(w, ids) {
      try {
        const out = await w.cp.console(ids[0]!);
        return `ok (${out.length} chars)`;
      } catch (error) {
        return errorText(error);
      }
    },
  },
  {
    name: "restart via cp",
    route: "cp.stop",
    async run(w, ids) {
      const id = ids[0]!;
      const before = w.store.resolveInstanceId(id);
      expect(before).not.toBeNull();
      const from = w.sim.state.requests().length;
      const c = new RestartCoordinator({ store: w.store, cp: w.cp, tenant: w.tenant });
      const out = await c.restart({ workspaceId: id, via: "cp", pollMs: 20, followTimeoutMs: 20_000 }).done;
      const sent = actions(w, from);
      expect(sent.filter((r) => r.route === "cp.stop").length).toBeLessThanOrEqual(1);
      // Never a CP Start: the tenant boots the new instance with the workspace's own secrets.
      expect(sent.filter((r) => r.route === "cp.provision")).toHaveLength(0);
      if (out.outcome === "done") {
        expect(sent.filter((r) => r.route === "tenant.restart")).toHaveLength(1);
        return "ok (stopped, then the tenant restarted it)";
      }
      const last = [...w.store.timeline({ workspaceId: id })].at(-1);
      expect(last?.event).toBe("restart.failed");
      expect(JSON.parse(last?.fields ?? "{}").step).toBe("stop");
      // Stop failed or its answer was lost: the old mapping stays, the tenant was not asked.
      expect(w.store.resolveInstanceId(id)).toBe(before);
      expect(sent.filter((r) => r.route === "tenant.restart")).toHaveLength(0);
      return "failed at stop, mapping kept, tenant not asked";
    },
  },
  {
    name: "restart via tenant",
    route: "tenant.restart",
    async run(w, ids) {
      const from = w.sim.state.requests().length;
      const c = new RestartCoordinator({ store: w.store, cp: w.cp, tenant: w.tenant });
      const out = await c.restart({ workspaceId: ids[0]!, via: "tenant", pollMs: 20, followTimeoutMs: 20_000 }).done;
      expect(actions(w, from).filter((r) => r.route === "tenant.restart").length).toBeLessThanOrEqual(1);
      return out.outcome === "done" ? "ok (restarted)" : `${out.outcome}, one request, not retried`;
    },
  },
  {
    name: "timeline export",
    route: "tenant.list",
    async run(w) {
      // The export reads the cache only: whatever upstream does, it works, offline included.
      const chunks: Buffer[] = [];
      const rows = await exportTimeline(w.store.db, {}, "csv", (c) => void chunks.push(Buffer.from(c)));
      expect(Buffer.concat(chunks).toString().split("\r\n").length).toBe(rows + 2);
      return "ok (cache only)";
    },
  },
  {
    name: "live feed (watch)",
    route: "tenant.ws",
    async run(w, ids) {
      const live = new LiveStatus({
        store: w.store,
        tenant: w.tenant,
        cp: w.cp,
        feed: { baseUrl: w.sim.url, headers: tenantHeaders(w.sim), baseDelayMs: 50, maxDelayMs: 200 },
        resyncMs: 3_600_000,
        sweepMs: 3_600_000,
      });
      const from = w.sim.state.requests().length;
      try {
        await live.start();
        w.sim.state.setWorkspaceStatus(ids[1]!, "degraded");
        // Pushed, or caught by the relist after a reconnect: either way it arrives.
        await eventually(() => w.store.workspaces.get(ids[1]!)?.status === "degraded", 20_000, "the change");
        expect(actions(w, from)).toHaveLength(0);
        // Pushed, or relisted after the drop: which one depends on timing, so the cell says neither.
        return "change arrived, nothing restarted";
      } finally {
        await live.stop();
      }
    },
  },
];

/** Which fault applies to which operation: the websocket fault only to the feed, and the feed only to it and the tenant faults. */
function applies(op: Operation, fault: { name: string; fault: Fault }): boolean {
  if (fault.fault.kind === "drop") return op.route === "tenant.ws";
  if (op.route === "tenant.ws") return false;
  return true;
}

describe("fault matrix", () => {
  for (const op of OPERATIONS) {
    for (const f of FAULTS) {
      if (!applies(op, f)) continue;
      it(`${op.name} × ${f.name}`, async () => {
        const deadline = f.deadlineMs ?? TIMEOUT_MS;
        const w = await world({
          workspaces: 0,
          crashRatio: 0,
          cpClient: { timeoutMs: deadline },
          tenantClient: { timeoutMs: deadline },
        });
        const ids = [0, 1, 2, 3].map(
          (i) => w.sim.state.addWorkspace({ status: "online", name: `ws-${i}`, runtime: "langgraph", tier: 2 }).id,
        );
        await syncTenant(w.store, w.tenant);
        // Their instances, from the tenant's server log (the tenant API has none): the status
        // sweep and a restart via cp need them.
        await w.learnInstances();
        w.sim.faults.set(op.name === "timeline export" ? "tenant.list" : op.route, f.fault);
        const started = Date.now();
        const result = await op.run(w, ids);
        // "No hang": within the deadline (twice, for a retry-free two-step operation) plus slack.
        const slack = op.name.startsWith("restart") || op.route === "tenant.ws" ? 5000 : 2500;
        expect(Date.now() - started).toBeLessThan(deadline * 2 + slack);
        w.sim.faults.clear();
        observed.set(`${op.name}\u0000${f.name}`, result);
      }, 40_000);
    }
  }
});

const README = fileURLToPath(new URL("../../README.md", import.meta.url));
const START = "<!-- reliability-matrix:start -->";
const END = "<!-- reliability-matrix:end -->";

afterAll(() => {
  const ops = OPERATIONS.map((o) => o.name);
  if (observed.size < OPERATIONS.reduce((n, op) => n + FAULTS.filter((f) => applies(op, f)).length, 0)) return;
  const lines = [
    `| fault ↓ / operation → | ${ops.join(" | ")} |`,
    `| --- | ${ops.map(() => "---").join(" | ")} |`,
    ...FAULTS.map((f) => `| ${f.name} | ${ops.map((o) => observed.get(`${o}\u0000${f.name}`) ?? "n/a").join(" | ")} |`),
  ];
  const table = lines.join("\n");
  const text = readFileSync(README, "utf8");
  const block = new RegExp(`${START}[\\s\\S]*?${END}`);
  const next = `${START}\n\n${table}\n\n${END}`;
  if (process.env.UPDATE_RELIABILITY === "1") {
    writeFileSync(README, block.test(text) ? text.replace(block, next) : `${text}\n${next}\n`);
  } else {
    // The README shows what this suite observed: a change in behaviour shows up as a failure here.
    // Compared as Markdown, not bytes: the formatter pads cells and separator rows.
    const norm = (t: string | undefined) => t?.replace(/-{3,}/g, "---").replace(/\s+/g, " ");
    expect(norm(block.exec(text)?.[0])).toBe(norm(next));
  }
});
