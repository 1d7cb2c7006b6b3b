import type { BugReport } from "../core/api/bug-log";
import type { OpsService } from "../core/api/ops-service";
import {
  type OpenedSubscription,
  openSubscription,
  type SubscriptionMessage,
  streamSubscription,
} from "../core/api/subscription-stream";
import { OpsError } from "../core/errors";
import { logUnexpected } from "./unexpected-error";

export type { SubscriptionMessage };

export type SubscriptionSend = (id: string, message: SubscriptionMessage) => void;

/** The renderer names its subscriptions; an id is short and plain so it can be echoed back safely. */
const SUBSCRIPTION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The subscriptions a window's renderer opened over IPC (`IPC.subscribe` / `IPC.unsubscribe`):
 * each runs through core/api/subscription-stream.ts with its own AbortController and forwards
 * every message until it is stopped, its window navigates or is destroyed (`stopAll`), or the
 * stream ends. A window may hold a bounded number, so a runaway renderer cannot make the main
 * process poll without end.
 */
export class IpcSubscriptions {
  private readonly byOwner = new Map<number, Map<string, AbortController>>();

  constructor(
    private readonly service: Pick<OpsService, "subscribe" | "secrets">,
    private readonly maxPerOwner = 32,
    private readonly bugs: BugReport = logUnexpected,
  ) {}

  /** `owner` is the webContents id; `id`, `name` and `input` are untrusted renderer values. */
  start(owner: number, id: unknown, name: unknown, input: unknown, send: SubscriptionSend): void {
    if (typeof id !== "string" || !SUBSCRIPTION_ID.test(id)) return;
    this.stop(owner, id);
    const mine = this.byOwner.get(owner) ?? new Map<string, AbortController>();
    const opened = openSubscription(this.service, name, input, () => {
      if (mine.size >= this.maxPerOwner) {
        throw new OpsError("Conflict", `this window already has ${this.maxPerOwner} live subscriptions`);
      }
    });
    if (!opened.ok) {
      send(id, { error: opened.error });
      return;
    }
    const controller = new AbortController();
    mine.set(id, controller);
    this.byOwner.set(owner, mine);
    void this.pump(owner, id, opened.subscription, controller, send);
  }

  stop(owner: number, id: unknown): void {
    if (typeof id !== "string") return;
    const mine = this.byOwner.get(owner);
    const controller = mine?.get(id);
    if (!mine || !controller) return;
    controller.abort();
    this.forget(owner, id, controller);
  }

  /** The window navigated away or was destroyed: nothing of it should keep running. */
  stopAll(owner: number): void {
    const mine = this.byOwner.get(owner);
    if (!mine) return;
    this.byOwner.delete(owner);
    for (const controller of mine.values()) controller.abort();
  }

  /** Live subscriptions of one window (or of all), for tests and diagnostics. */
  count(owner?: number): number {
    if (owner !== undefined) return this.byOwner.get(owner)?.size ?? 0;
    let n = 0;
    for (const mine of this.byOwner.values()) n += mine.size;
    return n;
  }

  private async pump(
    owner: number,
    id: string,
    subscription: OpenedSubscription,
    controller: AbortController,
    send: SubscriptionSend,
  ): Promise<void> {
    // A window that went away mid-send ends its subscription instead of failing the loop.
    const deliver = (message: SubscriptionMessage): boolean => {
      try {
        send(id, message);
        return true;
      } catch {
        controller.abort();
        return false;
      }
    };
    try {
      await streamSubscription(this.service, subscription, controller.signal, deliver, this.bugs);
    } finally {
      this.forget(owner, id, controller);
    }
  }

  private forget(owner: number, id: string, controller: AbortController): void {
    const mine = this.byOwner.get(owner);
    if (mine?.get(id) !== controller) return;
    mine.delete(id);
    if (mine.size === 0) this.byOwner.delete(owner);
  }
}
