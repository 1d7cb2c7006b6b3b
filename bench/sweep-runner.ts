/**
 * One side of the status-sweep benchmark, in a process of its own (run by sweep-bench.ts with
 * the emulator in another process, so neither side shares an event loop with the server):
 *   baseline: a bare undici loop issuing the same GET /status requests at the same concurrency;
 *   subject:  molecule-ops' sweep (CpClient.isRunning with its rules, then the results stored).
 * The (workspace, instance) pairs come from a file the bench writes once, so neither side
 * parses the tenant's whole list inside the process whose memory is measured.
 * Prints one JSON line: {ms, requests, uncertain, maxRssKib}.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request } from "undici";
import { readCpConfig } from "../core/config/cp-config";
import { CpClient } from "../core/cp/cp-client";
import { checkOutcome, sweepStatus } from "../core/ops/status-sweep";
import { Store } from "../core/store/store";
import type { CheckOutcome } from "../core/store/workspace-health";

interface Target {
  id: string;
  instance_id: string;
}

async function main(): Promise<void> {
  const [mode, targetsFile, countText, concurrencyText, timeoutText] = process.argv.slice(2);
  const count = Number(countText);
  const concurrency = Number(concurrencyText);
  const timeoutMs = Number(timeoutText ?? 120_000);
  const env = process.env as Record<string, string>;
  const targets = (JSON.parse(readFileSync(targetsFile ?? "", "utf8")) as Target[]).slice(0, count);
  if (targets.length < count) throw new Error(`the emulator has only ${targets.length} workspaces with an instance`);
  const result =
    mode === "baseline"
      ? await baseline(env, targets, concurrency)
      : await subject(env, targets, concurrency, timeoutMs);
  process.stdout.write(`${JSON.stringify({ ...result, maxRssKib: process.resourceUsage().maxRSS })}\n`);
}

async function baseline(env: Record<string, string>, targets: Target[], concurrency: number) {
  const agent = new Agent();
  const headers = {
    authorization: `Bearer ${env.MOLECULE_CP_SHARED_SECRET}`,
    "x-molecule-admin-token": env.ADMIN_TOKEN,
  };
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < targets.length) {
      const t = targets[next++] as Target;
      const path = `/cp/workspaces/${encodeURIComponent(t.id)}/status?instance_id=${encodeURIComponent(t.instance_id)}`;
      const res = await request(`${env.CP_PROVISION_URL}${path}`, { headers, dispatcher: agent });
      const body = (await res.body.json()) as { state?: string };
      if (res.statusCode !== 200 || typeof body.state !== "string") errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const ms = performance.now() - started;
  await agent.close();
  return { ms, requests: targets.length, uncertain: errors };
}

async function subject(env: Record<string, string>, targets: Target[], concurrency: number, timeoutMs: number) {
  const dir = mkdtempSync(join(tmpdir(), "sweep-bench-"));
  const store = Store.open(join(dir, "cache.db"));
  const at = Date.now();
  store.db.transaction(() => {
    for (const t of targets) store.bindings.bind(t.id, t.instance_id, "tenant", null, at);
  })();
  const cp = new CpClient(readCpConfig(env), { ledger: store, timeoutMs });
  try {
    const outcomes: CheckOutcome[] = [];
    const started = performance.now();
    // As the live-status engine does: every open binding in one query, not one per request.
    const open = store.bindings.openInstances();
    const report = await sweepStatus(
      cp,
      targets.map((t) => ({ workspaceId: t.id, instanceId: open.get(t.id) ?? null })),
      {
        concurrency,
        onResult: (r) => outcomes.push(checkOutcome(r)),
      },
    );
    store.health.recordChecks(outcomes, Date.now());
    const ms = performance.now() - started;
    return { ms, requests: report.checked, uncertain: report.uncertain };
  } finally {
    await cp.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
