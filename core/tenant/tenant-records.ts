/**
 * The tenant platform's workspace and event objects (docs/contracts.md §3), validated minimally: only the
 * identity is required. Everything else is typed loosely and the object is kept whole, because
 * the platform's fields and statuses grow (docs/contracts.md §3: unknown fields are kept, unknown statuses
 * are shown as themselves, never as "offline").
 */
export interface TenantWorkspace {
  id: string;
  /** Known fields: null when absent, null or of another type than documented. */
  name: string | null;
  /** As the tenant said it, known to us or not. */
  status: string | null;
  runtime: string | null;
  tier: number | null;
  parentId: string | null;
  /**
   * The object exactly as the tenant sent it, known fields included. It has no instance id: the
   * platform keeps the workspace→instance mapping in its database and its server log only
   * (docs/contracts.md §3), so the console learns it from imported logs and its own CP Starts.
   */
  fields: Record<string, unknown>;
}

export interface TenantEvent {
  /** The tenant's event id: the event's identity when it is cached. */
  id: string;
  eventType: string;
  workspaceId: string | null;
  /** The payload as sent (normally an object), null when absent. */
  payload: unknown;
  /** As sent (RFC 3339); null when absent or not text. */
  createdAt: string | null;
}

/** A workspace with a usable id, or null: the caller skips and counts it, it is not fatal. */
export function parseTenantWorkspace(value: unknown): TenantWorkspace | null {
  if (!isRecord(value)) return null;
  const id = value.id;
  if (typeof id !== "string" || id === "") return null;
  return {
    id,
    name: text(value.name),
    status: text(value.status),
    runtime: text(value.runtime),
    tier: integer(value.tier),
    parentId: text(value.parent_id),
    fields: value,
  };
}

export function parseTenantEvent(value: unknown): TenantEvent | null {
  if (!isRecord(value)) return null;
  const { id, event_type: eventType } = value;
  if (typeof id !== "string" || id === "" || typeof eventType !== "string" || eventType === "") return null;
  return {
    id,
    eventType,
    workspaceId: text(value.workspace_id),
    payload: value.payload ?? null,
    createdAt: text(value.created_at),
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function integer(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) ? value : null;
}
