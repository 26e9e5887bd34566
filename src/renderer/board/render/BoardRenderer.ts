import { compareStrokes } from '../../../shared/board/layout'
import type { PageAttrs } from '../../../shared/board/schema'
import type { BackgroundCache } from '../io/backgrounds'
import type { ChangeSource, PageScene, SceneChange, SceneStroke } from '../scene/PageScene'
import type { Peer, LaserPoint } from '../sync/Presence'
import { paintPageFrame, paintPaper } from './pagePainter'
import { paintCursor, paintLaser } from './presencePainter'
import { paintStroke } from './strokeShape'
import { TileCache } from './TileCache'
import type { Viewport } from './Viewport'
import { PaintScheduler } from './PaintScheduler'

/** A stroke counts as settled (and is baked into tiles) this long after its last change. */
const SETTLE_MS = 250
/** Time per frame for painting missing tiles while someone pans, zooms or draws… */
const TILE_BUDGET_MS = 8
/** …and while nobody does (a page opening): faster to complete, and nobody feels the longer frames. */
const IDLE_TILE_BUDGET_MS = 24
const INPUT_QUIET_MS = 250
const STAGE = '#2a2f3a'

export interface RendererHooks {
  /** Tool feedback (selection, marquee, eraser ring), in board units. */
  overlay(ctx: CanvasRenderingContext2D): void
  peers(): Peer[]
  ownLaser(): LaserPoint[]
  pageId(): string
}

/**
 * Paints the page on screen each animation frame it is asked to: paper and
 * background, finished strokes from the tile cache, strokes being drawn or
 * moved ("hot") on top, then tool feedback, lasers and cursors.
 */
export class BoardRenderer {
  private scene: PageScene | null = null
  private tiles: TileCache | null = null
  private attrs: PageAttrs | null = null
  private readonly hot = new Map<string, number>()
  private readonly paints = new PaintScheduler((now) => this.frame(now))
  private ctx: CanvasRenderingContext2D | null = null
  private lastInput = 0
  private unsubscribe: (() => void) | null = null
  /** Frames painted and the time of the last one, for the benchmark. */
  readonly stats = { frames: 0, lastFrameMs: 0, complete: true, peerLasers: 0, peerCursors: 0 }
  /** Called after each frame with whether everything visible was painted. */
  onFrame: ((complete: boolean) => void) | null = null

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly viewport: Viewport,
    private readonly backgrounds: BackgroundCache,
    private readonly hooks: RendererHooks,
  ) {}

  setPage(scene: PageScene | null, attrs: PageAttrs | null): void {
    this.unsubscribe?.()
    this.tiles?.destroy()
    this.hot.clear()
    this.scene = scene
    this.attrs = attrs
    this.tiles = scene && attrs ? new TileCache(scene, { minX: 0, minY: 0, maxX: attrs.w, maxY: attrs.h }) : null
    this.unsubscribe = scene ? scene.onChange((changes, source) => this.onChanges(changes, source)) : null
    this.requestFrame()
  }

  /** Page attributes changed (e.g. a background arrived); strokes are unaffected. */
  setAttrs(attrs: PageAttrs): void {
    this.attrs = attrs
    this.requestFrame()
  }

  private onChanges(changes: SceneChange[], source: ChangeSource): void {
    const now = performance.now()
    for (const c of changes) {
      // A settled stroke that changes leaves the tiles and is drawn live until it settles again.
      if (c.before && !this.hot.has(c.id)) this.tiles?.invalidate(c.before)
      if (c.after) {
        this.hot.set(c.id, now)
        this.tiles?.exclude.add(c.id)
      } else {
        this.hot.delete(c.id)
        this.tiles?.exclude.delete(c.id)
      }
    }
    // Ink changed: show it without waiting for the next frame where the canvas allows.
    this.paints.soon(source === 'remote' ? 'gap' : 'frame')
  }

  /** The person is interacting: keep frames short for a while. */
  noteInput(): void {
    this.lastInput = performance.now()
  }

  /** Everything must be painted again (e.g. after a resize). */
  invalidate(): void {
    this.tiles?.invalidateAll()
    this.requestFrame()
  }

  requestFrame(): void {
    this.paints.nextFrame()
  }

  destroy(): void {
    this.paints.cancel()
    this.setPage(null, null)
  }

  /** Opaque (the stage is painted anyway) and desynchronized: painted ink goes to the screen without waiting for the page's frame. */
  private context(): CanvasRenderingContext2D | null {
    if (this.ctx) return this.ctx
    this.ctx = this.canvas.getContext('2d', { alpha: false, desynchronized: true })
    this.paints.lowLatency = this.ctx?.getContextAttributes?.().desynchronized === true
    return this.ctx
  }

  private settle(now: number): SceneStroke[] {
    const live: SceneStroke[] = []
    for (const [id, changedAt] of this.hot) {
      const s = this.scene?.strokes.get(id)
      if (!s) {
        this.hot.delete(id)
        continue
      }
      if (s.data.done && now - changedAt > SETTLE_MS) {
        this.hot.delete(id)
        this.tiles?.bake(s)
      } else {
        live.push(s)
      }
    }
    return live.sort((a, b) => compareStrokes(a.data, b.data))
  }

  private frame(now: number): void {
    const started = performance.now()
    const ctx = this.context()
    const v = this.viewport
    if (!ctx) return
    ctx.setTransform(1, 0, 0, 1, 0, 0)
    ctx.fillStyle = STAGE
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height)
    const attrs = this.attrs
    const scene = this.scene
    let more = false
    if (attrs && scene && this.tiles) {
      const k = v.zoom * v.dpr
      const board = (): void => ctx.setTransform(k, 0, 0, k, v.panX * v.dpr, v.panY * v.dpr)
      board()
      paintPageFrame(ctx, attrs, k)
      const bg = this.backgrounds.get(attrs.bg, attrs.w * k)
      paintPaper(ctx, attrs, bg, v.visible(), k)
      // Settle first: a stroke baked now must already be in the tiles blitted below.
      const live = this.settle(now)
      ctx.setTransform(1, 0, 0, 1, 0, 0)
      const complete = this.tiles.draw(ctx, v, started + (started - this.lastInput < INPUT_QUIET_MS ? TILE_BUDGET_MS : IDLE_TILE_BUDGET_MS))
      this.stats.complete = complete
      more ||= !complete
      board()
      ctx.save()
      ctx.beginPath()
      ctx.rect(0, 0, attrs.w, attrs.h)
      ctx.clip()
      for (const s of live) paintStroke(ctx, s.data, scene.shapeOf(s))
      ctx.restore()
      // Finished strokes still settling need a later frame to be baked; unfinished ones repaint on change.
      more ||= live.some((s) => s.data.done)
      this.hooks.overlay(ctx)
      ctx.setTransform(1, 0, 0, 1, 0, 0)
      more = this.paintPresence(ctx, now) || more
    }
    this.stats.frames++
    this.stats.lastFrameMs = performance.now() - started
    this.onFrame?.(!more)
    if (more) this.requestFrame()
  }

  /** Lasers and cursors on this page; true while a laser is still fading. */
  private paintPresence(ctx: CanvasRenderingContext2D, now: number): boolean {
    const page = this.hooks.pageId()
    let fading = paintLaser(ctx, this.viewport, this.hooks.ownLaser(), now)
    this.stats.peerLasers = this.stats.peerCursors = 0
    for (const peer of this.hooks.peers()) {
      if (peer.laser?.page === page && paintLaser(ctx, this.viewport, peer.laser.pts, now)) {
        fading = true
        this.stats.peerLasers++
      }
      if (peer.cursor?.page === page) {
        paintCursor(ctx, this.viewport, peer.cursor.x, peer.cursor.y, peer.user.name, peer.user.color)
        this.stats.peerCursors++
      }
    }
    return fading
  }
}
