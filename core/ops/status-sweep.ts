import type { CpClient, RunningStatus } from "../cp/cp-client";
import type { CheckOutcome } from "../store/workspace-health";
import { forEachBounded } from "./bounded";

export const DEFAULT_SWEEP_CONCURRENCY = 16;

export interface SweepOptions {
  /** Status requests in flight at once (default 16): a tenant's CP is shared by every console. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Each answer as it arrives, so a host can show progress and a long sweep holds nothing. */
  onResult?: (result: RunningStatus) => void;
}

/** A workspace to check, with its instance when the caller read it from the store already. */
export interface SweepTarget {
  workspaceId: string;
  /** Omitted: CpClient looks it up; null: none on file (nothing is asked). */
  instanceId?: string | null;
}

export interface SweepReport {
  checked: number;
  running: number;
  /** A definitive 2xx answer with another state than running. */
  notRunning: number;
  /** Transport, 5xx, decode or store trouble: alive but uncertain, never down (docs/contracts.md §5). */
  uncertain: number;
  /** No instance on file: nothing was asked. */
  unbound: number;
  ms: number;
}

/**
 * IsRunning for many workspaces with bounded concurrency. CpClient.isRunning never throws and
 * already applies the reactive-health rule (any doubt answers running=true with the error), so
 * a CP outage yields a sweep full of "uncertain" and never a workspace marked down. The CP
 * client's deadline bounds each request, so a black-holed CP costs at most that per lane.
 */
export async function sweepStatus(
  cp: CpClient,
  targets: readonly SweepTarget[],
  options: SweepOptions = {},
): Promise<SweepReport> {
  const started = performance.now();
  const report: SweepReport = { checked: 0, running: 0, notRunning: 0, uncertain: 0, unbound: 0, ms: 0 };
  const signal = options.signal;
  await forEachBounded(
    targets,
    options.concurrency ?? DEFAULT_SWEEP_CONCURRENCY,
    async (target) => {
      const result = await cp.isRunning(target.workspaceId, {
        ...(signal ? { signal } : {}),
        ...(target.instanceId === undefined ? {} : { instanceId: target.instanceId }),
      });
      report.checked++;
      if (result.error) report.uncertain++;
      else if (result.instanceId === null) report.unbound++;
      else if (result.running) report.running++;
      else report.notRunning++;
      options.onResult?.(result);
    },
    signal,
  );
  report.ms = performance.now() - started;
  return report;
}

/** A status answer as the health table keeps it: a definitive state, or the check's safe error. */
export function checkOutcome(r: RunningStatus): CheckOutcome {
  return {
    workspaceId: r.workspaceId,
    instanceId: r.instanceId,
    state: r.error ? null : r.state,
    error: r.error ? r.error.message : null,
  };
}
