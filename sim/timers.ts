/**
 * Every delay and ticker goes through here so close() can clear them all and an idle sim never
 * keeps the process (or vitest) alive: the timers are unref'd.
 */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private closed = false;

  after(ms: number, fn: () => void): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const handle = setTimeout(() => {
      this.pending.delete(handle);
      fn();
    }, ms);
    handle.unref();
    this.pending.add(handle);
    return handle;
  }

  /** A ticker (one per concern, however many workspaces it serves). */
  every(ms: number, fn: () => void): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const handle = setInterval(fn, ms);
    handle.unref();
    this.pending.add(handle);
    return handle;
  }

  cancel(handle: NodeJS.Timeout | undefined): void {
    if (handle === undefined) return;
    clearTimeout(handle);
    this.pending.delete(handle);
  }

  clearAll(): void {
    this.closed = true;
    for (const handle of this.pending) clearTimeout(handle);
    this.pending.clear();
  }
}
