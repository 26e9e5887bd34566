import { describe, expect, it } from 'vitest'
import { firstFrameAfter, summarizeFrames } from '../../netlab/frames'

/** Frames every `every` ms from `from` to `to` (exclusive), at height h. */
const run = (from: number, to: number, every: number, h = 720) => Array.from({ length: Math.ceil((to - from) / every) }, (_, i) => ({ t: from + i * every, h }))

describe('summarizeFrames: freezes, frame rate and height at the receiver', () => {
  it('a steady 30 fps picture has no freeze', () => {
    const s = summarizeFrames(run(0, 10_000, 1000 / 30), 0, 10_000)
    expect(s.freezePct).toBe(0)
    expect(s.fpsPerSecond).toHaveLength(10)
    for (const fps of s.fpsPerSecond) expect(fps).toBeGreaterThanOrEqual(29)
    expect(s.heightPerSecond.every((h) => h === 720)).toBe(true)
  })

  it('counts only gaps longer than 500 ms, whole', () => {
    // A 450 ms gap (not a freeze) and a 2 s gap (a freeze of 2 s) in a 10 s window.
    const frames = [...run(0, 3000, 50), ...run(3450, 6000, 50), ...run(8000, 10_000, 50)]
    const s = summarizeFrames(frames, 0, 10_000)
    expect(s.freezePct).toBeCloseTo(((8000 - 5950) / 10_000) * 100, 5)
    expect(s.fpsPerSecond[6]).toBe(0)
    // A frozen picture is still on screen at its height.
    expect(s.heightPerSecond[6]).toBe(720)
    expect(s.freezes).toEqual([{ atMs: 5950, ms: 2050 }])
  })

  it('a picture that never comes, or stops early, is frozen up to the window edge', () => {
    expect(summarizeFrames([], 0, 5000).freezePct).toBe(100)
    expect(summarizeFrames([], 0, 5000).heightPerSecond).toEqual([0, 0, 0, 0, 0])
    const s = summarizeFrames(run(0, 4000, 100, 360), 0, 10_000)
    expect(s.freezePct).toBeCloseTo(((10_000 - 3900) / 10_000) * 100, 5)
    expect(s.heightPerSecond[0]).toBe(360)
  })

  it('finds the first frame after a moment', () => {
    const frames = [...run(0, 1000, 100), ...run(5000, 6000, 100)]
    expect(firstFrameAfter(frames, 1500)).toBe(5000)
    expect(firstFrameAfter(frames, 7000)).toBeNull()
  })
})
