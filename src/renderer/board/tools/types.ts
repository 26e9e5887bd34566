import type * as Y from 'yjs'
import type { StrokeData } from '../../../shared/board/layout'
import type { BoardUndo } from '../../../shared/board/undo'
import type { PageScene } from '../scene/PageScene'
import type { Viewport } from '../render/Viewport'
import type { LaserPoint } from '../sync/Presence'

export const TOOL_IDS = ['pen', 'hl', 'line', 'arrow', 'rect', 'ellipse', 'text', 'eraser', 'laser', 'select'] as const
export type ToolId = (typeof TOOL_IDS)[number]

/** Tools that change the document (all but the laser, which is presence only). */
export const EDITING_TOOLS: ReadonlySet<ToolId> = new Set(TOOL_IDS.filter((t) => t !== 'laser'))

/** Tools that put new ink on the page (ink is kept to the page, so these start on it). */
export const INK_TOOLS: ReadonlySet<ToolId> = new Set<ToolId>(['pen', 'hl', 'line', 'arrow', 'rect', 'ellipse', 'text'])

/** The shape tools, which a narrow toolbar folds into one button. */
export const SHAPE_TOOLS: ReadonlySet<ToolId> = new Set<ToolId>(['line', 'arrow', 'rect', 'ellipse'])

export interface BoardPoint {
  x: number
  y: number
  pressure: number
}

/** What a tool may use: the document with this person's origin, the page on screen, undo and the view. */
export interface ToolHost {
  readonly doc: Y.Doc
  readonly origin: object
  readonly undo: BoardUndo
  readonly selfId: string
  readonly pageId: string
  readonly scene: PageScene
  readonly viewport: Viewport
  style(): { color: string; width: number }
  requestFrame(): void
  /** What the tool just wrote goes on the wire now, not at the end of the send interval (the start of a stroke). */
  sendNow(): void
  /** Text tool: open the editor at a board point, for a new box or an existing one. */
  editText(at: { x: number; y: number }, existing: StrokeData | null): void
  setLaser(pts: readonly LaserPoint[]): void
}

export interface PointerInfo {
  shift: boolean
}

export interface Tool {
  readonly cursor: string
  down(p: BoardPoint, info: PointerInfo): void
  /** All points since the last call (coalesced pointer events). */
  move(pts: readonly BoardPoint[], info: PointerInfo): void
  up(info: PointerInfo): void
  /** The gesture was interrupted (e.g. a second finger came down); keep what is done. */
  cancel(): void
  /** Feedback drawn over the board in board units. */
  paint?(ctx: CanvasRenderingContext2D, zoom: number): void
  /** Pointer hovering without a button (eraser ring). */
  hover?(p: BoardPoint | null): void
}

/** Runs `fn` once in the next animation frame, however often it is asked for before then. */
export class FrameTask {
  private id = 0
  constructor(private readonly fn: () => void) {}

  schedule(): void {
    if (this.id) return
    this.id = requestAnimationFrame(() => {
      this.id = 0
      this.fn()
    })
  }

  /** Runs it now if it was waiting (pen-up must not lose the last points). */
  flush(): void {
    if (!this.id) return
    cancelAnimationFrame(this.id)
    this.id = 0
    this.fn()
  }
}
