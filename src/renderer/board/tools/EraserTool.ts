import { eraseStrokes } from '../../../shared/board/strokeOps'
import { strokesAt } from './pick'
import { FrameTask, type BoardPoint, type Tool, type ToolHost } from './types'

/** Eraser radius in screen pixels (constant on screen whatever the zoom). */
const RADIUS_PX = 10

/** Whole-stroke eraser: every stroke the eraser's path touches goes, once per frame, as one undo step per gesture. */
export class EraserTool implements Tool {
  readonly cursor = 'none'
  private last: BoardPoint | null = null
  private hoverAt: BoardPoint | null = null
  private readonly doomed = new Set<string>()
  private pageId = ''
  private readonly eraseTask = new FrameTask(() => this.erase())

  constructor(private readonly host: ToolHost) {}

  private get radius(): number {
    return RADIUS_PX / this.host.viewport.zoom
  }

  down(p: BoardPoint): void {
    this.host.undo.begin()
    this.pageId = this.host.pageId
    this.last = p
    this.collect(p, p)
  }

  move(pts: readonly BoardPoint[]): void {
    for (const p of pts) {
      if (this.last) this.collect(this.last, p)
      this.last = p
    }
    this.hoverAt = this.last
    this.host.requestFrame()
  }

  /** Samples the segment a→b at half-radius steps so fast strokes of the hand miss nothing. */
  private collect(a: BoardPoint, b: BoardPoint): void {
    const r = this.radius
    const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / (r / 2)))
    for (let i = 0; i <= steps; i++) {
      const x = a.x + ((b.x - a.x) * i) / steps
      const y = a.y + ((b.y - a.y) * i) / steps
      for (const s of strokesAt(this.host.scene, x, y, r)) this.doomed.add(s.data.id)
    }
    if (this.doomed.size) this.eraseTask.schedule()
  }

  private erase(): void {
    if (this.doomed.size === 0) return
    eraseStrokes(this.host.doc, this.host.origin, this.pageId, this.doomed)
    this.doomed.clear()
  }

  up(): void {
    this.eraseTask.flush()
    this.last = null
  }

  cancel(): void {
    this.up()
  }

  hover(p: BoardPoint | null): void {
    this.hoverAt = p
    this.host.requestFrame()
  }

  paint(ctx: CanvasRenderingContext2D, zoom: number): void {
    if (!this.hoverAt) return
    ctx.beginPath()
    ctx.arc(this.hoverAt.x, this.hoverAt.y, this.radius, 0, Math.PI * 2)
    ctx.lineWidth = 1.5 / zoom
    ctx.strokeStyle = 'rgba(30, 30, 30, 0.8)'
    ctx.fillStyle = 'rgba(255, 255, 255, 0.5)'
    ctx.fill()
    ctx.stroke()
  }
}
