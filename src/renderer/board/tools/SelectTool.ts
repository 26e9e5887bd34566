import { eraseStrokes, setOffsets } from '../../../shared/board/strokeOps'
import { contains, fromPoints, union, type Bounds } from '../render/bounds'
import { topStrokeAt } from './pick'
import { FrameTask, type BoardPoint, type PointerInfo, type Tool, type ToolHost } from './types'

/**
 * Select and move: click a stroke (Shift adds), drag a box around several,
 * drag the selection to move it (the other side sees it move), Delete
 * removes it.
 */
export class SelectTool implements Tool {
  readonly cursor = 'default'
  readonly selection = new Set<string>()
  private mode: 'idle' | 'drag' | 'marquee' = 'idle'
  private start: BoardPoint | null = null
  private current: BoardPoint | null = null
  private origins = new Map<string, [number, number]>()
  private pageId = ''
  private readonly moveTask = new FrameTask(() => this.writeOffsets())

  constructor(private readonly host: ToolHost) {}

  /** Drops ids that no longer exist (erased by anyone, or another page). */
  prune(): void {
    for (const id of this.selection) if (!this.host.scene.strokes.has(id)) this.selection.delete(id)
  }

  clear(): void {
    this.selection.clear()
    this.host.requestFrame()
  }

  deleteSelected(): boolean {
    this.prune()
    if (this.selection.size === 0) return false
    this.host.undo.begin()
    eraseStrokes(this.host.doc, this.host.origin, this.host.pageId, this.selection)
    this.selection.clear()
    this.host.requestFrame()
    return true
  }

  down(p: BoardPoint, info: PointerInfo): void {
    this.prune()
    this.pageId = this.host.pageId
    this.start = p
    this.current = p
    const hit = topStrokeAt(this.host.scene, p.x, p.y, 6 / this.host.viewport.zoom)
    if (hit) {
      if (!this.selection.has(hit.data.id)) {
        if (!info.shift) this.selection.clear()
        this.selection.add(hit.data.id)
      }
      this.mode = 'drag'
      this.host.undo.begin()
      this.origins = new Map()
      for (const id of this.selection) {
        const s = this.host.scene.strokes.get(id)
        if (s) this.origins.set(id, [s.data.dx, s.data.dy])
      }
    } else {
      if (!info.shift) this.selection.clear()
      this.mode = 'marquee'
    }
    this.host.requestFrame()
  }

  move(pts: readonly BoardPoint[]): void {
    const last = pts[pts.length - 1]
    if (!last || this.mode === 'idle') return
    this.current = last
    if (this.mode === 'drag') this.moveTask.schedule()
    this.host.requestFrame()
  }

  private writeOffsets(): void {
    if (!this.start || !this.current) return
    const ddx = this.current.x - this.start.x
    const ddy = this.current.y - this.start.y
    const offsets = new Map<string, [number, number]>()
    for (const [id, [dx, dy]] of this.origins) offsets.set(id, [dx + ddx, dy + ddy])
    setOffsets(this.host.doc, this.host.origin, this.pageId, offsets)
  }

  up(): void {
    if (this.mode === 'drag') this.moveTask.flush()
    if (this.mode === 'marquee' && this.start && this.current) {
      const box = fromPoints(this.start.x, this.start.y, this.current.x, this.current.y)
      for (const s of this.host.scene.query(box)) if (contains(box, s.bounds)) this.selection.add(s.data.id)
    }
    this.mode = 'idle'
    this.start = this.current = null
    this.host.requestFrame()
  }

  cancel(): void {
    this.up()
  }

  private selectionBounds(): Bounds | null {
    let out: Bounds | null = null
    for (const id of this.selection) {
      const s = this.host.scene.strokes.get(id)
      if (s) out = out ? union(out, s.bounds) : s.bounds
    }
    return out
  }

  paint(ctx: CanvasRenderingContext2D, zoom: number): void {
    ctx.lineWidth = 1.5 / zoom
    ctx.setLineDash([6 / zoom, 4 / zoom])
    ctx.strokeStyle = '#3b82f6'
    const b = this.selectionBounds()
    if (b) ctx.strokeRect(b.minX, b.minY, b.maxX - b.minX, b.maxY - b.minY)
    if (this.mode === 'marquee' && this.start && this.current) {
      ctx.fillStyle = 'rgba(59, 130, 246, 0.08)'
      const m = fromPoints(this.start.x, this.start.y, this.current.x, this.current.y)
      ctx.fillRect(m.minX, m.minY, m.maxX - m.minX, m.maxY - m.minY)
      ctx.strokeRect(m.minX, m.minY, m.maxX - m.minX, m.maxY - m.minY)
    }
    ctx.setLineDash([])
  }
}
