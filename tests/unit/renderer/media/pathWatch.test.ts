import { describe, expect, it } from 'vitest'
import { DEAD_AFTER_MS, PathWatch, type PathSample } from '../../../../src/renderer/media/builtin/pathWatch'

/**
 * A path sampled every 500 ms (as the tuned engine polls getStats): media
 * arrives at `pps` packets a second except while `down(t)` says the link is
 * gone; ICE reports `ice(t)`. Returns each event with its time.
 */
function watch(o: { until: number; pps?: number; down?: (t: number) => boolean; ice?: (t: number) => RTCIceConnectionState }) {
  const w = new PathWatch()
  const events: { at: number; event: string }[] = []
  let packets = 0
  let last: number | null = null
  for (let t = 0; t <= o.until; t += 500) {
    if (!(o.down?.(t) ?? false) && (o.pps ?? 70) > 0) {
      packets += ((o.pps ?? 70) * 500) / 1000
      last = t - 10
    }
    const sample: PathSample = { at: t, lastPacketAt: last, packetsReceived: packets, iceState: o.ice?.(t) ?? 'connected' }
    const event = w.observe(sample)
    if (event) events.push({ at: t, event })
  }
  return events
}

describe('PathWatch', () => {
  it('says nothing while media flows', () => {
    expect(watch({ until: 60_000 })).toEqual([])
  })

  it('notices a dead path within two seconds, long before ICE does, and its return at once', () => {
    const down = (t: number) => t >= 10_000 && t < 20_000
    // Chromium says "disconnected" 5-8 s into an outage and "connected" again ~100 ms after the link is back.
    const ice = (t: number): RTCIceConnectionState => (t >= 16_000 && t < 20_500 ? 'disconnected' : 'connected')
    const events = watch({ until: 30_000, down, ice })
    expect(events).toHaveLength(2)
    expect(events[0]!.event).toBe('dead')
    expect(events[0]!.at - 10_000).toBeLessThanOrEqual(2000)
    expect(events[0]!.at - 10_000).toBeGreaterThanOrEqual(DEAD_AFTER_MS - 500)
    expect(events[1]).toEqual({ at: 20_000, event: 'back' })
  })

  it('a path that never carried media (both cameras and mics off) is not called dead for its silence', () => {
    expect(watch({ until: 30_000, pps: 0 })).toEqual([])
    // A trickle of RTCP with gaps of a few seconds is not media either.
    expect(watch({ until: 30_000, pps: 1, down: (t) => t % 4000 < 2500 })).toEqual([])
  })

  it('ICE failing is dead whatever the packets say', () => {
    const events = watch({ until: 10_000, ice: (t) => (t >= 5000 ? 'failed' : 'connected') })
    expect(events).toEqual([{ at: 5000, event: 'dead' }])
  })
})
