import { fileURLToPath } from "node:url";

/**
 * One clock for the emulator, the host and the page in the end-to-end tests. It starts at a fixed
 * date and runs in real time, so a test that uses fixed dates (an imported log of 2026-11-20) never
 * meets the emulator's history, which is seeded relative to "now": on the wall clock, that history
 * moved into the test's window within weeks (issue 13).
 */
export const E2E_EPOCH = Date.parse("2027-06-01T12:00:00Z");

/** How far the test clock is ahead of the wall clock: fixed once, shared by every process. */
export const CLOCK_OFFSET_MS = E2E_EPOCH - Date.now();

export function testNow(): number {
  return Date.now() + CLOCK_OFFSET_MS;
}

/** What a host child process needs to run on the same clock (see shifted-clock.mjs). */
export function clockEnv(): Record<string, string> {
  const preload = fileURLToPath(new URL("./shifted-clock.mjs", import.meta.url));
  return {
    MOLECULE_OPS_TEST_CLOCK_OFFSET_MS: String(CLOCK_OFFSET_MS),
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${preload}`.trim(),
  };
}

/**
 * For a page that must keep its real timers (addInitScript(shiftPageDate, CLOCK_OFFSET_MS)): Date
 * runs `offset` ms ahead, as shifted-clock.mjs does for a host process. page.clock.install gives
 * a page the test clock too, but replaces requestAnimationFrame, the timers and performance.now,
 * which the UI benchmark measures with.
 */
export function shiftPageDate(offset: number): void {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...(args as [number]));
    }
    static override now(): number {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}
