import { describe, expect, it } from 'vitest'
import type { StrokeData } from '../../../../src/shared/board/layout'
import { hitStroke } from '../../../../src/renderer/board/render/hitTest'
import { SpatialGrid } from '../../../../src/renderer/board/render/SpatialGrid'
import { Viewport } from '../../../../src/renderer/board/render/Viewport'

const stroke = (over: Partial<StrokeData>): StrokeData => ({
  id: 'stroke-1',
  kind: 'pen',
  color: '#000000',
  width: 4,
  by: 'me',
  z: 1,
  points: null,
  geometry: null,
  text: null,
  dx: 0,
  dy: 0,
  done: true,
  ...over,
})
const everywhere = { minX: -1e6, minY: -1e6, maxX: 1e6, maxY: 1e6 }

describe('viewport', () => {
  it('maps screen and board both ways and zooms about the pointer', () => {
    const v = new Viewport()
    v.resize(1000, 600, 2)
    v.fit({ minX: 0, minY: 0, maxX: 1600, maxY: 1000 }, 0)
    expect(v.zoom).toBeCloseTo(0.6)
    const before = v.toBoard(300, 200)
    v.zoomAt(300, 200, 2)
    expect(v.zoom).toBeCloseTo(1.2)
    const after = v.toBoard(300, 200)
    expect(after.x).toBeCloseTo(before.x)
    expect(after.y).toBeCloseTo(before.y)
    const s = v.toScreen(after.x, after.y)
    expect(s.x).toBeCloseTo(300)
    v.zoomAt(0, 0, 1000)
    expect(v.zoom).toBe(8)
  })

  it('keeps part of the page in view', () => {
    const v = new Viewport()
    v.resize(800, 600, 1)
    v.panBy(-100_000, 100_000)
    v.clampTo(1600, 1000)
    const vis = v.visible()
    expect(vis.maxX).toBeGreaterThan(0)
    expect(vis.minY).toBeLessThan(1000)
  })
})

describe('spatial grid', () => {
  it('finds what is near and forgets what moved or went', () => {
    const g = new SpatialGrid()
    g.insert('a', { minX: 0, minY: 0, maxX: 10, maxY: 10 })
    g.insert('b', { minX: 1000, minY: 1000, maxX: 1300, maxY: 1010 })
    expect([...g.query({ minX: 5, minY: 5, maxX: 6, maxY: 6 })]).toEqual(['a'])
    expect([...g.query({ minX: 1250, minY: 1000, maxX: 1260, maxY: 1005 })]).toEqual(['b'])
    g.insert('a', { minX: 1200, minY: 1000, maxX: 1210, maxY: 1010 })
    expect([...g.query({ minX: 5, minY: 5, maxX: 6, maxY: 6 })]).toEqual([])
    expect([...g.query({ minX: 1200, minY: 1000, maxX: 1300, maxY: 1010 })].sort()).toEqual(['a', 'b'])
    g.remove('b')
    expect([...g.query(everywhere)]).toEqual(['a'])
  })
})

describe('hit testing', () => {
  it('touches freehand ink within the radius plus half the line width', () => {
    const s = stroke({ points: Float32Array.of(0, 0, 0.5, 100, 0, 0.5) })
    expect(hitStroke(s, everywhere, 50, 3, 2)).toBe(true)
    expect(hitStroke(s, everywhere, 50, 10, 2)).toBe(false)
    // Moved strokes are hit where they are drawn.
    const moved = { ...s, dx: 0, dy: 100 }
    expect(hitStroke(moved, everywhere, 50, 101, 2)).toBe(true)
    expect(hitStroke(moved, everywhere, 50, 1, 2)).toBe(false)
  })

  it('hits shapes on their outline, text anywhere in its box', () => {
    const rect = stroke({ kind: 'rect', geometry: [0, 0, 100, 50] })
    expect(hitStroke(rect, everywhere, 100, 25, 2)).toBe(true)
    expect(hitStroke(rect, everywhere, 50, 25, 2)).toBe(false)
    const ellipse = stroke({ kind: 'ellipse', geometry: [0, 0, 100, 100] })
    expect(hitStroke(ellipse, everywhere, 50, 0, 3)).toBe(true)
    expect(hitStroke(ellipse, everywhere, 50, 50, 3)).toBe(false)
    const text = stroke({ kind: 'text', geometry: [0, 0], text: 'hi' })
    expect(hitStroke(text, { minX: 0, minY: 0, maxX: 30, maxY: 20 }, 15, 10, 1)).toBe(true)
    expect(hitStroke(text, { minX: 0, minY: 0, maxX: 30, maxY: 20 }, 60, 10, 1)).toBe(false)
  })
})
