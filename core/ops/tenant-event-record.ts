import type { Store } from "../store/store";
import { isRecord } from "../tenant/tenant-records";

export interface TenantEventInput {
  /** The tenant's event id when it has one (GET /events); pushed events (/ws) carry none. */
  id: string | null;
  eventType: string;
  workspaceId: string | null;
  payload: unknown;
  /** As sent (RFC 3339). */
  createdAt: string | null;
}

/**
 * Writes a tenant event to the timeline; returns whether it was new. The identity is what the
 * event says (type, workspace, time as sent), so the same event seen on the /ws feed and again in
 * GET /events is stored once; without a time the tenant's id is the identity.
 */
export function recordTenantEvent(store: Store, e: TenantEventInput): boolean {
  const ts = e.createdAt === null ? Number.NaN : Date.parse(e.createdAt);
  // The timeline's payload is always a JSON object (exports rely on it): anything else is wrapped.
  const payload = isRecord(e.payload) ? e.payload : e.payload == null ? {} : { value: e.payload };
  const identity =
    e.createdAt !== null && Number.isFinite(ts)
      ? `tenant\u0000${e.eventType}\u0000${e.workspaceId ?? ""}\u0000${e.createdAt}`
      : `tenant\u0000${e.id ?? JSON.stringify(payload)}`;
  return store.events.record(
    {
      ts: Number.isFinite(ts) ? ts : null,
      event: e.eventType,
      workspaceId: e.workspaceId,
      instanceId: typeof payload.instance_id === "string" ? payload.instance_id : null,
      fieldsJson: JSON.stringify(payload),
      source: "tenant",
    },
    identity,
  );
}
