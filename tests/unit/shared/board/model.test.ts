import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PAGE_KEY, STROKE_KEY, compareStrokes, followOn, pageIds, readPage, readStroke, roots } from '../../../../src/shared/board/layout'
import { MAX_PAGES } from '../../../../src/shared/board/limits'
import { BoardLimitError, addPages, ensureFirstPage, movePage, removePage, setFollow } from '../../../../src/shared/board/pageOps'
import { quantize } from '../../../../src/shared/board/points'
import type { StrokeAttrs } from '../../../../src/shared/board/schema'
import {
  addShape,
  addText,
  appendPoints,
  beginFreehand,
  clearPage,
  eraseStrokes,
  finishStroke,
  setGeometry,
  setOffsets,
  topZ,
} from '../../../../src/shared/board/strokeOps'
import { BoardUndo } from '../../../../src/shared/board/undo'

const pen = (by: string, z = 1): StrokeAttrs => ({ t: 'pen', c: '#1e1e1e', w: 4, by, z })

/** Two people's documents, kept in sync like the server would (updates both ways). */
function pair() {
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'))
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'))
  return { a, b }
}

function strokesOf(doc: Y.Doc, pageId: string) {
  const page = readPage(doc, pageId)
  if (!page) throw new Error('no page')
  return [...page.strokes.entries()].map(([id, map]) => readStroke(id, map)).filter((s) => s !== null)
}

function line(doc: Y.Doc, origin: unknown, pageId: string, by: string, n = 5): string {
  const id = beginFreehand(doc, origin, pageId, pen(by, topZ(doc, pageId) + 1), quantize(0, 0, 0.5)) as string
  for (let i = 1; i < n; i++) appendPoints(doc, origin, pageId, id, quantize(i * 10, i * 5, 0.5))
  finishStroke(doc, origin, pageId, id)
  return id
}

describe('board pages', () => {
  it('adds, orders, moves and removes pages', () => {
    const doc = new Y.Doc()
    ensureFirstPage(doc, 'me')
    ensureFirstPage(doc, 'me') // idempotent
    const [first] = pageIds(doc)
    const [grid, pdf] = addPages(doc, 'me', [{ bg: { kind: 'grid' } }, { bg: { kind: 'pdf', asset: 'a'.repeat(64), page: 1 }, h: 2263 }])
    expect(pageIds(doc)).toEqual([first, grid, pdf])
    expect(readPage(doc, pdf as string)?.attrs).toEqual({ bg: { kind: 'pdf', asset: 'a'.repeat(64), page: 1 }, w: 1600, h: 2263 })
    movePage(doc, 'me', pdf as string, 0)
    expect(pageIds(doc)).toEqual([pdf, first, grid])
    const [inserted] = addPages(doc, 'me', [{ bg: { kind: 'blank' } }], 1)
    expect(pageIds(doc)).toEqual([pdf, inserted, first, grid])
    removePage(doc, 'me', first as string)
    expect(pageIds(doc)).toEqual([pdf, inserted, grid])
  })

  it('never leaves the board without a page', () => {
    const doc = new Y.Doc()
    ensureFirstPage(doc, 'me')
    const [only] = pageIds(doc)
    removePage(doc, 'me', only as string)
    expect(pageIds(doc)).toHaveLength(1)
    expect(pageIds(doc)[0]).not.toBe(only)
  })

  it(`refuses to go past ${MAX_PAGES} pages and changes nothing`, () => {
    const doc = new Y.Doc()
    addPages(doc, 'me', Array.from({ length: MAX_PAGES - 1 }, () => ({ bg: { kind: 'blank' as const } })))
    const before = Y.encodeStateAsUpdate(doc)
    expect(() => addPages(doc, 'me', [{ bg: { kind: 'blank' } }, { bg: { kind: 'blank' } }])).toThrow(BoardLimitError)
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
    addPages(doc, 'me', [{ bg: { kind: 'blank' } }])
    expect(pageIds(doc)).toHaveLength(MAX_PAGES)
  })

  it('ignores duplicate and dangling ids in the order (concurrent moves and removes)', () => {
    const { a, b } = pair()
    ensureFirstPage(a, 'a')
    const [p1, p2] = addPages(a, 'a', [{ bg: { kind: 'blank' } }, { bg: { kind: 'grid' } }])
    // Offline at the same time: a moves p1, b removes it; and both move p2.
    const bOffline = new Y.Doc()
    Y.applyUpdate(bOffline, Y.encodeStateAsUpdate(b))
    movePage(a, 'a', p1 as string, 0)
    movePage(a, 'a', p2 as string, 0)
    removePage(bOffline, 'b', p1 as string)
    movePage(bOffline, 'b', p2 as string, 1)
    Y.applyUpdate(a, Y.encodeStateAsUpdate(bOffline), 'remote')
    Y.applyUpdate(bOffline, Y.encodeStateAsUpdate(a))
    expect(pageIds(a)).toEqual(pageIds(bOffline))
    expect(pageIds(a)).not.toContain(p1)
    expect(pageIds(a).filter((id) => id === p2)).toHaveLength(1)
  })

  it('keeps follow mode in the document', () => {
    const { a, b } = pair()
    expect(followOn(b)).toBe(false)
    setFollow(a, 'a', true)
    expect(followOn(b)).toBe(true)
  })
})

describe('board strokes', () => {
  it('streams points while drawing and packs them at pen-up', () => {
    const { a, b } = pair()
    ensureFirstPage(a, 'a')
    const [page] = pageIds(a) as [string]
    const id = beginFreehand(a, 'a', page, pen('tutor'), quantize(10, 10, 0.5)) as string
    appendPoints(a, 'a', page, id, [...quantize(20, 10, 0.6), ...quantize(30, 12, 0.7)])
    // The other side sees the stroke before pen-up.
    const live = strokesOf(b, page)[0]
    expect(live?.done).toBe(false)
    expect(live?.points?.length).toBe(9)
    finishStroke(a, 'a', page, id)
    const map = readPage(b, page)?.strokes.get(id)
    expect(map?.get(STROKE_KEY.live)).toBeUndefined()
    expect(map?.get(STROKE_KEY.packed)).toBeInstanceOf(Uint8Array)
    const done = strokesOf(b, page)[0]
    expect(done?.done).toBe(true)
    expect([...(done?.points ?? [])]).toEqual([...(live?.points ?? [])])
  })

  it('adds shapes and text, moves and erases them', () => {
    const doc = new Y.Doc()
    ensureFirstPage(doc, 'me')
    const [page] = pageIds(doc) as [string]
    const rect = addShape(doc, 'me', page, { t: 'rect', c: '#e03131', w: 3, by: 'me', z: 1 }, [0, 0, 10, 10]) as string
    setGeometry(doc, 'me', page, rect, [0, 0, 100.3, 50])
    finishStroke(doc, 'me', page, rect)
    const text = addText(doc, 'me', page, { t: 'text', c: '#1e1e1e', w: 24, by: 'me', z: 2 }, [5, 5], 'x² + 1') as string
    setOffsets(doc, 'me', page, new Map([[rect, [10, -5]]]))
    const byId = new Map(strokesOf(doc, page).map((s) => [s.id, s]))
    expect(byId.get(rect)).toMatchObject({ kind: 'rect', geometry: [0, 0, 100.25, 50], dx: 10, dy: -5, done: true })
    expect(byId.get(text)).toMatchObject({ kind: 'text', text: 'x² + 1', geometry: [5, 5] })
    expect(eraseStrokes(doc, 'me', page, [rect, 'missing-id'])).toBe(1)
    expect(strokesOf(doc, page).map((s) => s.id)).toEqual([text])
  })

  it('skips strokes the other side wrote in a wrong shape instead of failing', () => {
    const doc = new Y.Doc()
    ensureFirstPage(doc, 'me')
    const [page] = pageIds(doc) as [string]
    const strokes = readPage(doc, page)?.strokes as Y.Map<Y.Map<unknown>>
    const junk = (attrs: unknown, extra: Record<string, unknown> = {}) => {
      const m = new Y.Map<unknown>()
      m.set(STROKE_KEY.attrs, attrs)
      for (const [k, v] of Object.entries(extra)) m.set(k, v)
      return m
    }
    strokes.set('bad-color-1', junk({ ...pen('x'), c: 'red' }, { b: new Uint8Array([1, 0]) }))
    strokes.set('bad-points-1', junk(pen('x'), { b: new Uint8Array([1, 5, 0]) }))
    strokes.set('bad-geometry', junk({ t: 'rect', c: '#000000', w: 2, by: 'x', z: 1 }, { g: ['a', 1, 2, 3] }))
    strokes.set('text-too-long', junk({ t: 'text', c: '#000000', w: 20, by: 'x', z: 1 }, { g: [0, 0], s: 'x'.repeat(5000) }))
    strokes.set('ok-stroke-1', junk(pen('x'), { b: new Uint8Array([1, 0]) }))
    expect(strokesOf(doc, page).map((s) => s.id)).toEqual(['ok-stroke-1'])
    // A page with a malformed background is not shown at all.
    const bad = new Y.Map<unknown>()
    bad.set(PAGE_KEY.attrs, { bg: { kind: 'video' }, w: 1600, h: 900 })
    bad.set(PAGE_KEY.strokes, new Y.Map())
    roots(doc).pages.set('bad-page-1', bad)
    roots(doc).order.push(['bad-page-1'])
    expect(pageIds(doc)).toEqual([page])
  })

  it('orders highlighter under ink, then by z and id', () => {
    const s = (id: string, kind: 'pen' | 'hl', z: number) => ({ id, kind, z })
    const sorted = [s('b', 'pen', 1), s('a', 'pen', 1), s('c', 'hl', 9), s('d', 'pen', 0)].sort(compareStrokes)
    expect(sorted.map((x) => x.id)).toEqual(['c', 'd', 'a', 'b'])
  })

  it('converges when both draw and erase at the same time while offline', () => {
    const a = new Y.Doc()
    ensureFirstPage(a, 'a')
    const [page] = pageIds(a) as [string]
    const shared = line(a, 'a', page, 'a')
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const fromA = line(a, 'a', page, 'a')
    const fromB = line(b, 'b', page, 'b')
    eraseStrokes(a, 'a', page, [shared])
    setOffsets(b, 'b', page, new Map([[shared, [5, 5]]])) // moved on b, erased on a: erase wins
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const ids = (d: Y.Doc) => strokesOf(d, page).map((s) => s.id).sort()
    expect(ids(a)).toEqual([fromA, fromB].sort())
    expect(ids(b)).toEqual(ids(a))
  })
})

describe('per-person undo', () => {
  it("undoes only my own strokes, never the other person's", () => {
    const { a, b } = pair()
    const undoA = new BoardUndo(a, 'a')
    const undoB = new BoardUndo(b, 'b')
    ensureFirstPage(a, 'a')
    const [page] = pageIds(b) as [string]
    undoA.begin()
    const tutorStroke = line(a, 'a', page, 'tutor')
    undoB.begin()
    const studentStroke = line(b, 'b', page, 'student')
    expect(undoB.undo()).toBe(true)
    expect(strokesOf(a, page).map((s) => s.id)).toEqual([tutorStroke])
    expect(undoB.redo()).toBe(true)
    expect(strokesOf(a, page).map((s) => s.id).sort()).toEqual([tutorStroke, studentStroke].sort())
    undoA.undo() // the tutor's last action was the stroke, not the page (page creation is older)
    expect(strokesOf(b, page).map((s) => s.id)).toEqual([studentStroke])
  })

  it('makes each stroke one step even when drawn quickly one after another', () => {
    const doc = new Y.Doc()
    const undo = new BoardUndo(doc, 'me')
    ensureFirstPage(doc, 'me')
    const [page] = pageIds(doc) as [string]
    undo.begin()
    const first = line(doc, 'me', page, 'me', 40)
    undo.begin()
    line(doc, 'me', page, 'me', 40)
    undo.undo()
    expect(strokesOf(doc, page).map((s) => s.id)).toEqual([first])
    expect(strokesOf(doc, page)[0]?.points?.length).toBe(120)
  })

  it("restores what I erased of the other person's, and a cleared page in one step", () => {
    const { a, b } = pair()
    const undoA = new BoardUndo(a, 'a')
    ensureFirstPage(a, 'a')
    const [page] = pageIds(a) as [string]
    const mine = line(a, 'a', page, 'tutor')
    const theirs = line(b, 'b', page, 'student')
    undoA.begin()
    eraseStrokes(a, 'a', page, [theirs])
    expect(strokesOf(b, page).map((s) => s.id)).toEqual([mine])
    undoA.undo()
    expect(strokesOf(b, page).map((s) => s.id).sort()).toEqual([mine, theirs].sort())
    undoA.begin()
    expect(clearPage(a, 'a', page)).toBe(2)
    expect(strokesOf(b, page)).toEqual([])
    undoA.undo()
    const restored = strokesOf(b, page)
    expect(restored.map((s) => s.id).sort()).toEqual([mine, theirs].sort())
    expect(restored.every((s) => s.points !== null && s.points.length === 15)).toBe(true)
  })

  it('undoes a move back to where the stroke was', () => {
    const doc = new Y.Doc()
    const undo = new BoardUndo(doc, 'me')
    ensureFirstPage(doc, 'me')
    const [page] = pageIds(doc) as [string]
    const id = line(doc, 'me', page, 'me')
    undo.begin()
    for (let i = 1; i <= 10; i++) setOffsets(doc, 'me', page, new Map([[id, [i * 3, i]]]))
    expect(strokesOf(doc, page)[0]).toMatchObject({ dx: 30, dy: 10 })
    undo.undo()
    expect(strokesOf(doc, page)[0]).toMatchObject({ dx: 0, dy: 0 })
  })
})
