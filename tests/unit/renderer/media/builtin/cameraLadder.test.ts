import { describe, expect, it } from 'vitest'
import { CAMERA_RUNGS, CameraLadder, type SendSample } from '../../../../../src/renderer/media/builtin/cameraLadder'

const rung = (name: string) => CAMERA_RUNGS.findIndex((r) => r.name === name)

/** Feeds one sample a second from `from` s to `to` s (inclusive); returns the rung names seen, in order, without repeats. */
function run(ladder: CameraLadder, from: number, to: number, sample: (t: number) => Omit<SendSample, 'at'>): string[] {
  const seen: string[] = []
  for (let t = from; t <= to; t += 1) {
    const name = ladder.observe({ at: t * 1000, ...sample(t) }).name
    if (seen[seen.length - 1] !== name) seen.push(name)
  }
  return seen
}

const healthy = (bweKbps: number) => () => ({ bweKbps, lossPct: 0, sentFps: 30, sourceFps: 30 })

describe('CameraLadder', () => {
  it('stays at 720p30 while the encoder keeps up, whatever the estimate (it trails what is sent)', () => {
    const ladder = new CameraLadder()
    expect(run(ladder, 0, 60, () => ({ bweKbps: 700, lossPct: 0, sentFps: 29, sourceFps: 30 }))).toEqual(['720p30'])
  })

  it('steps down to what the estimate carries when frames are dropped for lack of bits, not on one bad second', () => {
    const ladder = new CameraLadder()
    expect(run(ladder, 0, 1, () => ({ bweKbps: 400, lossPct: 0, sentFps: 6, sourceFps: 30 }))).toEqual(['720p30'])
    // 400 - 80 for audio = 320 kbit/s: 360p at 15 fps needs 170.
    expect(run(ladder, 2, 3, () => ({ bweKbps: 400, lossPct: 0, sentFps: 6, sourceFps: 30 }))).toEqual(['360p15'])
  })

  it('goes one rung down at least, even when the estimate says the rung fits', () => {
    const ladder = new CameraLadder()
    expect(run(ladder, 0, 3, () => ({ bweKbps: 5000, lossPct: 0, sentFps: 5, sourceFps: 30 })).at(-1)).toBe('540p30')
  })

  it('heavy loss caps the picture at once: 360p24 from 8 %, 360p10 from 30 %', () => {
    const ladder = new CameraLadder()
    expect(run(ladder, 0, 0, () => ({ bweKbps: 3000, lossPct: 20, sentFps: 30, sourceFps: 30 }))).toEqual(['360p24'])
    expect(run(new CameraLadder(), 0, 0, () => ({ bweKbps: 3000, lossPct: 40, sentFps: 30, sourceFps: 30 }))).toEqual(['360p10'])
  })

  it('on a lossy link, frames starved of bits cost frame rate, not size (each change of size restarts from a key frame)', () => {
    // 20 % loss, the estimate at 120 kbit/s as Chromium's loss-based estimate gives it, the encoder sending 3 frames a second.
    const lossy = new CameraLadder()
    const path = run(lossy, 0, 60, () => ({ bweKbps: 120, lossPct: 20, sentFps: 3, sourceFps: 30 }))
    expect(path).toEqual(['360p24', '360p10'])
    // Without loss the same starvation goes down to the size the estimate carries.
    const clean = new CameraLadder()
    expect(run(clean, 0, 60, () => ({ bweKbps: 120, lossPct: 0, sentFps: 3, sourceFps: 30 })).at(-1)).toBe('180p8')
    // Already smaller when the loss began: it stays as small, it is not made smaller still.
    const small = new CameraLadder()
    run(small, 0, 3, () => ({ bweKbps: 150, lossPct: 0, sentFps: 3, sourceFps: 30 }))
    expect(small.current.name).toBe('270p10')
    expect(run(small, 4, 30, () => ({ bweKbps: 120, lossPct: 20, sentFps: 3, sourceFps: 30 }))).toEqual(['270p10'])
  })

  it('climbs back one rung at a time once the link is good, not before 10 s after a step down', () => {
    const ladder = new CameraLadder()
    run(ladder, 0, 3, () => ({ bweKbps: 200, lossPct: 0, sentFps: 3, sourceFps: 30 }))
    const bottom = ladder.current.name
    expect(ladder.index).toBeGreaterThanOrEqual(rung('360p10'))
    const path = run(ladder, 4, 120, healthy(3000))
    expect(path[0]).toBe(bottom)
    expect(path.at(-1)).toBe('720p30')
    // One rung per step, in order.
    for (let i = 1; i < path.length; i += 1) expect(rung(path[i]!)).toBe(rung(path[i - 1]!) - 1)
    // No climb within 10 s of the step down.
    const early = new CameraLadder()
    run(early, 0, 3, () => ({ bweKbps: 200, lossPct: 0, sentFps: 3, sourceFps: 30 }))
    expect(run(early, 4, 11, healthy(3000))).toHaveLength(1)
  })

  it('does not climb while the loss still caps the rung, nor past what the estimate could carry', () => {
    const lossy = new CameraLadder()
    expect(run(lossy, 0, 120, () => ({ bweKbps: 3000, lossPct: 20, sentFps: 24, sourceFps: 30 }))).toEqual(['360p24'])
    const narrow = new CameraLadder()
    run(narrow, 0, 3, () => ({ bweKbps: 250, lossPct: 0, sentFps: 3, sourceFps: 30 }))
    const start = narrow.current.name
    // 250 - 80 = 170: enough for 360p15, not 80 % of 360p24's 350.
    expect(run(narrow, 4, 120, healthy(250)).at(-1)).toBe(rung(start) <= rung('360p15') ? start : '360p15')
  })

  it('waits longer after each climb that had to come back down', () => {
    const ladder = new CameraLadder()
    // Starved at anything above 360p15; healthy at 360p15 and below.
    const sample = () => ({ bweKbps: 1000, lossPct: 0, sentFps: ladder.index < rung('360p15') ? 3 : 15, sourceFps: 30 })
    const climbs: number[] = []
    let last = ladder.index
    for (let t = 0; t < 400; t += 1) {
      ladder.observe({ at: t * 1000, ...sample() })
      if (ladder.index < last) climbs.push(t)
      last = ladder.index
    }
    const gaps = climbs.slice(1).map((t, i) => t - climbs[i]!)
    expect(gaps.length).toBeGreaterThanOrEqual(3)
    for (let i = 1; i < gaps.length; i += 1) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]!)
    expect(gaps.at(-1)).toBeGreaterThan(gaps[0]! * 2)
  })

  it('ignores samples without a camera being sent', () => {
    const ladder = new CameraLadder()
    expect(run(ladder, 0, 30, () => ({ bweKbps: 100, lossPct: 0, sentFps: null, sourceFps: null }))).toEqual(['720p30'])
  })
})
