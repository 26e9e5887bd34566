import { describe, expect, it } from 'vitest'
import { JitterTarget } from '../../../../../src/renderer/media/builtin/jitterTarget'

function feed(target: JitterTarget, from: number, to: number, lossPct: number | null, rttMs: number | null): number {
  let value = target.current
  for (let t = from; t <= to; t += 1000) value = target.observe({ at: t, lossPct, rttMs })
  return value
}

describe('JitterTarget: how long incoming video is held', () => {
  it('holds nothing on a clean link or a short round trip', () => {
    expect(feed(new JitterTarget(), 0, 60_000, 0, 150)).toBe(0)
    expect(feed(new JitterTarget(), 0, 60_000, 10, 20)).toBe(0)
  })

  it('holds about 2.5 round trips once the link has been lossy for 2 s, at most 700 ms', () => {
    const target = new JitterTarget()
    expect(feed(target, 0, 1000, 20, 150)).toBe(0)
    expect(feed(target, 2000, 3000, 20, 150)).toBe(400)
    expect(feed(new JitterTarget(), 0, 5000, 40, 300)).toBe(700)
  })

  it('does not shrink when the round trip dips, and lets go after 15 s of a clean link', () => {
    const target = new JitterTarget()
    feed(target, 0, 5000, 20, 150)
    expect(feed(target, 6000, 20_000, 20, 80)).toBe(400)
    expect(feed(target, 21_000, 35_000, 0, 80)).toBe(400)
    expect(feed(target, 36_000, 37_000, 0, 80)).toBe(0)
  })

  it('unknown loss changes nothing', () => {
    const target = new JitterTarget()
    feed(target, 0, 5000, 20, 150)
    expect(feed(target, 6000, 60_000, null, null)).toBe(400)
  })
})
