import * as Y from 'yjs'
import { STROKE_KEY, readStroke, type StrokeData } from '../../../shared/board/layout'
import { buildShape, type StrokeShape } from '../render/strokeShape'

/**
 * Decoded strokes, kept per stroke map for as long as Yjs keeps the map.
 *
 * Opening a page reads (validates, unpacks the points of) every stroke on it,
 * about 10 µs each: 200 ms for a page of 20,000, again on every return to the
 * page and on every thumbnail redraw. A stroke only changes by replacing one
 * of its values (Yjs hands back the same object until then) or by its live
 * point array growing, so those identities and the array length are a
 * complete key: an unchanged stroke is read once.
 */
interface Entry {
  id: string
  key: unknown[]
  data: StrokeData | null
}

const KEYS = Object.values(STROKE_KEY)
const strokes = new WeakMap<object, Entry>()
/** Outlines (Path2D) per decoded stroke: built once, also kept across page changes. */
const shapes = new WeakMap<StrokeData, StrokeShape>()

function keyOf(map: Y.Map<unknown>): unknown[] {
  const key = KEYS.map((k) => map.get(k))
  const live = map.get(STROKE_KEY.live)
  if (live instanceof Y.Array) key.push(live.length)
  return key
}

const sameKey = (a: unknown[], b: unknown[]): boolean => a.length === b.length && a.every((v, i) => v === b[i])

/** readStroke, answered from the cache when the stroke has not changed since it was last read. */
export function readStrokeCached(id: string, map: unknown): StrokeData | null {
  if (!(map instanceof Y.Map)) return readStroke(id, map)
  const key = keyOf(map)
  const hit = strokes.get(map)
  if (hit && hit.id === id && sameKey(hit.key, key)) return hit.data
  const data = readStroke(id, map)
  strokes.set(map, { id, key, data })
  return data
}

/** The stroke's outline, built on first use. */
export function shapeOfData(data: StrokeData): StrokeShape {
  let shape = shapes.get(data)
  if (!shape) {
    shape = buildShape(data)
    shapes.set(data, shape)
  }
  return shape
}
