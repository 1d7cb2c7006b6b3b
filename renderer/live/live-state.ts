import type { ConnectionChange } from "../../core/api/views";
import { createStore } from "../app/small-store";

export interface LiveState {
  connection: ConnectionChange | null;
  /** A failed sync run by the page (a probe, or "Sync now"); cleared by the next success. */
  probeError: string | null;
  /** ms: when the page last heard anything from the live subscription. */
  lastItemAt: number | null;
  /** A subscription error that ended it (e.g. no profile yet). */
  subscriptionError: string | null;
  /** Bumped when the host's profile changes: the live subscription is opened again for it. */
  epoch: number;
}

export const live = createStore<LiveState>({
  connection: null,
  probeError: null,
  lastItemAt: null,
  subscriptionError: null,
  epoch: 0,
});

/** After a profile is used, saved or removed: a new session, a new live subscription, fresh data. */
export function profileChanged(): void {
  live.set((s) => ({ epoch: s.epoch + 1, connection: null, probeError: null, subscriptionError: null }));
}
