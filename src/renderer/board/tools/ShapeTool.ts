import { addShape, finishStroke, setGeometry } from '../../../shared/board/strokeOps'
import { FrameTask, type BoardPoint, type PointerInfo, type Tool, type ToolHost } from './types'

type ShapeKind = 'line' | 'arrow' | 'rect' | 'ellipse'

/** Shift: squares and circles, lines at 45° steps. */
function constrain(kind: ShapeKind, x1: number, y1: number, x2: number, y2: number): [number, number] {
  const dx = x2 - x1
  const dy = y2 - y1
  if (kind === 'rect' || kind === 'ellipse') {
    const side = Math.max(Math.abs(dx), Math.abs(dy))
    return [x1 + Math.sign(dx || 1) * side, y1 + Math.sign(dy || 1) * side]
  }
  const angle = Math.round(Math.atan2(dy, dx) / (Math.PI / 4)) * (Math.PI / 4)
  const len = Math.hypot(dx, dy)
  return [x1 + Math.cos(angle) * len, y1 + Math.sin(angle) * len]
}

/** Line, arrow, rectangle and ellipse: press, drag, release; the other side sees it as it grows. */
export class ShapeTool implements Tool {
  readonly cursor = 'crosshair'
  private start: BoardPoint | null = null
  private end: [number, number] = [0, 0]
  private id: string | null = null
  private pageId = ''
  private readonly writeTask = new FrameTask(() => this.write())

  constructor(
    private readonly host: ToolHost,
    private readonly kind: ShapeKind,
  ) {}

  down(p: BoardPoint): void {
    this.host.undo.begin()
    this.start = p
    this.end = [p.x, p.y]
    this.pageId = this.host.pageId
    this.id = null
  }

  move(pts: readonly BoardPoint[], info: PointerInfo): void {
    const last = pts[pts.length - 1]
    if (!this.start || !last) return
    this.end = info.shift ? constrain(this.kind, this.start.x, this.start.y, last.x, last.y) : [last.x, last.y]
    // A shape appears once it has some size (a click is not a shape).
    if (!this.id && Math.hypot(this.end[0] - this.start.x, this.end[1] - this.start.y) * this.host.viewport.zoom < 3) return
    this.writeTask.schedule()
  }

  private write(): void {
    if (!this.start) return
    const g: [number, number, number, number] = [this.start.x, this.start.y, this.end[0], this.end[1]]
    if (this.id) {
      setGeometry(this.host.doc, this.host.origin, this.pageId, this.id, g)
    } else {
      const { color, width } = this.host.style()
      this.id = addShape(this.host.doc, this.host.origin, this.pageId, { t: this.kind, c: color, w: width, by: this.host.selfId, z: this.host.scene.maxZ + 1 }, g)
      this.host.sendNow()
    }
  }

  up(): void {
    this.writeTask.flush()
    if (this.id) finishStroke(this.host.doc, this.host.origin, this.pageId, this.id)
    this.id = null
    this.start = null
  }

  cancel(): void {
    this.up()
  }
}
