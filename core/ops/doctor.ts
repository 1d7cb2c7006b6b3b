import { createHash } from "node:crypto";
import { isoOrNull } from "../api/iso-time";
import type { ActionKind, DoctorReport, Evidence, Finding, FindingKind, Severity } from "../api/views";
import type { CpClient } from "../cp/cp-client";
import { isEc2InstanceId } from "../cp/ec2-instance-id";
import { OpsError } from "../errors";
import type { Store } from "../store/store";
import type { WorkspaceRow } from "../store/workspace-rows";
import type { TenantClient } from "../tenant/tenant-client";
import type { TenantEvent } from "../tenant/tenant-records";
import { detectBootstrapFailure } from "./bootstrap-failure";
import { forEachBounded } from "./bounded";
import { type ConsoleReader, consoleReader } from "./console-reader";
import { DEFAULT_SWEEP_CONCURRENCY } from "./status-sweep";
import { isGone, readSyncState, syncTenant } from "./sync";
import { recordListedEvent } from "./tenant-event-record";

/** The API's own view types (core/api/views.ts), which these values are. */
export type { ActionKind, DoctorReport, Evidence, Finding, FindingKind, Severity };

export interface DoctorOptions {
  store: Store;
  tenant: TenantClient;
  cp: CpClient | null;
  /** The serial console by workspace id (default: the CP's route when there is a CP, else the tenant's). */
  readConsole?: ConsoleReader;
  concurrency?: number;
  now?: () => number;
  /** Checks failing for longer than this are a finding (default 15 minutes). */
  uncertainAfterMs?: number;
}

/** The platform's sweep gives up on a boot after 10 minutes, 30 for hermes (seed). */
export function provisioningLimitMs(runtime: string | null): number {
  return (runtime === "hermes" ? 30 : 10) * 60_000;
}

/**
 * The fleet doctor: the incidents behind the provisioner's rules were all found by hand (13
 * zombie EC2s after Stops that failed silently; a workspace whose "instance id" was its own UUID;
 * boots that had crashed ten minutes before the platform noticed). It reads the cache, relists the
 * tenant and asks the CP, with bounded concurrency and the reactive-health rule: a check that gets
 * no definitive answer is reported as uncertainty, never used as evidence. It changes nothing.
 */
export async function diagnose(o: DoctorOptions): Promise<DoctorReport> {
  const started = performance.now();
  const now = (o.now ?? Date.now)();
  let tenantOk = true;
  try {
    await syncTenant(o.store, o.tenant);
  } catch (error) {
    // A wrong org id or tenant URL (the org guard's empty 404) is the person's to fix, not an
    // outage to diagnose around: saying "unreachable" would send them looking at the network.
    if (error instanceof OpsError && error.code === "Config") throw error;
    tenantOk = false;
  }
  const rows = o.store.workspaces.list();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const lastSyncAt = readSyncState(o.store).lastSyncAt;
  const findings: Finding[] = [];
  const report = { instancesChecked: 0, uncertain: 0 };

  for (const row of rows) {
    const malformed = malformedBinding(row);
    if (malformed) findings.push(malformed);
    const doubt = longUncertain(row, now, o.uncertainAfterMs ?? 15 * 60_000);
    if (doubt) findings.push(doubt);
  }
  findings.push(...failedStops(o.store, byId));

  const known = knownInstances(o.store);
  // Only with a fresh list can "unknown to the tenant" be told from "not synced yet".
  if (tenantOk && o.cp) {
    // Only instances whose workspace is removed or unknown to the tenant: a live workspace's
    // older instances are the tenant's to account for (and may be mid-restart).
    const suspects = [...known.values()].filter((k) => {
      const row = byId.get(k.workspaceId);
      return !row || isGone(row, lastSyncAt) || row.status === "removed";
    });
    await forEachBounded(suspects, o.concurrency ?? DEFAULT_SWEEP_CONCURRENCY, async (k) => {
      const r = await (o.cp as CpClient).isRunning(k.workspaceId, { instanceId: k.instanceId });
      report.instancesChecked++;
      if (r.error) {
        report.uncertain++;
        return;
      }
      if (r.running) findings.push(orphan(k, byId.get(k.workspaceId) ?? null, lastSyncAt, now));
    });
  }
  if (tenantOk) {
    await learnProvisioningTimes(o, rows);
    const stuck = o.store.workspaces
      .list({ status: "provisioning" })
      .filter((r) => now - provisioningSince(r) > provisioningLimitMs(r.runtime));
    await forEachBounded(stuck, o.concurrency ?? DEFAULT_SWEEP_CONCURRENCY, async (r) => {
      findings.push(await stuckProvisioning(o, r, now));
    });
  }
  const order: Record<Severity, number> = { critical: 0, warning: 1 };
  findings.sort(
    (a, b) => order[a.severity] - order[b.severity] || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id),
  );
  return {
    findings,
    workspaces: rows.length,
    instances_known: known.size,
    instances_checked: report.instancesChecked,
    checks_uncertain: report.uncertain,
    tenant: tenantOk ? "ok" : "unreachable",
    ms: Math.round(performance.now() - started),
  };
}

function findingId(kind: FindingKind, workspaceId: string, instanceId: string | null): string {
  return createHash("sha256")
    .update(`${kind}\u0000${workspaceId}\u0000${instanceId ?? ""}`)
    .digest("hex")
    .slice(0, 10);
}

function malformedBinding(row: WorkspaceRow): Finding | null {
  if (!row.instanceId || isEc2InstanceId(row.instanceId)) return null;
  const shown = row.instanceId.slice(0, 64);
  return {
    id: findingId("malformed_binding", row.id, row.instanceId),
    kind: "malformed_binding",
    severity: "critical",
    workspace_id: row.id,
    workspace_name: row.name,
    instance_id: row.instanceId,
    summary: `the instance on file is not an EC2 id (${shown}): every Stop and status check would fail; the real instance is in the tenant's server log`,
    evidence: [
      {
        at: isoOrNull(row.asOf),
        source: "cache",
        text: `open binding ${shown}${row.instanceId === row.id ? " (the workspace's own UUID)" : ""}`,
      },
    ],
    // The tenant API has no instance ids to re-sync from (docs/contracts.md §3): the binding can only be closed,
    // and the real instance learnt again from the tenant's server log.
    action: { kind: "close_binding", label: "Close the malformed binding (then import the server log)" },
  };
}

function longUncertain(row: WorkspaceRow, now: number, afterMs: number): Finding | null {
  const h = row.health;
  if (h?.uncertainSince == null || now - h.uncertainSince < afterMs) return null;
  const minutes = Math.round((now - h.uncertainSince) / 60_000);
  return {
    id: findingId("uncertain", row.id, row.instanceId),
    kind: "uncertain",
    severity: "warning",
    workspace_id: row.id,
    workspace_name: row.name,
    instance_id: row.instanceId,
    summary: `status checks have been failing for ${minutes} min: the workspace may be fine, nothing is known`,
    evidence: [
      { at: isoOrNull(h.uncertainSince), source: "cp", text: `first failing check` },
      { at: isoOrNull(h.uncertainAt), source: "cp", text: `latest: ${h.uncertainError ?? "no answer"}` },
    ],
    action: null,
  };
}

interface KnownInstance {
  workspaceId: string;
  instanceId: string;
  /** Where it was learnt: a binding (start, provlog, tenant) or a provlog ec2_started record. */
  source: Evidence["source"];
  at: number | null;
  /** An ec2_stopped was recorded for it. */
  stopped: boolean;
}

/** Every EC2 instance the cache knows of: bindings past and present, and ec2_started records. */
function knownInstances(store: Store): Map<string, KnownInstance> {
  const known = new Map<string, KnownInstance>();
  const bindings = store.db
    .prepare<[], { workspace_id: string; instance_id: string; source: string; bound_at: number }>(
      "SELECT workspace_id, instance_id, source, bound_at FROM instance_bindings ORDER BY bound_at, id",
    )
    .all();
  for (const b of bindings) {
    if (!isEc2InstanceId(b.instance_id)) continue;
    known.set(b.instance_id, {
      workspaceId: b.workspace_id,
      instanceId: b.instance_id,
      source: b.source === "provlog" ? "provlog" : b.source === "tenant" ? "tenant" : "cache",
      at: b.bound_at,
      stopped: false,
    });
  }
  const events = store.db
    .prepare<[], { event: string; workspace_id: string | null; instance_id: string | null; ts: number }>(
      `SELECT event, workspace_id, instance_id, ts FROM events
       WHERE event IN ('provision.ec2_started', 'provision.ec2_stopped') AND instance_id IS NOT NULL
       ORDER BY ts, id`,
    )
    .all();
  for (const e of events) {
    if (!e.instance_id || !e.workspace_id || !isEc2InstanceId(e.instance_id)) continue;
    const k = known.get(e.instance_id);
    if (e.event === "provision.ec2_stopped") {
      if (k) k.stopped = true;
    } else if (!k) {
      known.set(e.instance_id, {
        workspaceId: e.workspace_id,
        instanceId: e.instance_id,
        source: "provlog",
        at: e.ts >= 0 ? e.ts : null,
        stopped: false,
      });
    }
  }
  return known;
}

function orphan(k: KnownInstance, row: WorkspaceRow | null, lastSyncAt: number | null, now: number): Finding {
  const why = !row
    ? "its workspace is unknown to the tenant"
    : row.status === "removed"
      ? "its workspace is removed"
      : isGone(row, lastSyncAt)
        ? "its workspace is no longer listed by the tenant"
        : `its workspace now points at ${row.instanceId ?? "no instance"}`;
  return {
    id: findingId("orphan_instance", k.workspaceId, k.instanceId),
    kind: "orphan_instance",
    severity: "critical",
    workspace_id: k.workspaceId,
    workspace_name: row?.name ?? null,
    instance_id: k.instanceId,
    summary: `instance ${k.instanceId} is still running but ${why}: it costs money and holds the workspace's security group`,
    evidence: [
      {
        at: isoOrNull(k.at),
        source: k.source,
        text: `instance ${k.instanceId} recorded for workspace ${k.workspaceId}`,
      },
      { at: isoOrNull(now), source: "cp", text: `CP status: running` },
      ...(row
        ? [{ at: isoOrNull(row.statusAt), source: "tenant" as const, text: `tenant status ${row.status ?? "unknown"}` }]
        : []),
    ],
    action: { kind: "stop_instance", label: `Stop ${k.instanceId}` },
  };
}

/**
 * When a provisioning workspace entered provisioning: its WORKSPACE_PROVISIONING event. The global
 * GET /events holds only the latest 100 of the whole tenant, so for a workspace whose event the
 * cache does not have, the tenant's per-workspace list is asked (the tenant API has no updated_at).
 */
async function learnProvisioningTimes(o: DoctorOptions, rows: readonly WorkspaceRow[]): Promise<void> {
  const unknown = rows.filter((r) => r.status === "provisioning" && r.provisioningAt === null);
  await forEachBounded(unknown, o.concurrency ?? DEFAULT_SWEEP_CONCURRENCY, async (r) => {
    try {
      const { events } = await o.tenant.listWorkspaceEvents(r.id);
      for (let i = events.length - 1; i >= 0; i--) recordListedEvent(o.store, events[i] as TenantEvent);
    } catch {
      // Not known then: without that evidence the workspace is not called stuck.
    }
  });
}

/**
 * The tenant's provisioning event; without it, only the time the cache last heard the status,
 * which makes no finding: "stuck for N minutes" needs evidence of the N minutes.
 */
function provisioningSince(row: WorkspaceRow): number {
  return row.provisioningAt ?? row.statusAt;
}

async function stuckProvisioning(o: DoctorOptions, row: WorkspaceRow, now: number): Promise<Finding> {
  const since = provisioningSince(row);
  const minutes = Math.round((now - since) / 60_000);
  const evidence: Evidence[] = [
    {
      at: isoOrNull(since),
      source: "tenant",
      text: `provisioning for ${minutes} min (the platform's limit for ${row.runtime ?? "this runtime"} is ${provisioningLimitMs(row.runtime) / 60_000} min)`,
    },
  ];
  let crashed = false;
  try {
    const output = await (o.readConsole ?? consoleReader(o.cp, o.tenant))(row.id);
    const failure = detectBootstrapFailure(output);
    if (failure) {
      crashed = true;
      o.store.health.recordCrash({ workspaceId: row.id, instanceId: row.instanceId, ...failure, at: now });
      evidence.push({ at: isoOrNull(now), source: "console", text: failure.error });
    } else {
      evidence.push({ at: isoOrNull(now), source: "console", text: "no RUNTIME CRASHED on the serial console" });
    }
  } catch (error) {
    evidence.push({
      at: isoOrNull(now),
      source: "console",
      text: `console unreadable (${error instanceof OpsError ? error.message : "internal error"})`,
    });
  }
  return {
    id: findingId("stuck_provisioning", row.id, row.instanceId),
    kind: "stuck_provisioning",
    severity: crashed ? "critical" : "warning",
    workspace_id: row.id,
    workspace_name: row.name,
    instance_id: row.instanceId,
    summary: crashed
      ? `provisioning for ${minutes} min, but its runtime already crashed at boot`
      : `provisioning for ${minutes} min, past the platform's limit`,
    evidence,
    action: crashed
      ? { kind: "report_bootstrap_failure", label: "Report the bootstrap failure to the tenant" }
      : { kind: "restart", label: "Restart the workspace" },
  };
}

/**
 * A Stop that failed (provision.ec2_stop_failed, written by the CP client whoever asked: the CLI,
 * the UI, a restart, the doctor; or, in caches from before it, restart.failed at step stop) with
 * no ec2_stopped or ec2_started for the workspace since: its instance may still be running.
 */
function failedStops(store: Store, byId: Map<string, WorkspaceRow>): Finding[] {
  const FAILED = `(event = 'provision.ec2_stop_failed' OR (event = 'restart.failed' AND json_extract(fields, '$.step') = 'stop'))`;
  const rows = store.db
    .prepare<[], { workspace_id: string; instance_id: string | null; ts: number; fields: string; event: string }>(
      `SELECT f.workspace_id, f.instance_id, f.ts, f.fields, f.event FROM events f
       WHERE f.workspace_id IS NOT NULL AND ${FAILED.replaceAll("event", "f.event").replaceAll("fields", "f.fields")}
         AND f.ts = (SELECT max(g.ts) FROM events g WHERE g.workspace_id = f.workspace_id
                     AND ${FAILED.replaceAll("event", "g.event").replaceAll("fields", "g.fields")})
         AND NOT EXISTS (SELECT 1 FROM events l WHERE l.workspace_id = f.workspace_id AND l.ts > f.ts
                         AND l.event IN ('provision.ec2_stopped', 'provision.ec2_started'))
       ORDER BY f.workspace_id, f.event = 'provision.ec2_stop_failed' DESC`,
    )
    .all();
  const findings = new Map<string, Finding>();
  for (const r of rows) {
    // One finding a workspace; the CP client's record (it names the instance and status) first.
    if (findings.has(r.workspace_id)) continue;
    const row = byId.get(r.workspace_id);
    let error = "";
    let status: unknown = null;
    try {
      const f = JSON.parse(r.fields) as { error?: unknown; status?: unknown };
      error = typeof f.error === "string" ? f.error : "";
      status = f.status;
    } catch {
      // the evidence says what it can
    }
    const instanceId = r.instance_id ?? row?.instanceId ?? null;
    findings.set(r.workspace_id, {
      id: findingId("failed_stop", r.workspace_id, instanceId),
      kind: "failed_stop",
      severity: "warning",
      workspace_id: r.workspace_id,
      workspace_name: row?.name ?? null,
      instance_id: instanceId,
      summary: `a Stop${instanceId ? ` of ${instanceId}` : ""} failed and nothing stopped or started the workspace since: its instance may still run`,
      evidence: [
        {
          at: isoOrNull(r.ts),
          source: "timeline",
          text: error || (typeof status === "number" ? `Stop answered ${status}` : `${r.event} at step stop`),
        },
      ],
      action: { kind: "restart", label: "Restart the workspace (Stop again, then the tenant's restart)" },
    });
  }
  return [...findings.values()];
}
