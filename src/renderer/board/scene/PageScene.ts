import * as Y from 'yjs'
import type { PageRef, StrokeData } from '../../../shared/board/layout'
import type { Bounds } from '../render/bounds'
import { SpatialGrid } from '../render/SpatialGrid'
import { placedBounds, type StrokeShape } from '../render/strokeShape'
import { readStrokeCached, shapeOfData } from './strokeCache'

export interface SceneStroke {
  data: StrokeData
  /** Placed bounds (with the move offset). */
  bounds: Bounds
  /** Built on first paint; a changed stroke is new data with its own shape. */
  shape: StrokeShape | null
}

export interface SceneChange {
  id: string
  before: Bounds | null
  after: Bounds | null
}

/** Where a batch of changes came from: this window's own edits, or the other person's (applied from the wire). */
export type ChangeSource = 'local' | 'remote'

/**
 * The strokes of the page on screen, read from the Y.Doc and kept current by
 * observing it: a validated copy with bounds, a spatial index and lazily
 * built paths. Edits from either side arrive here the same way.
 */
export class PageScene {
  readonly strokes = new Map<string, SceneStroke>()
  readonly grid = new SpatialGrid()
  /** Highest z seen on the page, for stacking new strokes on top. */
  maxZ = 0
  private readonly listeners = new Set<(changes: SceneChange[], source: ChangeSource) => void>()
  private readonly observer = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => this.onEvents(events, tr.local ? 'local' : 'remote')

  constructor(readonly page: PageRef) {
    page.strokes.forEach((map, id) => this.read(id, map))
    page.strokes.observeDeep(this.observer)
  }

  destroy(): void {
    this.page.strokes.unobserveDeep(this.observer)
    this.listeners.clear()
  }

  onChange(listener: (changes: SceneChange[], source: ChangeSource) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  shapeOf(s: SceneStroke): StrokeShape {
    s.shape ??= shapeOfData(s.data)
    return s.shape
  }

  /** Ids of strokes whose bounds meet `b`. */
  query(b: Bounds): SceneStroke[] {
    const out: SceneStroke[] = []
    for (const id of this.grid.query(b)) {
      const s = this.strokes.get(id)
      if (s && s.bounds.minX <= b.maxX && s.bounds.maxX >= b.minX && s.bounds.minY <= b.maxY && s.bounds.maxY >= b.minY) out.push(s)
    }
    return out
  }

  private read(id: string, map: unknown): SceneChange {
    const before = this.strokes.get(id)?.bounds ?? null
    const data = readStrokeCached(id, map)
    if (!data) {
      this.strokes.delete(id)
      this.grid.remove(id)
      return { id, before, after: null }
    }
    const bounds = placedBounds(data)
    this.strokes.set(id, { data, bounds, shape: null })
    this.grid.insert(id, bounds)
    if (data.z > this.maxZ) this.maxZ = data.z
    return { id, before, after: bounds }
  }

  private onEvents(events: Y.YEvent<Y.AbstractType<unknown>>[], source: ChangeSource): void {
    const touched = new Set<string>()
    for (const event of events) {
      if (event.target === this.page.strokes) {
        for (const key of event.changes.keys.keys()) touched.add(key)
      } else {
        const id = event.path[0]
        if (typeof id === 'string') touched.add(id)
      }
    }
    const changes = [...touched].map((id) => this.read(id, this.page.strokes.get(id)))
    for (const listener of this.listeners) listener(changes, source)
  }
}
