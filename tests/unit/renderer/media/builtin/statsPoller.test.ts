import { afterEach, describe, expect, it, vi } from 'vitest'
import { pollStats, ROOM_STATS_MS } from '../../../../../src/renderer/media/builtin/statsPoller'

/** A peer connection whose getStats answers with one entry numbered by the call. */
function fakePc(): RTCPeerConnection & { calls: number } {
  const pc = {
    calls: 0,
    getStats: vi.fn(async () => {
      pc.calls += 1
      return new Map([['t', { type: 'transport', call: pc.calls }]])
    }),
  }
  return pc as unknown as RTCPeerConnection & { calls: number }
}

describe('pollStats', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('tuned: reads every 500 ms, tells which reports are for the room (every 2 s), and nothing after stop', async () => {
    vi.useFakeTimers()
    const pc = fakePc()
    const reports: boolean[] = []
    const poller = pollStats(pc, { tuned: true, pathDead: () => false, onReport: (_, forRoom) => reports.push(forRoom) })
    await vi.advanceTimersByTimeAsync(ROOM_STATS_MS * 2)
    expect(reports).toEqual([true, false, false, false, true, false, false, false])
    poller.stop()
    await vi.advanceTimersByTimeAsync(ROOM_STATS_MS * 2)
    expect(reports).toHaveLength(8)
  })

  it('reads every 250 ms while the path is dead; untuned, at the room pace only', async () => {
    vi.useFakeTimers()
    const dead = fakePc()
    const a = pollStats(dead, { tuned: true, pathDead: () => true, onReport: () => {} })
    await vi.advanceTimersByTimeAsync(1000)
    expect(dead.calls).toBe(4)
    a.stop()
    const plain = fakePc()
    const reports: boolean[] = []
    const b = pollStats(plain, { tuned: false, pathDead: () => false, onReport: (_, forRoom) => reports.push(forRoom) })
    await vi.advanceTimersByTimeAsync(ROOM_STATS_MS * 3)
    expect(reports).toEqual([true, true, true])
    b.stop()
  })

  it('drops a report that arrives after stop', async () => {
    let answer: (v: Map<string, unknown>) => void = () => {}
    const pc = { getStats: () => new Promise((r) => (answer = r)) } as unknown as RTCPeerConnection
    vi.useFakeTimers()
    const onReport = vi.fn()
    const poller = pollStats(pc, { tuned: true, pathDead: () => false, onReport })
    await vi.advanceTimersByTimeAsync(500)
    poller.stop()
    answer(new Map([['t', { type: 'transport' }]]))
    await vi.advanceTimersByTimeAsync(0)
    expect(onReport).not.toHaveBeenCalled()
  })
})
