/** Items a slow subscriber may fall behind by before it is cut off (it can resubscribe and relist). */
const DEFAULT_BACKLOG = 10_000;

/**
 * Fan-out of changes to any number of subscribers, each an async iterator: the CLI's `watch`,
 * the browser host's event stream and the desktop app's IPC subscription all read one of these.
 * A subscriber that stops reading is ended with an error at `backlog` items instead of growing
 * the process's memory without bound.
 */
export class ChangeFeed<T> {
  private readonly subscribers = new Set<Subscriber<T>>();
  private closed = false;

  constructor(private readonly backlog = DEFAULT_BACKLOG) {}

  publish(item: T): void {
    for (const s of this.subscribers) {
      if (s.waiting) {
        const resolve = s.waiting;
        s.waiting = null;
        resolve({ value: item, done: false });
      } else if (s.queue.length >= this.backlog) {
        this.end(s, new Error(`subscriber fell ${this.backlog} changes behind and was disconnected`));
      } else {
        s.queue.push(item);
      }
    }
  }

  /** Iterates the changes published from now on, until `return()` (break) or close(). */
  subscribe(signal?: AbortSignal): AsyncIterableIterator<T> {
    const s: Subscriber<T> = { queue: [], waiting: null, failWaiting: null, error: null, ended: this.closed };
    if (!this.closed) this.subscribers.add(s);
    const finish = (): IteratorResult<T> => {
      this.subscribers.delete(s);
      s.ended = true;
      return { value: undefined, done: true };
    };
    signal?.addEventListener("abort", () => this.end(s, null), { once: true });
    const iterator: AsyncIterableIterator<T> = {
      next: () => {
        if (s.queue.length > 0) return Promise.resolve({ value: s.queue.shift() as T, done: false });
        if (s.error) return Promise.reject(s.error);
        if (s.ended) return Promise.resolve(finish());
        return new Promise((resolve, reject) => {
          s.waiting = resolve;
          s.failWaiting = reject;
        });
      },
      return: () => Promise.resolve(finish()),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Ends every subscription (each iterator finishes after what it has queued). */
  close(): void {
    this.closed = true;
    for (const s of this.subscribers) this.end(s, null);
  }

  private end(s: Subscriber<T>, error: Error | null): void {
    this.subscribers.delete(s);
    s.ended = true;
    if (error) {
      s.queue.length = 0;
      s.error = error;
    }
    if (s.waiting) {
      const resolve = s.waiting;
      const reject = s.failWaiting;
      s.waiting = null;
      s.failWaiting = null;
      if (error) reject?.(error);
      else resolve({ value: undefined, done: true });
    }
  }
}

interface Subscriber<T> {
  queue: T[];
  waiting: ((r: IteratorResult<T>) => void) | null;
  failWaiting: ((e: Error) => void) | null;
  error: Error | null;
  ended: boolean;
}
