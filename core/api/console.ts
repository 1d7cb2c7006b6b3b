import { z } from "zod";
import { OpsError } from "../errors";
import { reportBootstrapFailure } from "../ops/report-bootstrap-failure";
import { workspaceId } from "./input-rules";
import { iso } from "./iso-time";
import type { HandlersOf } from "./schemas";
import type { Session } from "./session";
import type { Sessions } from "./sessions";
import type { ConsoleView } from "./views";

export const consoleRequests = {
  "console.read": z.object({ id: workspaceId, cached: z.boolean().optional() }).strict(),
  "bootstrap.report": z.object({ id: workspaceId }).strict(),
} as const;

/** A workspace's serial console, and the report of the boot crash it shows to the tenant. */
export function consoleHandlers(sessions: Sessions): HandlersOf<keyof typeof consoleRequests> {
  return {
    "console.read": async ({ id, cached }) => consoleView(await sessions.current(), id, cached === true),
    "bootstrap.report": async ({ id }) => {
      const s = await sessions.current();
      return reportBootstrapFailure(s.store, s.tenant, id, { readConsole: s.readConsole });
    },
  };
}

/** The serial console now (kept as a snapshot for offline review), or the last snapshot when asked. */
export async function consoleView(s: Session, id: string, cached: boolean): Promise<ConsoleView> {
  if (cached) {
    const snap = s.store.latestConsoleSnapshot(id);
    if (!snap) throw new OpsError("NotFound", `no console of ${id} is cached yet`);
    return { output: snap.output, fetchedAt: iso(snap.fetchedAt), instanceId: snap.instanceId, cached: true };
  }
  const output = await s.readConsole(id);
  const at = Date.now();
  const instanceId = s.store.resolveInstanceId(id);
  s.store.recordConsoleSnapshot(id, instanceId, output, at);
  return { output, fetchedAt: iso(at), instanceId, cached: false };
}
