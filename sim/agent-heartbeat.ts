import { accessLine } from "./access-log";
import { hashSeed } from "./prng";
import { TASKS } from "./seed-vocabulary";
import type { SimWorld } from "./state";
import type { WorkspaceRecord } from "./workspace-record";

/** How often, per heartbeat, an agent reports a different task. */
const TASK_CHANGE_ODDS = 0.15;
/** Where operator-run (external) agents heartbeat from. */
const EXTERNAL_AGENT_IP = "198.51.100.7";

/** Whether the workspace's agent runs and so heartbeats: online or degraded, however it got there. */
export function agentRuns(record: WorkspaceRecord): boolean {
  return record.status === "online" || record.status === "degraded";
}

/**
 * One POST /registry/heartbeat of a workspace's agent, as registry.go Heartbeat handles it: the
 * row takes what the agent reports; TASK_UPDATED {current_task, active_tasks} only when the task
 * changed; WORKSPACE_HEARTBEAT {active_tasks, uptime_seconds} always. Both are BroadcastOnly:
 * on /ws, never in /events. Deterministic per (seed, workspace, beat).
 */
export function heartbeat(world: SimWorld, record: WorkspaceRecord, at: number, beat: number): void {
  if (!agentRuns(record)) return;
  const roll = hashSeed(world.options.seed, "task", record.id, beat);
  if (roll / 2 ** 32 < TASK_CHANGE_ODDS) {
    const pick = roll % (TASKS.length + 1);
    const task = pick === TASKS.length ? "" : (TASKS[pick] as string);
    if (task !== record.currentTask) {
      record.currentTask = task;
      record.activeTasks = task === "" ? 0 : 1 + (roll % Math.max(1, record.maxConcurrentTasks));
      world.broadcastOnly(record.id, "TASK_UPDATED", { active_tasks: record.activeTasks, current_task: task });
    }
  }
  const uptime = record.onlineSince === null ? 0 : Math.max(0, Math.floor((at - record.onlineSince) / 1000));
  world.broadcastOnly(record.id, "WORKSPACE_HEARTBEAT", { active_tasks: record.activeTasks, uptime_seconds: uptime });
  if (world.log.enabled) {
    const agent = record.agentInstanceId ? world.instanceTable.get(record.agentInstanceId) : undefined;
    world.log.write({
      at,
      text: accessLine(at, 200, agent?.data.private_ip ?? EXTERNAL_AGENT_IP, "POST", "/registry/heartbeat"),
    });
  }
}
