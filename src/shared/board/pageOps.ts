import * as Y from 'yjs'
import { DEFAULT_PAGE_HEIGHT, MAX_PAGE_HEIGHT, MAX_PAGES, MIN_PAGE_HEIGHT, PAGE_WIDTH } from './limits'
import { META_KEY, PAGE_KEY, pageIds, roots, type YPage } from './layout'
import type { Background, PageAttrs } from './schema'

/** A user action the board's limits do not allow; nothing was changed. */
export class BoardLimitError extends Error {
  constructor(
    readonly code: 'too_many_pages',
    message: string,
  ) {
    super(message)
  }
}

/** 16 random url-safe characters (96 bits): ids never collide between the two sides. */
export function newId(): string {
  const bytes = new Uint8Array(12)
  crypto.getRandomValues(bytes)
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_')
}

export interface NewPage {
  bg: Background
  /** Height in board units; the width is always PAGE_WIDTH. */
  h?: number
}

/** Index in the raw order array just after the page shown at `displayIndex - 1`. */
function rawInsertIndex(doc: Y.Doc, displayIndex: number): number {
  const ids = pageIds(doc)
  if (displayIndex <= 0) return 0
  const before = ids[Math.min(displayIndex, ids.length) - 1]
  const raw = roots(doc).order.toArray()
  const at = before === undefined ? -1 : raw.indexOf(before)
  return at < 0 ? raw.length : at + 1
}

function clampHeight(h: number | undefined): number {
  if (h === undefined || !Number.isFinite(h)) return DEFAULT_PAGE_HEIGHT
  return Math.round(Math.min(MAX_PAGE_HEIGHT, Math.max(MIN_PAGE_HEIGHT, h)))
}

/** Adds pages at a display position (default: the end); refuses past MAX_PAGES. */
export function addPages(doc: Y.Doc, origin: unknown, pages: readonly NewPage[], at?: number): string[] {
  const count = pageIds(doc).length
  if (count + pages.length > MAX_PAGES) {
    throw new BoardLimitError('too_many_pages', `A board holds at most ${MAX_PAGES} pages (${count} now, ${pages.length} more asked)`)
  }
  const ids = pages.map(() => newId())
  const { order, pages: pageMap } = roots(doc)
  doc.transact(() => {
    pages.forEach((spec, i) => {
      const page: YPage = new Y.Map()
      const attrs: PageAttrs = { bg: spec.bg, w: PAGE_WIDTH, h: clampHeight(spec.h) }
      page.set(PAGE_KEY.attrs, attrs)
      page.set(PAGE_KEY.strokes, new Y.Map())
      pageMap.set(ids[i] as string, page)
    })
    order.insert(rawInsertIndex(doc, at ?? count), ids)
  }, origin)
  return ids
}

function deleteFromOrder(order: Y.Array<string>, id: string): void {
  const raw = order.toArray()
  for (let i = raw.length - 1; i >= 0; i--) if (raw[i] === id) order.delete(i, 1)
}

/** Removes a page and its strokes; the last page is replaced by a blank one so a board is never empty. */
export function removePage(doc: Y.Doc, origin: unknown, id: string): void {
  const { order, pages } = roots(doc)
  doc.transact(() => {
    if (pageIds(doc).length <= 1) addPages(doc, origin, [{ bg: { kind: 'blank' } }])
    pages.delete(id)
    deleteFromOrder(order, id)
  }, origin)
}

/** Moves a page to a display position. */
export function movePage(doc: Y.Doc, origin: unknown, id: string, toIndex: number): void {
  const { order } = roots(doc)
  if (!pageIds(doc).includes(id)) return
  doc.transact(() => {
    deleteFromOrder(order, id)
    order.insert(rawInsertIndex(doc, Math.max(0, toIndex)), [id])
  }, origin)
}

/** A new board gets one blank page (run only after the first sync, so an existing board is never doubled). */
export function ensureFirstPage(doc: Y.Doc, origin: unknown): void {
  if (pageIds(doc).length === 0) addPages(doc, origin, [{ bg: { kind: 'blank' } }])
}

export function setFollow(doc: Y.Doc, origin: unknown, on: boolean): void {
  doc.transact(() => roots(doc).meta.set(META_KEY.follow, on), origin)
}
