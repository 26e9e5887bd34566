/**
 * A change this soon after the last paint waits for the next animation
 * frame instead: a 60 Hz display shows one frame per 16.7 ms, so a second
 * paint this close would mostly land in the same displayed frame and only
 * cost work. Ink from the other side arrives at most every 30 ms (the
 * sender's batching), so it is always painted at once.
 */
export const MIN_PAINT_GAP_MS = 10

export interface PaintClock {
  now(): number
  requestFrame(cb: (now: number) => void): number
  cancelFrame(id: number): void
  /** Runs `cb` when the current task's own work is done (a microtask). */
  afterTask(cb: () => void): void
}

export const browserPaintClock: PaintClock = {
  now: () => performance.now(),
  requestFrame: (cb) => requestAnimationFrame(cb),
  cancelFrame: (id) => cancelAnimationFrame(id),
  afterTask: (cb) => queueMicrotask(cb),
}

/**
 * Decides when the board paints: at the next animation frame, or, for a
 * change to the ink, at the end of the task that made it.
 *
 * Why: the board's canvas is `desynchronized`. Chromium then hands each
 * painted canvas frame to the display compositor at the end of the task that
 * painted it, without waiting for the page's next frame (measured in a
 * trace: CanvasResourceDispatcher::DispatchFrame, no BeginMainFrame). Ink
 * that arrives from the other side, or that the pen wrote inside an
 * animation frame, is painted at once and reaches the screen up to a frame
 * sooner; on a busy machine, where the page's next frame may be 20-40 ms
 * away, much sooner. Where the canvas is not desynchronized (other
 * browsers) a paint outside a frame would show no sooner, so every paint
 * waits for the frame.
 */
export class PaintScheduler {
  /** Set once the canvas context says it is desynchronized. */
  lowLatency = false
  private frameId = 0
  private queued = false
  private lastPaint = -Infinity

  constructor(
    private readonly paint: (now: number) => void,
    private readonly clock: PaintClock = browserPaintClock,
  ) {}

  /** Paint at the next animation frame (however often asked before then). */
  nextFrame(): void {
    if (this.frameId || this.queued) return
    this.frameId = this.clock.requestFrame((now) => {
      this.frameId = 0
      this.run(now)
    })
  }

  /** Paint as soon as the current task is done where that shows sooner; otherwise at the next frame. */
  soon(): void {
    if (this.queued) return
    if (!this.lowLatency || this.clock.now() - this.lastPaint < MIN_PAINT_GAP_MS) return this.nextFrame()
    this.queued = true
    this.clock.afterTask(() => {
      if (!this.queued) return
      this.queued = false
      if (this.frameId) this.clock.cancelFrame(this.frameId)
      this.frameId = 0
      this.run(this.clock.now())
    })
  }

  cancel(): void {
    if (this.frameId) this.clock.cancelFrame(this.frameId)
    this.frameId = 0
    this.queued = false
  }

  private run(now: number): void {
    this.lastPaint = this.clock.now()
    this.paint(now)
  }
}
