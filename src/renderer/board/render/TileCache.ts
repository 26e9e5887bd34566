import { compareStrokes } from '../../../shared/board/layout'
import type { PageScene, SceneStroke } from '../scene/PageScene'
import { intersects, type Bounds } from './bounds'
import { paintStrokeAt } from './strokeShape'
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
  canvas: HTMLCanvasElement
  valid: boolean
  lastUsed: number
  /** The last stroke painted (in draw order), to know whether a new one may simply go on top. */
  top: SortKey | null
  /** A repaint in progress: the strokes to paint, in order, and how far it got. */
  queue: SceneStroke[] | null
  next: number
}

/**
 * Strokes painted between two looks at the clock. Each look forces the tile
 * to rasterise (rasterizeNow), which has a fixed cost of its own (about half
 * a millisecond in software), so the chunk adapts: it grows while chunks are
 * cheap (hairlines at far zoom) and shrinks when they are not (outlines).
 */
let chunk = 16
const CHUNK_MIN = 4
const CHUNK_MAX = 2048
/** Aim for chunks of 1.5–4 ms: cheap to check often enough, short enough for an 8 ms budget. */
function adaptChunk(ms: number): void {
  if (ms < 1.5) chunk = Math.min(CHUNK_MAX, chunk * 2)
  else if (ms > 4) chunk = Math.max(CHUNK_MIN, chunk >> 1)
}

let scratch: CanvasRenderingContext2D | null = null
/**
 * Chromium records canvas drawing and rasterises it only when the canvas is
 * next used, which would move a tile's whole cost into the frame that first
 * shows it. Drawing the tile into a 1×1 canvas makes it rasterise now, inside
 * this frame's budget.
 */
function rasterizeNow(canvas: HTMLCanvasElement): void {
  if (!scratch) {
    const c = document.createElement('canvas')
    c.width = c.height = 1
    scratch = c.getContext('2d')
  }
  scratch?.drawImage(canvas, 0, 0, 1, 1)
}

/** A plain canvas: blitting an OffscreenCanvas onto the screen costs several times more in Chromium. */
function newCanvas(): HTMLCanvasElement {
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
    for (const tile of this.tiles.values()) {
      if ((tile.valid || tile.queue) && intersects(this.rectOf(tile.level, tile.tx, tile.ty), b)) TileCache.reset(tile)
    }
  }

  invalidateAll(): void {
    for (const tile of this.tiles.values()) TileCache.reset(tile)
  }

  private static reset(tile: Tile): void {
    tile.valid = false
    tile.queue = null
  }

  destroy(): void {
    this.tiles.clear()
  }

  /** Adds a finished stroke: painted on top where it is the newest, tiles repainted elsewhere. */
  bake(s: SceneStroke): void {
    this.exclude.delete(s.data.id)
    for (const tile of this.tiles.values()) {
      if (!intersects(this.rectOf(tile.level, tile.tx, tile.ty), s.bounds)) continue
      if (!tile.valid || (tile.top && compareStrokes(s.data, tile.top) <= 0)) {
        TileCache.reset(tile)
        continue
      }
      const ctx = this.contextFor(tile)
      if (!ctx) continue
      this.clipToPage(ctx)
      this.paintOne(ctx, tile, s)
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

  /** Thin ink at far zoom levels is a hairline and never needs its outline built (see paintStrokeAt). */
  private paintOne(ctx: Ctx, tile: Tile, s: SceneStroke): void {
    paintStrokeAt(ctx, s.data, () => this.scene.shapeOf(s), 2 ** tile.level)
  }

  /** Ink stays on the paper (as on screen while drawing, and in exports). Pair with restore(). */
  private clipToPage(ctx: Ctx): void {
    ctx.save()
    ctx.beginPath()
    ctx.rect(this.page.minX, this.page.minY, this.page.maxX - this.page.minX, this.page.maxY - this.page.minY)
    ctx.clip()
  }

  /**
   * Paints a tile, resumably: strokes are painted in order until `deadline`,
   * and the next frame carries on where this one stopped, so even a tile
   * holding thousands of strokes never makes a frame long. True when done.
   */
  private paintStep(tile: Tile, deadline: number): boolean {
    const ctx = this.contextFor(tile)
    if (!ctx) return false
    if (!tile.queue) {
      ctx.save()
      ctx.setTransform(1, 0, 0, 1, 0, 0)
      ctx.clearRect(0, 0, TILE_PX, TILE_PX)
      ctx.restore()
      tile.queue = this.scene.query(this.rectOf(tile.level, tile.tx, tile.ty)).filter((s) => !this.exclude.has(s.data.id))
      tile.queue.sort((a, b) => compareStrokes(a.data, b.data))
      tile.next = 0
    }
    const queue = tile.queue
    this.clipToPage(ctx)
    let now = performance.now()
    do {
      const end = Math.min(queue.length, tile.next + chunk)
      for (let i = tile.next; i < end; i++) {
        this.paintOne(ctx, tile, queue[i] as SceneStroke)
      }
      tile.next = end
      rasterizeNow(tile.canvas)
      const t = performance.now()
      adaptChunk(t - now)
      now = t
    } while (tile.next < queue.length && now < deadline)
    ctx.restore()
    if (tile.next < queue.length) return false
    tile.top = queue.at(-1)?.data ?? null
    tile.queue = null
    tile.valid = true
    return true
  }

  private obtain(level: number, tx: number, ty: number): Tile {
    const key = TileCache.key(level, tx, ty)
    let tile = this.tiles.get(key)
    if (!tile) {
      this.evict()
      tile = { level, tx, ty, canvas: newCanvas(), valid: false, lastUsed: 0, top: null, queue: null, next: 0 }
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
    let progressed = false
    for (let ty = Math.floor(area.minY / s); ty * s < area.maxY; ty++) {
      for (let tx = Math.floor(area.minX / s); tx * s < area.maxX; tx++) {
        const tile = this.obtain(level, tx, ty)
        // Always some progress, even on a frame that started late.
        if (!tile.valid && (!progressed || performance.now() < deadline)) {
          progressed = true
          this.paintStep(tile, deadline)
        }
        if (!tile.valid) {
          this.drawStandIn(ctx, v, level, this.rectOf(level, tx, ty))
          complete = false
          continue
        }
        const [dx, dy, dw, dh] = TileCache.dest(v, this.rectOf(level, tx, ty))
        ctx.drawImage(tile.canvas, 0, 0, TILE_PX, TILE_PX, dx, dy, dw, dh)
      }
    }
    return complete
  }
}
