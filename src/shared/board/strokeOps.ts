import * as Y from 'yjs'
import { MAX_STROKE_POINTS, MAX_TEXT_LENGTH } from './limits'
import { STROKE_KEY, readPage, readStroke, type YStroke } from './layout'
import { newId } from './pageOps'
import { encodePoints, isIntArray } from './points'
import { isFreehand, type StrokeAttrs } from './schema'

/**
 * Stroke edits. Every function runs in one transaction with the caller's
 * origin, which is what per-person undo (undo.ts) tracks.
 */

/** Board coordinates are stored to a quarter unit, as small integers (compact in Yjs). */
const q = (v: number): number => Math.round(v * 4) / 4

function strokeMap(doc: Y.Doc, pageId: string, id: string): YStroke | null {
  const map = readPage(doc, pageId)?.strokes.get(id)
  return map instanceof Y.Map ? map : null
}

/** Finished: a shape or text marked done, or freehand points packed at pen-up. */
export function isFinished(map: YStroke): boolean {
  return map.get(STROKE_KEY.done) === true || map.get(STROKE_KEY.packed) instanceof Uint8Array
}

/** Highest z on a page, for stacking a new stroke on top. */
export function topZ(doc: Y.Doc, pageId: string): number {
  let top = 0
  readPage(doc, pageId)?.strokes.forEach((map, id) => {
    const s = readStroke(id, map)
    if (s && s.z > top) top = s.z
  })
  return top
}

function insert(doc: Y.Doc, origin: unknown, pageId: string, attrs: StrokeAttrs, fill: (map: YStroke) => void): string | null {
  const page = readPage(doc, pageId)
  if (!page) return null
  const id = newId()
  doc.transact(() => {
    const map: YStroke = new Y.Map()
    map.set(STROKE_KEY.attrs, attrs)
    fill(map)
    page.strokes.set(id, map)
  }, origin)
  return id
}

/** Starts a freehand stroke with its first quantized points ([qx, qy, qp, ...]). */
export function beginFreehand(doc: Y.Doc, origin: unknown, pageId: string, attrs: StrokeAttrs, ints: number[]): string | null {
  if (!isFreehand(attrs.t)) return null
  return insert(doc, origin, pageId, attrs, (map) => {
    const live = new Y.Array<number>()
    live.push(ints.slice(0, MAX_STROKE_POINTS * 3))
    map.set(STROKE_KEY.live, live)
  })
}

/** Appends points while drawing (batched per frame by the caller); false once the stroke is full or gone. */
export function appendPoints(doc: Y.Doc, origin: unknown, pageId: string, id: string, ints: number[]): boolean {
  const live = strokeMap(doc, pageId, id)?.get(STROKE_KEY.live)
  if (!(live instanceof Y.Array)) return false
  const room = MAX_STROKE_POINTS * 3 - live.length
  if (room <= 0) return false
  doc.transact(() => live.push(ints.slice(0, room - (room % 3))), origin)
  return room > ints.length
}

/** Adds a shape (line, arrow, rect, ellipse) with its two-point geometry. */
export function addShape(doc: Y.Doc, origin: unknown, pageId: string, attrs: StrokeAttrs, g: [number, number, number, number]): string | null {
  if (isFreehand(attrs.t) || attrs.t === 'text') return null
  return insert(doc, origin, pageId, attrs, (map) => map.set(STROKE_KEY.geometry, g.map(q)))
}

export function setGeometry(doc: Y.Doc, origin: unknown, pageId: string, id: string, g: [number, number, number, number]): void {
  const map = strokeMap(doc, pageId, id)
  if (map) doc.transact(() => map.set(STROKE_KEY.geometry, g.map(q)), origin)
}

/** Adds a finished text box. */
export function addText(doc: Y.Doc, origin: unknown, pageId: string, attrs: StrokeAttrs, at: [number, number], text: string): string | null {
  if (attrs.t !== 'text') return null
  return insert(doc, origin, pageId, attrs, (map) => {
    map.set(STROKE_KEY.geometry, at.map(q))
    map.set(STROKE_KEY.text, text.slice(0, MAX_TEXT_LENGTH))
    map.set(STROKE_KEY.done, true)
  })
}

export function setText(doc: Y.Doc, origin: unknown, pageId: string, id: string, text: string): void {
  const map = strokeMap(doc, pageId, id)
  if (map) doc.transact(() => map.set(STROKE_KEY.text, text.slice(0, MAX_TEXT_LENGTH)), origin)
}

/** Pen-up: freehand points are packed into one binary value and the live array goes away; shapes are marked done. */
export function finishStroke(doc: Y.Doc, origin: unknown, pageId: string, id: string): void {
  const map = strokeMap(doc, pageId, id)
  if (!map || isFinished(map)) return
  doc.transact(() => {
    const live = map.get(STROKE_KEY.live)
    if (live instanceof Y.Array) {
      const values = live.toArray()
      map.set(STROKE_KEY.packed, encodePoints(isIntArray(values) ? values : []))
      map.delete(STROKE_KEY.live)
    } else {
      map.set(STROKE_KEY.done, true)
    }
  }, origin)
}

/** Whole-stroke erase. */
export function eraseStrokes(doc: Y.Doc, origin: unknown, pageId: string, ids: Iterable<string>): number {
  const page = readPage(doc, pageId)
  if (!page) return 0
  let n = 0
  doc.transact(() => {
    for (const id of ids) {
      if (!page.strokes.has(id)) continue
      page.strokes.delete(id)
      n++
    }
  }, origin)
  return n
}

/** Sets absolute move offsets (the renderer keeps each stroke's offset at drag start). */
export function setOffsets(doc: Y.Doc, origin: unknown, pageId: string, offsets: ReadonlyMap<string, [number, number]>): void {
  const page = readPage(doc, pageId)
  if (!page) return
  doc.transact(() => {
    for (const [id, [dx, dy]] of offsets) {
      const map = page.strokes.get(id)
      if (map instanceof Y.Map && Number.isFinite(dx) && Number.isFinite(dy)) map.set(STROKE_KEY.offset, [q(dx), q(dy)])
    }
  }, origin)
}

/** Removes every stroke of a page (tutor action; one undo step brings them back). */
export function clearPage(doc: Y.Doc, origin: unknown, pageId: string): number {
  const page = readPage(doc, pageId)
  return page ? eraseStrokes(doc, origin, pageId, [...page.strokes.keys()]) : 0
}
