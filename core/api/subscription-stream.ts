import type { BugReport } from "./bug-log";
import { failed, parseSubscription } from "./dispatch";
import type { OpsService } from "./ops-service";
import type { SubscriptionName } from "./schemas";
import type { ApiError } from "./views";

/** One message of a subscription, as both hosts send it: an item, or the error that ended it. */
export type SubscriptionMessage = { item: unknown } | { error: ApiError };

/** A subscription whose name and input passed their schema. */
export interface OpenedSubscription {
  name: SubscriptionName;
  input: unknown;
}

type SubscribeService = Pick<OpsService, "subscribe" | "secrets">;

/**
 * An untrusted renderer's subscription request: validated like every request, or the safe error
 * to send back. `check` refuses what the host will not open (a window's limit), as an OpsError.
 */
export function openSubscription(
  service: Pick<OpsService, "secrets">,
  name: unknown,
  raw: unknown,
  check?: () => void,
): { ok: true; subscription: OpenedSubscription } | { ok: false; error: ApiError } {
  try {
    check?.();
    return { ok: true, subscription: parseSubscription(typeof name === "string" ? name : "", raw) };
  } catch (error) {
    return failed(service, error, `subscribe ${String(name).slice(0, 60)}`);
  }
}

/**
 * Runs an opened subscription: every item to `deliver` as `{item}` until `signal` aborts, the
 * stream ends or `deliver` says false (the window or the browser went away); a failure ends it
 * with one `{error}`, a safe one, a bug's cause reported to the host's log on the way.
 */
export async function streamSubscription(
  service: SubscribeService,
  subscription: OpenedSubscription,
  signal: AbortSignal,
  deliver: (message: SubscriptionMessage) => boolean,
  bugs: BugReport,
): Promise<void> {
  try {
    for await (const item of service.subscribe(subscription.name, subscription.input as never, signal)) {
      if (signal.aborted || !deliver({ item })) return;
    }
  } catch (error) {
    if (signal.aborted) return;
    deliver({ error: failed(service, error, `subscription ${subscription.name}`, bugs).error });
  }
}
