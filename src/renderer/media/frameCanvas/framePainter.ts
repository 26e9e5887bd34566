/** Where a picture of `src` size goes inside a `dst` box, letterboxed like CSS `object-fit: contain`. */
export function containRect(srcW: number, srcH: number, dstW: number, dstH: number): { x: number; y: number; w: number; h: number } {
  if (srcW <= 0 || srcH <= 0 || dstW <= 0 || dstH <= 0) return { x: 0, y: 0, w: 0, h: 0 }
  const scale = Math.min(dstW / srcW, dstH / srcH)
  const w = srcW * scale
  const h = srcH * scale
  return { x: (dstW - w) / 2, y: (dstH - h) / 2, w, h }
}

/** What the painter needs of a video frame (a WebCodecs VideoFrame in the worker). */
export interface PaintableFrame {
  readonly displayWidth: number
  readonly displayHeight: number
  close(): void
}

/** What the painter needs of a canvas and its 2D context (an OffscreenCanvas in the worker). */
export interface PaintSurface<F> {
  width: number
  height: number
  fill(color: string): void
  draw(frame: F, x: number, y: number, w: number, h: number): void
}

/** Told the picture's size and how many frames were painted: at the first frame, on a size change and then every `reportEveryMs`. */
export type PaintedListener = (width: number, height: number, frames: number) => void

/**
 * Paints each video frame it is given letterboxed into a surface, then
 * releases it (a VideoFrame holds decoder memory until closed). The surface
 * is sized in device pixels by the page; the picture follows the box.
 */
export class FramePainter<F extends PaintableFrame> {
  private last = { w: 0, h: 0 }
  private frames = 0
  private reportedAt = -Infinity

  constructor(
    private readonly surface: PaintSurface<F>,
    private readonly onPainted: PaintedListener,
    private readonly background: string,
    private readonly now: () => number = () => performance.now(),
    private readonly reportEveryMs = 500,
  ) {}

  resize(width: number, height: number): void {
    const w = Math.max(1, Math.min(4096, Math.round(width)))
    const h = Math.max(1, Math.min(4096, Math.round(height)))
    if (w === this.surface.width && h === this.surface.height) return
    this.surface.width = w
    this.surface.height = h
  }

  /** No picture any more (camera off, track gone): an empty box, not the last frame frozen. */
  clear(): void {
    this.surface.fill(this.background)
    this.last = { w: 0, h: 0 }
    this.reportedAt = -Infinity
    this.onPainted(0, 0, this.frames)
  }

  paint(frame: F): void {
    try {
      const { displayWidth: fw, displayHeight: fh } = frame
      const r = containRect(fw, fh, this.surface.width, this.surface.height)
      this.surface.fill(this.background)
      if (r.w > 0) this.surface.draw(frame, r.x, r.y, r.w, r.h)
      this.frames += 1
      const now = this.now()
      if (fw !== this.last.w || fh !== this.last.h || now - this.reportedAt >= this.reportEveryMs) {
        this.last = { w: fw, h: fh }
        this.reportedAt = now
        this.onPainted(fw, fh, this.frames)
      }
    } finally {
      frame.close()
    }
  }
}
