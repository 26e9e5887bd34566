import { describe, expect, it } from 'vitest'
import { MIN_PAINT_GAP_MS, PaintScheduler, type PaintClock } from '../../../../src/renderer/board/render/PaintScheduler'

/** A page's clock by hand: animation frames and end-of-task callbacks run only when the test says so. */
function handClock() {
  let now = 0
  let hidden = false
  let nextId = 1
  const frames = new Map<number, (t: number) => void>()
  const afterTask: (() => void)[] = []
  const timers: { at: number; cb: () => void }[] = []
  const clock: PaintClock = {
    now: () => now,
    requestFrame: (cb) => {
      frames.set(nextId, cb)
      return nextId++
    },
    cancelFrame: (id) => void frames.delete(id),
    afterTask: (cb) => void afterTask.push(cb),
    hidden: () => hidden,
    later: (cb, ms) => {
      const timer = { at: now + ms, cb }
      timers.push(timer)
      return () => {
        const i = timers.indexOf(timer)
        if (i >= 0) timers.splice(i, 1)
      }
    },
  }
  return {
    clock,
    /** Moves time on, running timers that fall due. */
    advance: (ms: number) => {
      now += ms
      for (const t of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(t), 1)
        t.cb()
      }
    },
    pendingTimers: () => timers.length,
    hide: (on: boolean) => void (hidden = on),
    pendingFrames: () => frames.size,
    endTask: () => afterTask.splice(0).forEach((cb) => cb()),
    frame: () => {
      const due = [...frames.values()]
      frames.clear()
      for (const cb of due) cb(now)
    },
  }
}

function setUp(lowLatency: boolean) {
  const hand = handClock()
  const painted: number[] = []
  const paints = new PaintScheduler((t) => painted.push(t), hand.clock)
  paints.lowLatency = lowLatency
  hand.advance(100)
  return { hand, painted, paints }
}

describe('PaintScheduler', () => {
  it('paints changed ink at the end of the task, without waiting for a frame, on a desynchronized canvas', () => {
    const { hand, painted, paints } = setUp(true)
    paints.soon()
    paints.soon() // a second change in the same task: still one paint
    expect(painted).toEqual([])
    hand.endTask()
    expect(painted).toEqual([100])
    expect(hand.pendingFrames()).toBe(0)
  })

  it('waits for the next frame where the canvas is not desynchronized (it would show no sooner)', () => {
    const { hand, painted, paints } = setUp(false)
    paints.soon()
    hand.endTask()
    expect(painted).toEqual([])
    hand.frame()
    expect(painted).toEqual([100])
  })

  it('paints nothing outside frames while the page is hidden (frames pause, so does the work)', () => {
    const { hand, painted, paints } = setUp(true)
    hand.hide(true)
    paints.soon()
    hand.endTask()
    hand.advance(MIN_PAINT_GAP_MS)
    expect(painted).toEqual([])
    hand.hide(false)
    hand.frame()
    expect(painted).toHaveLength(1)
  })

  it('a paint at the end of the task replaces a frame already asked for', () => {
    const { hand, painted, paints } = setUp(true)
    paints.nextFrame()
    paints.soon()
    hand.endTask()
    hand.frame()
    expect(painted).toEqual([100])
  })

  it("the other person's ink right after a paint waits out the gap (at most MIN_PAINT_GAP_MS), not the next frame", () => {
    const { hand, painted, paints } = setUp(true)
    paints.soon('gap')
    hand.endTask()
    expect(painted).toEqual([100])
    hand.advance(3)
    paints.soon('gap')
    paints.soon('gap') // more ink within the gap: still one paint
    hand.endTask()
    expect(painted).toHaveLength(1)
    expect(hand.pendingFrames()).toBe(0)
    hand.advance(MIN_PAINT_GAP_MS - 3 - 1)
    expect(painted).toHaveLength(1)
    hand.advance(1)
    expect(painted).toEqual([100, 100 + MIN_PAINT_GAP_MS])
    expect(hand.pendingTimers()).toBe(0)
  })

  it('our own ink right after a paint goes to the next frame, so one frame is never painted twice', () => {
    const { hand, painted, paints } = setUp(true)
    paints.nextFrame()
    hand.frame() // the frame's own paint…
    hand.advance(2)
    paints.soon('frame') // …then the pen writes in the same frame
    hand.endTask()
    expect(painted).toHaveLength(1)
    expect(hand.pendingTimers()).toBe(0)
    hand.advance(15)
    hand.frame()
    expect(painted).toHaveLength(2)
    hand.advance(MIN_PAINT_GAP_MS)
    paints.soon('frame')
    hand.endTask()
    expect(painted).toHaveLength(3)
  })

  it('a frame painted while the gap runs makes the waiting paint unnecessary', () => {
    const { hand, painted, paints } = setUp(true)
    paints.soon()
    hand.endTask()
    paints.nextFrame() // e.g. the other person's cursor moved
    hand.advance(1)
    paints.soon() // their ink, inside the gap
    expect(hand.pendingTimers()).toBe(1)
    hand.frame()
    expect(painted).toHaveLength(2)
    expect(hand.pendingTimers()).toBe(0)
    hand.advance(MIN_PAINT_GAP_MS)
    expect(painted).toHaveLength(2)
  })

  it('a paint may ask for another frame (a stroke still settling), and cancel stops everything', () => {
    const hand = handClock()
    let paints: PaintScheduler | null = null
    let count = 0
    paints = new PaintScheduler(() => {
      count++
      if (count < 3) paints?.nextFrame()
    }, hand.clock)
    paints.nextFrame()
    hand.frame()
    hand.frame()
    hand.frame()
    expect(count).toBe(3)
    expect(hand.pendingFrames()).toBe(0)

    paints.lowLatency = true
    hand.advance(100)
    paints.soon()
    paints.cancel()
    hand.endTask()
    hand.frame()
    expect(count).toBe(3)
  })
})
