/**
 * The sim's one clock. It starts at `startAt` (ms since the epoch; default the real now) and
 * advances with monotonic time, so a test with fixed dates never depends on the wall clock
 * (DESIGN: "tests never depend on the wall clock") and a wall-clock jump never moves the sim.
 * Everything the sim stamps (seeded history, events, instances, consoles, the server log, /ws
 * timestamps, uptime) reads it.
 */
export class SimClock {
  private readonly originNs: bigint;
  private readonly monotonicAtStart: bigint;

  constructor(startAt: number = Date.now()) {
    if (!Number.isFinite(startAt)) throw new Error("sim: startAt must be a finite number of ms since the epoch");
    this.originNs = BigInt(Math.floor(startAt)) * 1_000_000n;
    this.monotonicAtStart = process.hrtime.bigint();
  }

  /** ms since the epoch. */
  now(): number {
    return Number(this.nowNs() / 1_000_000n);
  }

  /** ns since the epoch: Go's time.Now() has ns precision, and /ws timestamps show it. */
  nowNs(): bigint {
    return this.originNs + (process.hrtime.bigint() - this.monotonicAtStart);
  }

  /** µs since the epoch: what a Postgres `now()` stores (timestamptz has µs precision). */
  nowMicros(): number {
    return Number(this.nowNs() / 1000n);
  }
}
