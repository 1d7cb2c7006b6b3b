import { EventEmitter } from "node:events";
import type { SimEvent } from "./types";

/** Enough history for GET /events (latest 100) with headroom, without growing forever. */
const MAX_EVENTS = 1000;

/**
 * Tenant events, newest last internally. New events also go to an EventEmitter so the
 * /ws feed (SPEC §3, ws-feed.ts) can push them without touching the routes.
 */
export class EventLog {
  private readonly items: SimEvent[] = [];
  private readonly emitter = new EventEmitter();

  constructor() {
    // Each open /ws client will hold one listener; do not warn at the default 10.
    this.emitter.setMaxListeners(0);
  }

  /** Historic events: stored, not announced. */
  seed(events: readonly SimEvent[]): void {
    this.items.push(...events);
    this.trim();
  }

  append(event: SimEvent): void {
    this.items.push(event);
    this.trim();
    this.emitter.emit("event", structuredClone(event));
  }

  latest(limit: number): SimEvent[] {
    return this.items
      .slice(-limit)
      .reverse()
      .map((event) => structuredClone(event));
  }

  onEvent(listener: (event: SimEvent) => void): () => void {
    this.emitter.on("event", listener);
    return () => this.emitter.off("event", listener);
  }

  private trim(): void {
    if (this.items.length > MAX_EVENTS) this.items.splice(0, this.items.length - MAX_EVENTS);
  }
}
