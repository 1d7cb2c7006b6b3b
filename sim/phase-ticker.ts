/**
 * Many periodic beats on one timer. Item i beats at anchor + phase(i) + k·interval (k ≥ 0);
 * items are kept sorted by phase, so each tick finds the beats that fell due since the last one
 * with a binary search and touches only those: 10,000 workspaces at a 3 s interval (~3,300
 * beats a second) cost one timer and the beats themselves. A tick late by more than a whole
 * interval drops the missed cycles, as a Go time.Ticker drops ticks a slow reader missed.
 */
export class PhaseTicker<T> {
  private readonly entries: Array<{ phase: number; item: T }> = [];
  private readonly phases = new Map<T, number>();
  private processed = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly anchor: number,
    private readonly onBeat: (item: T, at: number, cycle: number) => void,
  ) {
    if (!(intervalMs > 0)) throw new Error("PhaseTicker: interval must be positive");
  }

  /** phase in [0, interval): when in each cycle the item beats. */
  add(item: T, phase: number): void {
    const p = Math.floor(phase) % this.intervalMs;
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid] as { phase: number }).phase <= p) lo = mid + 1;
      else hi = mid;
    }
    this.entries.splice(lo, 0, { phase: p, item });
    this.phases.set(item, p);
  }

  /** The item's latest beat at or before `now`; before its first one, where the previous would have been. */
  lastBeat(item: T, now: number): number | null {
    const phase = this.phases.get(item);
    if (phase === undefined) return null;
    const cycle = Math.floor((now - this.anchor - phase) / this.intervalMs);
    return this.anchor + phase + cycle * this.intervalMs;
  }

  /** Runs every beat due in (last tick, now]. */
  tick(now: number): void {
    const elapsed = now - this.anchor;
    let from = this.processed;
    if (elapsed <= from) return;
    if (elapsed - from > this.intervalMs) from = elapsed - this.intervalMs;
    for (let cycle = Math.floor(from / this.intervalMs); ; cycle++) {
      const start = cycle * this.intervalMs;
      if (start > elapsed) break;
      // Beats strictly after `from` and at or before `elapsed`, within this cycle.
      const lo = from - start;
      const hi = Math.min(elapsed - start, this.intervalMs - 1);
      for (let i = this.firstAfter(lo); i < this.entries.length; i++) {
        const entry = this.entries[i] as { phase: number; item: T };
        if (entry.phase > hi) break;
        this.onBeat(entry.item, this.anchor + start + entry.phase, cycle);
      }
    }
    this.processed = elapsed;
  }

  private firstAfter(offset: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid] as { phase: number }).phase <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
