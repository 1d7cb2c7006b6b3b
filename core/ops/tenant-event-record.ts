import { formatGoJson } from "../provlog";
import type { Store } from "../store/store";
import type { TenantEventRow } from "../store/tenant-event-rows";
import { isRecord, type TenantEvent } from "../tenant/tenant-records";
import type { PushedEvent } from "./tenant-feed";

/** An event listed by GET /events; returns whether the timeline gained a row. */
export function recordListedEvent(store: Store, e: TenantEvent): boolean {
  const ts = e.createdAt === null ? Number.NaN : Date.parse(e.createdAt);
  const row = rowOf(e.eventType, e.workspaceId, Number.isFinite(ts) ? ts : null, e.payload);
  const added = store.tenantEvents.recordListed(row, e.id);
  noteProvisioning(store, row);
  return added;
}

/**
 * A recorded event pushed on /ws; returns whether the timeline gained a row. Its time is the
 * broadcast's, not the stored event's (models/event.go): the pairing in the store tells the two
 * apart from two events.
 */
export function recordPushedEvent(store: Store, e: PushedEvent): boolean {
  const row = rowOf(e.event, e.workspaceId, e.at, e.payload);
  const added = store.tenantEvents.recordPushed(row, e.timestamp ?? "");
  noteProvisioning(store, row);
  return added;
}

function rowOf(event: string, workspaceId: string | null, ts: number | null, payload: unknown): TenantEventRow {
  // The timeline's payload is always a JSON object (exports rely on it): anything else is wrapped.
  const fields = isRecord(payload) ? payload : payload == null ? {} : { value: payload };
  return {
    ts,
    event,
    workspaceId,
    instanceId: typeof fields.instance_id === "string" ? fields.instance_id : null,
    // Sorted keys: the list's payload went through Postgres jsonb, which reorders keys, the
    // pushed one did not; both must compare equal for the pairing.
    fieldsJson: canonicalJson(fields),
  };
}

function canonicalJson(fields: Record<string, unknown>): string {
  try {
    return formatGoJson(fields);
  } catch {
    return "{}";
  }
}

/** A (re)provisioning the tenant announced: an instance on file from before it may be gone. */
function noteProvisioning(store: Store, row: TenantEventRow): void {
  if (row.event === "WORKSPACE_PROVISIONING" && row.workspaceId !== null && row.ts !== null) {
    store.workspaces.noteProvisioning(row.workspaceId, row.ts);
  }
}
