import type { Viewport } from '../render/Viewport'
import type { BoardPoint, PointerInfo, Tool } from './types'

export interface InputHandlers {
  viewport: Viewport
  /** The active tool, or null when this person may not draw (then a drag pans). */
  tool(): Tool | null
  /** The view moved; `byUser` is false for programmatic changes. */
  viewChanged(): void
  /**
   * True when a drag that would start ink at `p` starts off the page. Ink is
   * kept to the page, so such a drag pans instead (and the board says why)
   * rather than drawing a stroke nobody would see.
   */
  startsOffPage(p: BoardPoint): boolean
  /** Board position of the pointer for presence, or null when it left. */
  pointerAt(p: { x: number; y: number } | null): void
  penModeChanged(on: boolean): void
}

type Gesture = { kind: 'tool'; id: number } | { kind: 'pan'; id: number; x: number; y: number } | { kind: 'pinch'; dist: number; cx: number; cy: number }

/**
 * Pointer and wheel input of the board. A stylus switches pen mode on
 * (palm rejection): then touch never draws, one finger pans and two pinch.
 * While one pointer draws, every other pointer is ignored.
 */
export class PointerInput {
  penMode = false
  spaceHeld = false
  private gesture: Gesture | null = null
  private readonly touches = new Map<number, { x: number; y: number }>()
  private readonly listeners: [string, (e: Event) => void][]

  constructor(
    private readonly el: HTMLElement,
    private readonly h: InputHandlers,
  ) {
    this.listeners = [
      ['pointerdown', (e) => this.down(e as PointerEvent)],
      ['pointermove', (e) => this.move(e as PointerEvent)],
      ['pointerup', (e) => this.up(e as PointerEvent, false)],
      ['pointercancel', (e) => this.up(e as PointerEvent, true)],
      ['pointerleave', () => this.leave()],
      ['wheel', (e) => this.wheel(e as WheelEvent)],
      ['contextmenu', (e) => e.preventDefault()],
    ]
    for (const [type, fn] of this.listeners) el.addEventListener(type, fn, { passive: false })
  }

  destroy(): void {
    for (const [type, fn] of this.listeners) this.el.removeEventListener(type, fn)
  }

  private local(e: { clientX: number; clientY: number }): { x: number; y: number } {
    const r = this.el.getBoundingClientRect()
    return { x: e.clientX - r.left, y: e.clientY - r.top }
  }

  private boardPoint(e: PointerEvent): BoardPoint {
    const s = this.local(e)
    const b = this.h.viewport.toBoard(s.x, s.y)
    // Mouse and touch report no real pressure; a pen's lightest touch still leaves ink.
    const pressure = e.pointerType === 'pen' ? Math.max(0.05, e.pressure) : 0.5
    return { x: b.x, y: b.y, pressure }
  }

  private info(e: PointerEvent | WheelEvent): PointerInfo {
    return { shift: e.shiftKey }
  }

  private down(e: PointerEvent): void {
    if (e.pointerType === 'pen' && !this.penMode) {
      this.penMode = true
      this.h.penModeChanged(true)
    }
    const s = this.local(e)
    if (e.pointerType === 'touch') {
      this.touches.set(e.pointerId, s)
      if (this.touches.size >= 2) return this.startPinch()
    }
    if (this.gesture) return // another pointer is already drawing: a palm, a second mouse button
    const tool = this.h.tool()
    const pans = e.button === 1 || this.spaceHeld || !tool || (e.pointerType === 'touch' && this.penMode)
    if (!pans && e.button !== 0) return
    try {
      this.el.setPointerCapture(e.pointerId)
    } catch {
      // The pointer is already gone (a very short tap); the gesture still works without capture.
    }
    e.preventDefault()
    const at = this.boardPoint(e)
    if (pans || !tool || this.h.startsOffPage(at)) {
      this.gesture = { kind: 'pan', id: e.pointerId, x: s.x, y: s.y }
      return
    }
    this.gesture = { kind: 'tool', id: e.pointerId }
    tool.down(at, this.info(e))
  }

  private startPinch(): void {
    if (this.gesture?.kind === 'tool') this.h.tool()?.cancel()
    const [a, b] = [...this.touches.values()]
    if (!a || !b) return
    this.gesture = { kind: 'pinch', dist: Math.hypot(b.x - a.x, b.y - a.y), cx: (a.x + b.x) / 2, cy: (a.y + b.y) / 2 }
  }

  private move(e: PointerEvent): void {
    const s = this.local(e)
    if (e.pointerType === 'touch' && this.touches.has(e.pointerId)) this.touches.set(e.pointerId, s)
    const g = this.gesture
    if (g?.kind === 'pinch') {
      const [a, b] = [...this.touches.values()]
      if (!a || !b) return
      const dist = Math.hypot(b.x - a.x, b.y - a.y)
      const cx = (a.x + b.x) / 2
      const cy = (a.y + b.y) / 2
      this.h.viewport.panBy(cx - g.cx, cy - g.cy)
      if (g.dist > 0) this.h.viewport.zoomAt(cx, cy, dist / g.dist)
      this.gesture = { kind: 'pinch', dist, cx, cy }
      this.h.viewChanged()
      return
    }
    if (g?.kind === 'pan' && g.id === e.pointerId) {
      this.h.viewport.panBy(s.x - g.x, s.y - g.y)
      this.gesture = { ...g, x: s.x, y: s.y }
      this.h.viewChanged()
      return
    }
    const board = this.boardPoint(e)
    this.h.pointerAt(board)
    if (g?.kind === 'tool' && g.id === e.pointerId) {
      // Coalesced events carry every sample the hardware made since the last frame.
      const samples = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : []
      this.h.tool()?.move(samples.length ? samples.map((c) => this.boardPoint(c)) : [board], this.info(e))
    } else if (!g && e.pointerType !== 'touch') {
      this.h.tool()?.hover?.(board)
    }
  }

  private up(e: PointerEvent, cancelled: boolean): void {
    this.touches.delete(e.pointerId)
    const g = this.gesture
    if (g?.kind === 'pinch') {
      if (this.touches.size < 2) this.gesture = null
      return
    }
    if (!g || g.id !== e.pointerId) return
    this.gesture = null
    if (g.kind === 'tool') {
      const tool = this.h.tool()
      if (cancelled) tool?.cancel()
      else tool?.up(this.info(e))
    }
  }

  private leave(): void {
    if (this.gesture) return
    this.h.pointerAt(null)
    this.h.tool()?.hover?.(null)
  }

  /** Wheel scrolls; Ctrl/Cmd + wheel (and trackpad pinch) zooms at the pointer. */
  private wheel(e: WheelEvent): void {
    e.preventDefault()
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.h.viewport.height : 1
    if (e.ctrlKey || e.metaKey) {
      const s = this.local(e)
      this.h.viewport.zoomAt(s.x, s.y, Math.exp((-e.deltaY * unit) / 300))
    } else {
      this.h.viewport.panBy(-e.deltaX * unit, -e.deltaY * unit)
    }
    this.h.viewChanged()
  }

  /** Stops whatever is in progress (tool switch, page change). */
  interrupt(): void {
    if (this.gesture?.kind === 'tool') this.h.tool()?.cancel()
    this.gesture = null
  }
}
