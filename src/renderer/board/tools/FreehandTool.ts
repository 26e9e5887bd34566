import { quantize } from '../../../shared/board/points'
import { appendPoints, beginFreehand, finishStroke } from '../../../shared/board/strokeOps'
import { FrameTask, type BoardPoint, type Tool, type ToolHost } from './types'

/**
 * Pen and highlighter. The stroke exists in the document from pen-down (sent
 * at once); its points stream in once per animation frame, so the other side
 * sees it being drawn, and pen-up packs it.
 */
export class FreehandTool implements Tool {
  readonly cursor = 'crosshair'
  private id: string | null = null
  private pageId = ''
  private pending: number[] = []
  private lastX = NaN
  private lastY = NaN
  private readonly flushTask = new FrameTask(() => this.flushPoints())

  constructor(
    private readonly host: ToolHost,
    private readonly kind: 'pen' | 'hl',
  ) {}

  down(p: BoardPoint): void {
    const { color, width } = this.host.style()
    this.host.undo.begin()
    const q = quantize(p.x, p.y, p.pressure)
    this.pageId = this.host.pageId
    this.id = beginFreehand(this.host.doc, this.host.origin, this.pageId, { t: this.kind, c: color, w: width, by: this.host.selfId, z: this.host.scene.maxZ + 1 }, q)
    // Handwriting puts one stroke right after another: pen-down must not wait behind the last stroke's send interval.
    this.host.sendNow()
    this.lastX = q[0]
    this.lastY = q[1]
  }

  move(pts: readonly BoardPoint[]): void {
    if (!this.id) return
    for (const p of pts) {
      const q = quantize(p.x, p.y, p.pressure)
      if (q[0] === this.lastX && q[1] === this.lastY) continue
      this.pending.push(...q)
      this.lastX = q[0]
      this.lastY = q[1]
    }
    if (this.pending.length) this.flushTask.schedule()
  }

  private flushPoints(): void {
    if (!this.id || this.pending.length === 0) return
    const points = this.pending
    this.pending = []
    if (!appendPoints(this.host.doc, this.host.origin, this.pageId, this.id, points)) this.finish()
  }

  private finish(): void {
    this.flushTask.flush()
    if (this.id) finishStroke(this.host.doc, this.host.origin, this.pageId, this.id)
    this.id = null
    this.pending = []
  }

  up(): void {
    this.finish()
  }

  cancel(): void {
    this.finish()
  }
}
