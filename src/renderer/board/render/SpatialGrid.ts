import type { Bounds } from './bounds'

const CELL = 256

/**
 * Uniform grid of stroke ids by bounds: what to draw in a tile, what the
 * eraser or a click can touch, without looking at all 20,000 strokes.
 */
export class SpatialGrid {
  private readonly cells = new Map<number, Set<string>>()
  private readonly keysOf = new Map<string, number[]>()

  private static key(cx: number, cy: number): number {
    // Pages are at most a few thousand units: 16 bits per axis is plenty (offset for negatives).
    return ((cx + 32768) << 16) | (cy + 32768)
  }

  private static range(b: Bounds): [number, number, number, number] {
    const clamp = (v: number) => Math.max(-32000, Math.min(32000, Math.floor(v / CELL)))
    return [clamp(b.minX), clamp(b.minY), clamp(b.maxX), clamp(b.maxY)]
  }

  insert(id: string, b: Bounds): void {
    this.remove(id)
    if (!(b.maxX >= b.minX && b.maxY >= b.minY)) return
    const [x0, y0, x1, y1] = SpatialGrid.range(b)
    const keys: number[] = []
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const k = SpatialGrid.key(cx, cy)
        let cell = this.cells.get(k)
        if (!cell) this.cells.set(k, (cell = new Set()))
        cell.add(id)
        keys.push(k)
      }
    }
    this.keysOf.set(id, keys)
  }

  remove(id: string): void {
    const keys = this.keysOf.get(id)
    if (!keys) return
    for (const k of keys) {
      const cell = this.cells.get(k)
      cell?.delete(id)
      if (cell?.size === 0) this.cells.delete(k)
    }
    this.keysOf.delete(id)
  }

  /** Ids whose cells overlap `b` (a superset: callers check exact bounds). */
  query(b: Bounds): Set<string> {
    const out = new Set<string>()
    const [x0, y0, x1, y1] = SpatialGrid.range(b)
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const cell = this.cells.get(SpatialGrid.key(cx, cy))
        if (cell) for (const id of cell) out.add(id)
      }
    }
    return out
  }

  clear(): void {
    this.cells.clear()
    this.keysOf.clear()
  }
}
