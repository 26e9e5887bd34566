/**
 * Loaded with `node --import` into a session server the tests start (via
 * NODE_OPTIONS): its wall clock runs DUET_TEST_CLOCK_SHIFT_MS ahead, as if
 * the server were started that much later. For browser tests of what time
 * does (a student inactive for a week): the server's own code is unchanged.
 */
const shift = Number(process.env.DUET_TEST_CLOCK_SHIFT_MS ?? 0)
if (Number.isFinite(shift) && shift !== 0) {
  const RealDate = Date
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + shift)
      else super(...args)
    }
    static now() {
      return RealDate.now() + shift
    }
  }
  globalThis.Date = ShiftedDate
}
