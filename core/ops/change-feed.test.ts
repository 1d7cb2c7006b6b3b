import { describe, expect, it } from "vitest";
import { ChangeFeed } from "./change-feed";

describe("ChangeFeed", () => {
  it("fans out to every subscriber in order; a subscriber sees only what came after it subscribed", async () => {
    const feed = new ChangeFeed<number>();
    const a = feed.subscribe();
    feed.publish(1);
    const b = feed.subscribe();
    feed.publish(2);
    feed.close();
    const read = async (it: AsyncIterableIterator<number>) => {
      const got: number[] = [];
      for await (const n of it) got.push(n);
      return got;
    };
    expect(await read(a)).toEqual([1, 2]);
    expect(await read(b)).toEqual([2]);
  });

  it("cuts off a subscriber that falls too far behind instead of growing without bound", async () => {
    const feed = new ChangeFeed<number>(3);
    const slow = feed.subscribe();
    const fast = feed.subscribe();
    const fastGot: number[] = [];
    const reading = (async () => {
      for await (const n of fast) fastGot.push(n);
    })();
    for (let i = 0; i < 5; i++) {
      feed.publish(i);
      await Promise.resolve();
    }
    await expect(slow.next()).rejects.toThrow(/fell 3 changes behind/);
    expect(feed.subscriberCount).toBe(1);
    feed.close();
    await reading;
    expect(fastGot).toEqual([0, 1, 2, 3, 4]);
  });

  it("ends a subscription on abort or break", async () => {
    const feed = new ChangeFeed<number>();
    const stop = new AbortController();
    const it = feed.subscribe(stop.signal);
    const pending = it.next();
    stop.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    const other = feed.subscribe();
    await other.return?.();
    expect(feed.subscriberCount).toBe(0);
  });
});
