import { describe, expect, it } from 'vitest'
import { DEAD_AFTER_MS, PathWatch } from '../../../../../src/renderer/media/builtin/pathWatch'

/**
 * A transport sampled every 500 ms (as the tuned engine polls getStats):
 * packets arrive at `pps` a second except while `down(t)` says the link is
 * gone; ICE reports `ice(t)`. Returns each event with its time.
 */
function watch(o: { until: number; pps?: number; down?: (t: number) => boolean; ice?: (t: number) => RTCIceConnectionState; reset?: number }) {
  const w = new PathWatch()
  const events: { at: number; event: string }[] = []
  let packets = 0
  for (let t = 0; t <= o.until; t += 500) {
    if (t === o.reset) packets = 0
    if (!(o.down?.(t) ?? false)) packets += ((o.pps ?? 70) * 500) / 1000
    const event = w.observe({ at: t, packetsReceived: packets, iceState: o.ice?.(t) ?? 'connected' })
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
    // A trickle of RTCP and connectivity checks, quiet for seconds at a time, is not media either.
    expect(watch({ until: 30_000, pps: 2, down: (t) => t % 4000 < 2500 })).toEqual([])
  })

  it('ICE failing is dead whatever the packets say', () => {
    const events = watch({ until: 10_000, ice: (t) => (t >= 5000 ? 'failed' : 'connected') })
    expect(events).toEqual([{ at: 5000, event: 'dead' }])
  })

  it('a fresh connection counting from zero is not a dead path', () => {
    expect(watch({ until: 20_000, reset: 10_000 })).toEqual([])
  })
})
