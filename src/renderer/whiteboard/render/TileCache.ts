import { compareStrokes } from '../../../shared/board/layout'
import type { PageScene, SceneStroke } from '../scene/PageScene'
import { intersects, type Bounds } from './bounds'
import { paintStroke } from './strokeShape'
import type { Viewport } from './Viewport'

export const TILE_PX = 512
const MAX_TILES = 80
const MIN_LEVEL = -4
const MAX_LEVEL = 4

type Ctx = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D
type SortKey = Pick<SceneStroke['data'], 'kind' | 'z' | 'id'>

interface Tile {
  level: number
  tx: number
  ty: number
  canvas: OffscreenCanvas | HTMLCanvasElement
  valid: boolean
  lastUsed: number
  /** The last stroke painted (in draw order), to know whether a new one may simply go on top. */
  top: SortKey | null
}

function newCanvas(): OffscreenCanvas | HTMLCanvasElement {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(TILE_PX, TILE_PX)
  const c = document.createElement('canvas')
  c.width = c.height = TILE_PX
  return c
}

/**
 * Finished strokes rasterised into 512 px tiles per zoom level (powers of
 * two). A frame only blits tiles; a tile is painted again only when a stroke
 * in it changes. While tiles of a new zoom level are painted (within a time
 * budget per frame) the nearest other level stands in, scaled.
 */
export class TileCache {
  private readonly tiles = new Map<string, Tile>()
  private clock = 0
  /** Strokes drawn live by the renderer (being drawn or moved); never baked. */
  readonly exclude = new Set<string>()

  constructor(
    private readonly scene: PageScene,
    private readonly page: Bounds,
  ) {}

  static levelFor(viewport: Viewport): number {
    return Math.max(MIN_LEVEL, Math.min(MAX_LEVEL, Math.ceil(Math.log2(viewport.zoom * viewport.dpr) - 1e-9)))
  }

  private static span(level: number): number {
    return TILE_PX / 2 ** level
  }

  private static key(level: number, tx: number, ty: number): string {
    return `${level}:${tx}:${ty}`
  }

  private rectOf(level: number, tx: number, ty: number): Bounds {
    const s = TileCache.span(level)
    return { minX: tx * s, minY: ty * s, maxX: (tx + 1) * s, maxY: (ty + 1) * s }
  }

  invalidate(b: Bounds): void {
    for (const tile of this.tiles.values()) if (tile.valid && intersects(this.rectOf(tile.level, tile.tx, tile.ty), b)) tile.valid = false
  }

  invalidateAll(): void {
    for (const tile of this.tiles.values()) tile.valid = false
  }

  destroy(): void {
    this.tiles.clear()
  }

  /** Adds a finished stroke: painted on top where it is the newest, tiles repainted elsewhere. */
  bake(s: SceneStroke): void {
    this.exclude.delete(s.data.id)
    for (const tile of this.tiles.values()) {
      if (!tile.valid || !intersects(this.rectOf(tile.level, tile.tx, tile.ty), s.bounds)) continue
      if (tile.top && compareStrokes(s.data, tile.top) <= 0) {
        tile.valid = false
        continue
      }
      const ctx = this.contextFor(tile)
      if (!ctx) continue
      this.clipToPage(ctx)
      paintStroke(ctx, s.data, this.scene.shapeOf(s))
      ctx.restore()
      tile.top = s.data
    }
  }

  private contextFor(tile: Tile): Ctx | null {
    const ctx = tile.canvas.getContext('2d') as Ctx | null
    if (!ctx) return null
    const scale = 2 ** tile.level
    const s = TileCache.span(tile.level)
    ctx.setTransform(scale, 0, 0, scale, -tile.tx * s * scale, -tile.ty * s * scale)
    return ctx
  }

  /** Ink stays on the paper (as on screen while drawing, and in exports). Pair with restore(). */
  private clipToPage(ctx: Ctx): void {
    ctx.save()
    ctx.beginPath()
    ctx.rect(this.page.minX, this.page.minY, this.page.maxX - this.page.minX, this.page.maxY - this.page.minY)
    ctx.clip()
  }

  private paint(tile: Tile): void {
    const ctx = this.contextFor(tile)
    if (!ctx) return
    ctx.save()
    ctx.setTransform(1, 0, 0, 1, 0, 0)
    ctx.clearRect(0, 0, TILE_PX, TILE_PX)
    ctx.restore()
    const strokes = this.scene.query(this.rectOf(tile.level, tile.tx, tile.ty)).filter((s) => !this.exclude.has(s.data.id))
    strokes.sort((a, b) => compareStrokes(a.data, b.data))
    this.clipToPage(ctx)
    for (const s of strokes) paintStroke(ctx, s.data, this.scene.shapeOf(s))
    ctx.restore()
    tile.top = strokes.at(-1)?.data ?? null
    tile.valid = true
  }

  private obtain(level: number, tx: number, ty: number): Tile {
    const key = TileCache.key(level, tx, ty)
    let tile = this.tiles.get(key)
    if (!tile) {
      this.evict()
      tile = { level, tx, ty, canvas: newCanvas(), valid: false, lastUsed: 0, top: null }
      this.tiles.set(key, tile)
    }
    tile.lastUsed = ++this.clock
    return tile
  }

  private evict(): void {
    if (this.tiles.size < MAX_TILES) return
    let oldest: [string, Tile] | null = null
    for (const entry of this.tiles) if (!oldest || entry[1].lastUsed < oldest[1].lastUsed) oldest = entry
    if (oldest) this.tiles.delete(oldest[0])
  }

  /** Device-pixel rectangle of a board rectangle (rounded so neighbouring tiles meet without seams). */
  private static dest(v: Viewport, b: Bounds): [number, number, number, number] {
    const x0 = Math.round((b.minX * v.zoom + v.panX) * v.dpr)
    const y0 = Math.round((b.minY * v.zoom + v.panY) * v.dpr)
    const x1 = Math.round((b.maxX * v.zoom + v.panX) * v.dpr)
    const y1 = Math.round((b.maxY * v.zoom + v.panY) * v.dpr)
    return [x0, y0, x1 - x0, y1 - y0]
  }

  /** A valid tile of another level that covers `rect`, drawn in its place. */
  private drawStandIn(ctx: CanvasRenderingContext2D, v: Viewport, level: number, rect: Bounds): void {
    for (const other of [level - 1, level + 1, level - 2, level + 2, level - 3]) {
      const s = TileCache.span(other)
      const tx0 = Math.floor(rect.minX / s)
      const ty0 = Math.floor(rect.minY / s)
      const tx1 = Math.ceil(rect.maxX / s) - 1
      const ty1 = Math.ceil(rect.maxY / s) - 1
      const found: Tile[] = []
      for (let tx = tx0; tx <= tx1; tx++) {
        for (let ty = ty0; ty <= ty1; ty++) {
          const t = this.tiles.get(TileCache.key(other, tx, ty))
          if (t?.valid) found.push(t)
        }
      }
      if (found.length !== (tx1 - tx0 + 1) * (ty1 - ty0 + 1)) continue
      for (const t of found) {
        const r = this.rectOf(other, t.tx, t.ty)
        // Only the part of the stand-in inside `rect`.
        const clip = { minX: Math.max(r.minX, rect.minX), minY: Math.max(r.minY, rect.minY), maxX: Math.min(r.maxX, rect.maxX), maxY: Math.min(r.maxY, rect.maxY) }
        const k = TILE_PX / s
        const [dx, dy, dw, dh] = TileCache.dest(v, clip)
        ctx.drawImage(t.canvas, (clip.minX - r.minX) * k, (clip.minY - r.minY) * k, (clip.maxX - clip.minX) * k, (clip.maxY - clip.minY) * k, dx, dy, dw, dh)
      }
      return
    }
  }

  /**
   * Blits the visible tiles (device-pixel transform must be identity).
   * Paints missing ones until `deadline` (performance.now()); returns false
   * if some are still missing, so the caller asks for another frame.
   */
  draw(ctx: CanvasRenderingContext2D, v: Viewport, deadline: number): boolean {
    const level = TileCache.levelFor(v)
    const s = TileCache.span(level)
    const vis = v.visible()
    const area = { minX: Math.max(vis.minX, this.page.minX), minY: Math.max(vis.minY, this.page.minY), maxX: Math.min(vis.maxX, this.page.maxX), maxY: Math.min(vis.maxY, this.page.maxY) }
    if (area.maxX <= area.minX || area.maxY <= area.minY) return true
    let complete = true
    let painted = 0
    for (let ty = Math.floor(area.minY / s); ty * s < area.maxY; ty++) {
      for (let tx = Math.floor(area.minX / s); tx * s < area.maxX; tx++) {
        const tile = this.obtain(level, tx, ty)
        if (!tile.valid) {
          // Always make some progress, even on a slow frame.
          if (painted === 0 || performance.now() < deadline) {
            this.paint(tile)
            painted++
          } else {
            this.drawStandIn(ctx, v, level, this.rectOf(level, tx, ty))
            complete = false
            continue
          }
        }
        const [dx, dy, dw, dh] = TileCache.dest(v, this.rectOf(level, tx, ty))
        ctx.drawImage(tile.canvas, 0, 0, TILE_PX, TILE_PX, dx, dy, dw, dh)
      }
    }
    return complete
  }
}
