// Test only (loaded with --import by the end-to-end tests, never by the product): the host's
// Date runs MOLECULE_OPS_TEST_CLOCK_OFFSET_MS ahead of the wall clock, like the emulator's and
// the page's clocks in the same test (see test-clock.ts). Timers are untouched: time still flows.
const offset = Number(process.env.MOLECULE_OPS_TEST_CLOCK_OFFSET_MS);
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
