/** Whether the page can reach its host (the browser host's HTTP server, or Electron's main process). */
export interface HostLinkState {
  up: boolean;
  /** ms: when it last changed. */
  since: number;
  /** Why it is down, in words for people. */
  error: string | null;
}

/** A tiny observable the clients update on every answer or failure; the stale banner reads it. */
export class HostLink {
  private current: HostLinkState = { up: true, since: Date.now(), error: null };
  private readonly listeners = new Set<() => void>();

  get state(): HostLinkState {
    return this.current;
  }

  set(up: boolean, error: string | null = null): void {
    if (this.current.up === up && this.current.error === error) return;
    this.current = { up, since: this.current.up === up ? this.current.since : Date.now(), error };
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
