import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TickPacer } from '../../../../src/renderer/recording/tickPacer'

describe('TickPacer (the recording clock against a busy page)', () => {
  let ticks: number[]
  let pacer: TickPacer

  beforeEach(() => {
    vi.useFakeTimers()
    ticks = []
    pacer = new TickPacer((due) => ticks.push(Math.round(due)), () => Date.now())
  })
  afterEach(() => {
    pacer.stop()
    vi.useRealTimers()
  })

  it('ticks every interval while the page keeps up', () => {
    const start = Date.now()
    pacer.start(33)
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(33)
      pacer.done()
    }
    expect(ticks).toEqual([33, 66, 99, 132, 165].map((t) => start + t))
  })

  it('sends a tick that fell due while the page was busy as soon as it answers: late, not lost', () => {
    const start = Date.now()
    pacer.start(33)
    vi.advanceTimersByTime(33) // tick 1; the page takes 40 ms over it
    vi.advanceTimersByTime(33) // tick 2 falls due meanwhile
    expect(ticks).toHaveLength(1)
    vi.advanceTimersByTime(7)
    pacer.done()
    expect(ticks).toEqual([start + 33, start + 73])
  })

  it('owes at most one tick: a page stalled for several intervals skips the rest', () => {
    pacer.start(33)
    vi.advanceTimersByTime(33)
    vi.advanceTimersByTime(33 * 4) // four ticks fall due during a long stall
    pacer.done()
    expect(ticks).toHaveLength(2)
    // Back in step: the next tick comes on the interval, not in a burst.
    pacer.done()
    vi.advanceTimersByTime(33)
    expect(ticks).toHaveLength(3)
  })

  it('stops ticking when stopped', () => {
    pacer.start(33)
    vi.advanceTimersByTime(33)
    pacer.stop()
    vi.advanceTimersByTime(330)
    expect(ticks).toHaveLength(1)
  })
})
