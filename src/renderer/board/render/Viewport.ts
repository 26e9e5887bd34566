import type { Bounds } from './bounds'

export const MIN_ZOOM = 0.1
export const MAX_ZOOM = 8

/** Board view: screen = board × zoom + pan (CSS pixels of the canvas). */
export class Viewport {
  zoom = 1
  panX = 0
  panY = 0
  width = 1
  height = 1
  dpr = 1

  resize(width: number, height: number, dpr: number): void {
    this.width = Math.max(1, width)
    this.height = Math.max(1, height)
    this.dpr = Math.max(0.5, Math.min(4, dpr))
  }

  toBoard(sx: number, sy: number): { x: number; y: number } {
    return { x: (sx - this.panX) / this.zoom, y: (sy - this.panY) / this.zoom }
  }

  toScreen(x: number, y: number): { x: number; y: number } {
    return { x: x * this.zoom + this.panX, y: y * this.zoom + this.panY }
  }

  /** The part of the board on screen, in board units. */
  visible(): Bounds {
    const a = this.toBoard(0, 0)
    const b = this.toBoard(this.width, this.height)
    return { minX: a.x, minY: a.y, maxX: b.x, maxY: b.y }
  }

  /** Zooms by `factor` keeping the board point under (sx, sy) in place. */
  zoomAt(sx: number, sy: number, factor: number): void {
    const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.zoom * factor))
    const p = this.toBoard(sx, sy)
    this.zoom = next
    this.panX = sx - p.x * next
    this.panY = sy - p.y * next
  }

  panBy(dx: number, dy: number): void {
    this.panX += dx
    this.panY += dy
  }

  /** Shows `rect` (board units) as large as fits, centred, with a margin in CSS pixels. */
  fit(rect: Bounds, margin = 16): void {
    const w = Math.max(1, rect.maxX - rect.minX)
    const h = Math.max(1, rect.maxY - rect.minY)
    const zoom = Math.min((this.width - margin * 2) / w, (this.height - margin * 2) / h)
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom))
    this.panX = (this.width - w * this.zoom) / 2 - rect.minX * this.zoom
    this.panY = (this.height - h * this.zoom) / 2 - rect.minY * this.zoom
  }

  /**
   * Page width fills the view. A page that is then shorter than the view is
   * centred in it; a taller one shows its top first.
   */
  fitWidth(pageW: number, pageH = Infinity, margin = 16): void {
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, (this.width - margin * 2) / pageW))
    this.panX = (this.width - pageW * this.zoom) / 2
    const spare = this.height - pageH * this.zoom
    this.panY = spare >= margin * 2 ? spare / 2 : margin
  }

  /** Keeps at least part of the page on screen so nobody gets lost off the edge. */
  clampTo(pageW: number, pageH: number): void {
    const keep = 48
    this.panX = Math.min(this.width - keep, Math.max(keep - pageW * this.zoom, this.panX))
    this.panY = Math.min(this.height - keep, Math.max(keep - pageH * this.zoom, this.panY))
  }
}
