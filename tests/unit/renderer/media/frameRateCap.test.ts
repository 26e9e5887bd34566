import { describe, expect, it } from 'vitest'
import { FrameRateCap } from '../../../../src/renderer/media/frameCanvas/frameRateCap'

/** Timestamps (µs) of `count` frames at `fps`, each shifted by `jitterUs(i)`. */
const stamps = (fps: number, count: number, jitterUs: (i: number) => number = () => 0): number[] =>
  Array.from({ length: count }, (_, i) => Math.round((i * 1e6) / fps + jitterUs(i)))

/** Frames kept per second over the stamps. */
function keptPerSecond(cap: FrameRateCap, ts: number[]): number {
  const kept = ts.filter((t) => cap.keep(t))
  return (kept.length * 1e6) / ((ts.at(-1) ?? 0) - (ts[0] ?? 0) + 1)
}

describe('FrameRateCap', () => {
  it('keeps every other frame of a 30 fps camera at a cap of 15', () => {
    const cap = new FrameRateCap(15)
    const kept = stamps(30, 8).map((t) => cap.keep(t))
    expect(kept).toEqual([true, false, true, false, true, false, true, false])
  })

  it('holds the cap for sources at 25, 30 and 60 fps', () => {
    for (const fps of [25, 30, 60]) {
      const rate = keptPerSecond(new FrameRateCap(15), stamps(fps, fps * 10))
      expect(rate, `${fps} fps source`).toBeGreaterThan(12)
      expect(rate, `${fps} fps source`).toBeLessThanOrEqual(15.5)
    }
  })

  it('does not halve the rate again when capture jitters by a few milliseconds', () => {
    const jitter = (i: number) => (i % 2 === 0 ? -4000 : 3000)
    expect(keptPerSecond(new FrameRateCap(15), stamps(30, 300, jitter))).toBeGreaterThan(14)
  })

  it('lets a slower source through whole', () => {
    const cap = new FrameRateCap(15)
    expect(stamps(10, 20).every((t) => cap.keep(t))).toBe(true)
  })

  it('starts afresh when the timestamps go back (another source) or after a stall', () => {
    const cap = new FrameRateCap(15)
    expect(cap.keep(5_000_000)).toBe(true)
    expect(cap.keep(1_000)).toBe(true)
    expect(cap.keep(34_000)).toBe(false)
    // A two-second stall: the next frame shows at once, and the cap counts on from it.
    expect(cap.keep(2_034_000)).toBe(true)
    expect(cap.keep(2_067_000)).toBe(false)
    expect(cap.keep(2_100_000)).toBe(true)
  })

  it('keeps every frame without a usable cap', () => {
    for (const max of [0, -1, NaN, Infinity]) {
      const cap = new FrameRateCap(max)
      expect(stamps(60, 10).every((t) => cap.keep(t)), String(max)).toBe(true)
    }
  })
})
