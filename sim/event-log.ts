import { formatPgTime } from "./go-time-format";
import type { SimEvent } from "./types";

/**
 * The tenant's structure_events table. The real one keeps everything; this keeps enough for
 * `GET /events` and `GET /events/:workspaceId` (newest 100 each) without growing forever.
 */
const MAX_EVENTS = 20_000;

export interface StoredEvent {
  id: string;
  eventType: string;
  workspaceId: string | null;
  /** Already in jsonb key order: what `payload::jsonb` reads back. */
  payload: Record<string, unknown>;
  /** created_at, µs since the epoch (timestamptz precision). */
  createdMicros: number;
}

/** Kept in created_at order, so "newest first" (ORDER BY created_at DESC) is a walk from the end. */
export class EventLog {
  private readonly items: StoredEvent[] = [];
  private readonly listeners = new Set<(event: SimEvent) => void>();

  /** Stores an event; a historic one (seeded, back-dated) lands in created_at order. */
  insert(event: StoredEvent): void {
    const last = this.items.at(-1);
    if (!last || last.createdMicros <= event.createdMicros) this.items.push(event);
    else this.items.splice(this.insertionPoint(event.createdMicros), 0, event);
    if (this.items.length > MAX_EVENTS) this.items.splice(0, this.items.length - MAX_EVENTS);
  }

  /** A new event, announced to the listeners at once (the INSERT; /ws gets it after the broadcast lag). */
  append(event: StoredEvent): void {
    this.insert(event);
    if (this.listeners.size === 0) return;
    const row = toEventRow(event);
    for (const listener of this.listeners) listener(structuredClone(row));
  }

  /** Newest first, at most `limit`, optionally of one workspace (the handler's WHERE workspace_id = $1). */
  latest(limit: number, workspaceId?: string): SimEvent[] {
    const out: SimEvent[] = [];
    for (let i = this.items.length - 1; i >= 0 && out.length < limit; i--) {
      const event = this.items[i] as StoredEvent;
      if (workspaceId === undefined || event.workspaceId === workspaceId) out.push(toEventRow(event));
    }
    return out;
  }

  onEvent(listener: (event: SimEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private insertionPoint(micros: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid] as StoredEvent).createdMicros <= micros) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The handlers' row map (events.go), keys in encoding/json's sorted order. */
export function toEventRow(event: StoredEvent): SimEvent {
  return {
    created_at: formatPgTime(event.createdMicros),
    event_type: event.eventType,
    id: event.id,
    payload: structuredClone(event.payload),
    workspace_id: event.workspaceId,
  };
}
