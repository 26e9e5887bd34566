import * as Y from 'yjs'
import { MAX_TEXT_LENGTH } from './limits'
import { decodePoints, isIntArray, toBoardPoints } from './points'
import {
  ElementIdSchema,
  GeometrySchema,
  OffsetSchema,
  PageAttrsSchema,
  StrokeAttrsSchema,
  isFreehand,
  type PageAttrs,
  type StrokeKind,
} from './schema'

/**
 * Layout of the lesson document (one Y.Doc per lesson, named by lesson id):
 *
 *   meta  Y.Map     follow: boolean (students follow the tutor's view)
 *   order Y.Array   page ids in display order (duplicates and unknown ids ignored)
 *   pages Y.Map     page id → Y.Map
 *                     a: PageAttrs (background, size)
 *                     s: Y.Map stroke id → Y.Map
 *                          a: StrokeAttrs (kind, colour, width, author, z)
 *                          p: Y.Array<int> live points while drawing
 *                          b: Uint8Array packed points once finished
 *                          g: number[] shape geometry / text anchor
 *                          s: string text
 *                          m: [dx, dy] offset from moving
 *                          d: true once a shape or text is finished (freehand: b means finished)
 *
 * Strokes live in a map (not an array) so erasing or moving one never depends
 * on indexes that the other side may be shifting at the same time.
 */
export const ROOT = { meta: 'meta', order: 'order', pages: 'pages' } as const
export const BOARD_ROOT_NAMES: readonly string[] = Object.values(ROOT)

export const PAGE_KEY = { attrs: 'a', strokes: 's' } as const
export const STROKE_KEY = { attrs: 'a', live: 'p', packed: 'b', geometry: 'g', text: 's', offset: 'm', done: 'd' } as const
export const META_KEY = { follow: 'follow' } as const

export type YPage = Y.Map<unknown>
export type YStroke = Y.Map<unknown>

export interface BoardRoots {
  meta: Y.Map<unknown>
  order: Y.Array<string>
  pages: Y.Map<YPage>
}

export function roots(doc: Y.Doc): BoardRoots {
  return { meta: doc.getMap(ROOT.meta), order: doc.getArray<string>(ROOT.order), pages: doc.getMap<YPage>(ROOT.pages) }
}

export interface PageRef {
  id: string
  attrs: PageAttrs
  strokes: Y.Map<YStroke>
}

/** A page as stored, or null when it is missing or malformed. */
export function readPage(doc: Y.Doc, id: string): PageRef | null {
  const page = roots(doc).pages.get(id)
  if (!(page instanceof Y.Map)) return null
  const attrs = PageAttrsSchema.safeParse(page.get(PAGE_KEY.attrs))
  const strokes = page.get(PAGE_KEY.strokes)
  if (!attrs.success || !(strokes instanceof Y.Map)) return null
  return { id, attrs: attrs.data, strokes: strokes as Y.Map<YStroke> }
}

/** Page ids in display order: first occurrence wins, ids without a valid page are skipped. */
export function pageIds(doc: Y.Doc): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const id of roots(doc).order.toArray()) {
    if (typeof id !== 'string' || seen.has(id)) continue
    seen.add(id)
    if (readPage(doc, id)) out.push(id)
  }
  return out
}

export function followOn(doc: Y.Doc): boolean {
  return roots(doc).meta.get(META_KEY.follow) === true
}

/** A stroke as the renderer uses it: validated, points decoded to board units. */
export interface StrokeData {
  id: string
  kind: StrokeKind
  color: string
  width: number
  by: string
  z: number
  /** Freehand: [x, y, pressure, ...] in board units, without the move offset. */
  points: Float32Array | null
  /** Shapes [x1, y1, x2, y2]; text [x, y]. */
  geometry: number[] | null
  text: string | null
  dx: number
  dy: number
  done: boolean
}

function readFreehandPoints(map: YStroke): Float32Array | null {
  const packed = map.get(STROKE_KEY.packed)
  if (packed instanceof Uint8Array) {
    const ints = decodePoints(packed)
    return ints ? toBoardPoints(ints) : null
  }
  const live = map.get(STROKE_KEY.live)
  if (live instanceof Y.Array) {
    const values = live.toArray()
    return isIntArray(values) ? toBoardPoints(values) : null
  }
  return null
}

/** Reads one stroke map, or null when anything in it is malformed (it is then not drawn). */
export function readStroke(id: string, map: unknown): StrokeData | null {
  if (!(map instanceof Y.Map) || !ElementIdSchema.safeParse(id).success) return null
  const attrs = StrokeAttrsSchema.safeParse(map.get(STROKE_KEY.attrs))
  if (!attrs.success) return null
  const a = attrs.data
  const offset = map.has(STROKE_KEY.offset) ? OffsetSchema.safeParse(map.get(STROKE_KEY.offset)) : null
  if (offset && !offset.success) return null
  let points: Float32Array | null = null
  let geometry: number[] | null = null
  let text: string | null = null
  if (isFreehand(a.t)) {
    points = readFreehandPoints(map)
    if (!points) return null
  } else {
    const g = GeometrySchema.safeParse(map.get(STROKE_KEY.geometry))
    if (!g.success || (a.t === 'text') !== (g.data.length === 2)) return null
    geometry = g.data
    if (a.t === 'text') {
      const s = map.get(STROKE_KEY.text)
      if (typeof s !== 'string' || s.length > MAX_TEXT_LENGTH) return null
      text = s
    }
  }
  const [dx, dy] = offset?.data ?? [0, 0]
  // Packed points are only written at pen-up, so they also mean "finished" (one key less per stroke).
  const done = map.get(STROKE_KEY.done) === true || map.get(STROKE_KEY.packed) instanceof Uint8Array
  return { id, kind: a.t, color: a.c, width: a.w, by: a.by, z: a.z, points, geometry, text, dx, dy, done }
}

/** Draw order: highlighter under ink, then by z, then by id so both sides agree. */
export function compareStrokes(a: Pick<StrokeData, 'kind' | 'z' | 'id'>, b: Pick<StrokeData, 'kind' | 'z' | 'id'>): number {
  const ha = a.kind === 'hl' ? 0 : 1
  const hb = b.kind === 'hl' ? 0 : 1
  if (ha !== hb) return ha - hb
  if (a.z !== b.z) return a.z - b.z
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
