import { describe, expect, it } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { StrokeData } from '../../../../src/shared/board/layout'
import { HAIRLINE_MAX_PX, paintStrokeAt, type StrokeShape } from '../../../../src/renderer/board/render/strokeShape'
import { readStrokeCached } from '../../../../src/renderer/board/scene/strokeCache'
import { Presence } from '../../../../src/renderer/board/sync/Presence'
import { SEND_INTERVAL_MS, UpdateBatcher } from '../../../../src/renderer/board/sync/UpdateBatcher'
import { readPage } from '../../../../src/shared/board/layout'
import { addPages } from '../../../../src/shared/board/pageOps'
import { quantize } from '../../../../src/shared/board/points'
import { appendPoints, beginFreehand, finishStroke, setOffsets } from '../../../../src/shared/board/strokeOps'

const pen = (over: Partial<StrokeData> = {}): StrokeData => ({
  id: 'stroke-1',
  kind: 'pen',
  color: '#1e1e1e',
  width: 3,
  by: 'me',
  z: 1,
  points: Float32Array.from([0, 0, 0.5, 10, 0, 0.5, 10, 10, 0.5]),
  geometry: null,
  text: null,
  dx: 0,
  dy: 0,
  done: true,
  ...over,
})

/** A 2D context that only records what was asked of it. */
function recordingContext() {
  const calls: string[] = []
  const ctx = {
    lineWidth: 0,
    globalAlpha: 1,
    strokeStyle: '',
    fillStyle: '',
    lineCap: '',
    lineJoin: '',
    beginPath: () => calls.push('beginPath'),
    moveTo: () => calls.push('moveTo'),
    lineTo: () => calls.push('lineTo'),
    stroke: () => calls.push(`stroke@${ctx.lineWidth}`),
    fill: () => calls.push('fill'),
    translate: () => calls.push('translate'),
  }
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls }
}

describe('painting at a scale (tiles, thumbnails)', () => {
  it('paints thin freehand ink as a one-device-pixel polyline without building its outline', () => {
    const { ctx, calls } = recordingContext()
    const scale = HAIRLINE_MAX_PX / 3 // a 3-unit pen is exactly at the limit
    paintStrokeAt(ctx, pen(), () => {
      throw new Error('the outline must not be built')
    }, scale)
    expect(calls).toEqual(['beginPath', 'moveTo', 'lineTo', 'lineTo', `stroke@${1 / scale}`])
  })

  it('fills the outline of ink wider than that', () => {
    const { ctx, calls } = recordingContext()
    let built = 0
    const shape = (): StrokeShape => {
      built++
      return { path: {} as Path2D, mode: 'fill' }
    }
    paintStrokeAt(ctx, pen(), shape, 1)
    expect(built).toBe(1)
    expect(calls).toEqual(['fill'])
  })

  it('keeps a single-point dot visible as a hairline', () => {
    const { ctx, calls } = recordingContext()
    paintStrokeAt(ctx, pen({ points: Float32Array.from([5, 5, 0.5]) }), () => ({ path: {} as Path2D, mode: 'fill' }), 0.25)
    expect(calls).toEqual(['beginPath', 'moveTo', 'lineTo', `stroke@${3}`])
  })
})

describe('presence', () => {
  it('announces the other people’s changes, not its own cursor moving', () => {
    const mine = new Awareness(new Y.Doc())
    const theirs = new Awareness(new Y.Doc())
    const presence = new Presence(mine, { id: 'me', name: 'Me', role: 'tutor', color: '#2563eb' })
    let changes = 0
    presence.events.on('change', () => changes++)

    mine.setLocalState({ ...mine.getLocalState(), cursor: { page: 'p', x: 1, y: 2 } })
    expect(changes).toBe(0)

    theirs.setLocalState({ user: { id: 'you', name: 'You', role: 'student', color: '#d6336c' }, cursor: null, laser: null, view: null })
    applyAwarenessUpdate(mine, encodeAwarenessUpdate(theirs, [theirs.clientID]), 'remote')
    expect(changes).toBe(1)
    presence.destroy()
  })
})

describe('decoded strokes', () => {
  it('reads an unchanged stroke once, and again whenever it changes', () => {
    const doc = new Y.Doc()
    const [page] = addPages(doc, 'me', [{ bg: { kind: 'blank' }, h: 1000 }])
    if (!page) throw new Error('no page')
    const strokes = readPage(doc, page)?.strokes
    const id = beginFreehand(doc, 'me', page, { t: 'pen', c: '#1e1e1e', w: 3, by: 'me', z: 1 }, quantize(1, 1, 0.5)) as string
    const read = () => readStrokeCached(id, strokes?.get(id))

    const first = read()
    expect(read()).toBe(first)
    appendPoints(doc, 'me', page, id, quantize(5, 5, 0.5))
    const grown = read()
    expect(grown).not.toBe(first)
    expect(grown?.points?.length).toBe(6)
    finishStroke(doc, 'me', page, id)
    const done = read()
    expect(done?.done).toBe(true)
    expect(read()).toBe(done)
    setOffsets(doc, 'me', page, new Map([[id, [10, 0]]]))
    expect(read()?.dx).toBe(10)
  })
})

describe('sending updates', () => {
  /** A clock moved by hand. */
  function manualClock() {
    let t = 1000
    const timers: { at: number; fn: () => void }[] = []
    return {
      now: () => t,
      later: (fn: () => void, ms: number) => {
        const timer = { at: t + ms, fn }
        timers.push(timer)
        return () => timers.splice(timers.indexOf(timer), 1)
      },
      advance(ms: number) {
        t += ms
        for (const timer of [...timers]) {
          if (timer.at > t) continue
          timers.splice(timers.indexOf(timer), 1)
          timer.fn()
        }
      },
    }
  }

  it('sends the first update at once and merges what follows within the interval into one message', () => {
    const doc = new Y.Doc()
    const sent: Uint8Array[] = []
    const holding: boolean[] = []
    const clock = manualClock()
    const batcher = new UpdateBatcher((u) => sent.push(u), (h) => holding.push(h), clock)
    doc.on('update', (u: Uint8Array) => batcher.push(u))
    const list = doc.getArray<number>('x')

    list.push([1]) // pen-down after a quiet spell
    expect(sent).toHaveLength(1)
    clock.advance(16)
    list.push([2])
    clock.advance(8)
    list.push([3])
    expect(sent).toHaveLength(1)
    expect(holding).toEqual([true])
    clock.advance(SEND_INTERVAL_MS)
    expect(sent).toHaveLength(2)
    expect(holding).toEqual([true, false])

    // Both messages together rebuild the document on the other side.
    const other = new Y.Doc()
    sent.forEach((u) => Y.applyUpdate(other, u))
    expect(other.getArray<number>('x').toArray()).toEqual([1, 2, 3])

    // After a quiet spell the next update goes at once again; flush() empties the queue on demand.
    clock.advance(100)
    list.push([4])
    expect(sent).toHaveLength(3)
    list.push([5])
    batcher.flush()
    expect(sent).toHaveLength(4)
    expect(batcher.waiting).toBe(0)
  })
})
