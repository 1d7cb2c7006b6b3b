import { startBoot } from "./boot-flow";
import { goJson, goQuote } from "./go-json-body";
import { startedLines, stoppedLine } from "./seed-history";
import type { SimWorld } from "./state";
import type { WorkspaceRecord } from "./workspace-record";

/**
 * The tenant's own CPProvisioner (provisioner/cp_provisioner.go) against the sim's CP, with
 * what it writes to the server log. In process: these are the tenant's outbound calls, not
 * requests a client made, so they are not in the request log and consume no faults.
 */

/** provisionWorkspaceCP: Start, then persist the instance id; the machine boots and its agent registers. */
export function startOnCp(world: SimWorld, record: WorkspaceRecord): void {
  const at = world.clock.now();
  world.log.printf(at, `CPProvisioner: goroutine entered for ${record.id} (runtime=${record.runtime}, mode=cp)`);
  const instance = world.createInstance(record.id, record.runtime, record.tier);
  record.instanceId = instance.data.instance_id;
  record.updatedMicros = world.clock.nowMicros();
  for (const line of startedLines(
    at,
    record.id,
    instance.data.instance_id,
    instance.data.state,
    record.tier,
    record.runtime,
  ))
    world.log.write(line);
  startBoot(world, record, instance);
}

/**
 * CPProvisioner.Stop: the instance id from the tenant's database (never the workspace UUID),
 * nothing to do without one, DELETE otherwise; a 2xx is recorded as ec2_stopped. Returns the
 * error a non-2xx makes (with at most 512 bytes of body), or null.
 */
export function stopOnCp(world: SimWorld, record: WorkspaceRecord): string | null {
  const at = world.clock.now();
  const instanceId = record.instanceId;
  if (instanceId === null) {
    world.log.printf(at, `CP provisioner: Stop for ${record.id} — no instance_id on file, nothing to do`);
    return null;
  }
  const found = world.instanceTable.resolve(record.id, instanceId);
  if ("status" in found) {
    const body = goJson({ error: found.error }).slice(0, 512).trim();
    return `cp provisioner: stop ${record.id}: unexpected ${found.status}: ${body}`;
  }
  world.instanceTable.stop(found.instance);
  world.log.write({ at, text: stoppedLine(at, record.id, instanceId) });
  // The column keeps the id in Go; the provlog record closes the binding, which is what
  // instanceOf (and every importer of this log) reports.
  record.instanceId = null;
  return null;
}

const STOP_ATTEMPTS = 3;

/**
 * cpStopWithRetry (handlers/workspace_restart.go): up to 3 tries with 1 s, 2 s back-off, then a
 * LEAK-SUSPECT line, and the caller reprovisions regardless (Restart's contract is "make the
 * workspace alive again"). `then` runs once the Stop leg is over, either way.
 */
export function stopWithRetry(world: SimWorld, record: WorkspaceRecord, source: string, then: () => void): void {
  let attempt = 1;
  let delay = world.options.timing.stopRetryMs;
  const tryStop = () => {
    const error = stopOnCp(world, record);
    if (error === null) {
      if (attempt > 1)
        world.log.printf(world.clock.now(), `${source}: cpProv.Stop(${record.id}) succeeded on attempt ${attempt}`);
      then();
      return;
    }
    if (attempt === STOP_ATTEMPTS) {
      world.log.printf(
        world.clock.now(),
        `LEAK-SUSPECT cpProv.Stop workspace_id=${record.id} source=${source} attempts=${STOP_ATTEMPTS} last_err=${goQuote(error)}`,
      );
      then();
      return;
    }
    attempt += 1;
    world.timers.after(delay, tryStop);
    delay *= 2;
  };
  tryStop();
}
