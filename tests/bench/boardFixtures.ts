import * as Y from 'yjs'
import { PAGE_KEY, roots } from '../../src/shared/board/layout'
import { PAGE_WIDTH } from '../../src/shared/board/limits'
import { newId } from '../../src/shared/board/pageOps'
import { encodePoints, quantize } from '../../src/shared/board/points'
import { appendPoints, beginFreehand, finishStroke } from '../../src/shared/board/strokeOps'

/** Small seeded PRNG (mulberry32): the same board every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One handwriting-like stroke: 20-50 points wandering a few units per sample, pressure varying. */
export function handwritingPoints(rand: () => number, x0: number, y0: number): number[] {
  const n = 20 + Math.floor(rand() * 31)
  const out: number[] = []
  let x = x0
  let y = y0
  let angle = rand() * Math.PI * 2
  for (let i = 0; i < n; i++) {
    angle += (rand() - 0.5) * 0.9
    x += Math.cos(angle) * (2 + rand() * 3)
    y += Math.sin(angle) * (2 + rand() * 3)
    out.push(...quantize(x, y, 0.3 + rand() * 0.5))
  }
  return out
}

/** Where stroke i of n goes: rows of "words" filling the page like dense notes. */
function slot(i: number, n: number, height: number, rand: () => number): [number, number] {
  const perRow = Math.ceil(Math.sqrt(n * (PAGE_WIDTH / height)))
  const rows = Math.ceil(n / perRow)
  return [20 + ((i % perRow) + rand() * 0.5) * ((PAGE_WIDTH - 60) / perRow), 20 + (Math.floor(i / perRow) + rand() * 0.5) * ((height - 60) / rows)]
}

/**
 * Adds a page with `count` finished handwriting strokes to `doc` in one
 * transaction, as a long lesson's worth of notes would leave it.
 */
export function addNotesPage(doc: Y.Doc, count: number, seed = 1): string {
  const rand = rng(seed)
  const id = newId()
  const height = 1000
  doc.transact(() => {
    const page = new Y.Map<unknown>()
    page.set(PAGE_KEY.attrs, { bg: { kind: 'blank' }, w: PAGE_WIDTH, h: height })
    const strokes = new Y.Map<Y.Map<unknown>>()
    page.set(PAGE_KEY.strokes, strokes)
    for (let i = 0; i < count; i++) {
      const [x, y] = slot(i, count, height, rand)
      const s = new Y.Map<unknown>()
      s.set('a', { t: 'pen', c: '#1e1e1e', w: 3, by: 'bench', z: i + 1 })
      s.set('b', encodePoints(handwritingPoints(rand, x, y)))
      strokes.set(newId(), s)
    }
    roots(doc).pages.set(id, page)
    roots(doc).order.push([id])
  })
  return id
}

/** Adds an empty page in one transaction; returns its id. */
export function addEmptyPage(doc: Y.Doc, height = 1000): string {
  const id = newId()
  doc.transact(() => {
    const p = new Y.Map<unknown>()
    p.set(PAGE_KEY.attrs, { bg: { kind: 'blank' }, w: PAGE_WIDTH, h: height })
    p.set(PAGE_KEY.strokes, new Y.Map())
    roots(doc).pages.set(id, p)
    roots(doc).order.push([id])
  })
  return id
}

/** Milliseconds between two animation frames at 60 Hz, and the pen's pause between strokes. */
export const FRAME_MS = 1000 / 60
export const BETWEEN_STROKES_MS = 150

/**
 * Draws `count` handwriting strokes on `page` the way the app does: the
 * stroke made at pen-down with its first point, then one transaction per
 * animation frame with the points of that frame (2 here: 60 Hz pointer
 * samples, one or two per frame), then packed at pen-up. `elapse` is told
 * how much time passes after each step (a frame, or the pause before the
 * next stroke), for a clock that paces the sending.
 */
export function drawLikeTheApp(doc: Y.Doc, origin: unknown, page: string, count: number, seed: number, elapse: (ms: number) => void = () => {}): void {
  const rand = rng(seed)
  for (let i = 0; i < count; i++) {
    const [x, y] = slot(i, count, 1000, rand)
    const pts = handwritingPoints(rand, x, y)
    const id = beginFreehand(doc, origin, page, { t: 'pen', c: '#1e1e1e', w: 6, by: 'participant-id-0123456789abcdef0123', z: i + 1 }, pts.slice(0, 3))
    if (!id) throw new Error('no page to draw on')
    elapse(FRAME_MS)
    for (let k = 3; k < pts.length; k += 6) {
      appendPoints(doc, origin, page, id, pts.slice(k, k + 6))
      elapse(FRAME_MS)
    }
    finishStroke(doc, origin, page, id)
    elapse(BETWEEN_STROKES_MS)
  }
}

/**
 * Bytes 1,000 strokes add to the stored board (the Yjs state the server
 * writes to board.ydoc), drawn as the app draws them: live points deleted at
 * pen-up leave only small tombstones.
 */
export function diskBytesPer1kStrokes(seed: number): number {
  const doc = new Y.Doc()
  const page = addEmptyPage(doc)
  const empty = Y.encodeStateAsUpdate(doc).length
  drawLikeTheApp(doc, 'me', page, 1000, seed)
  return Y.encodeStateAsUpdate(doc).length - empty
}
