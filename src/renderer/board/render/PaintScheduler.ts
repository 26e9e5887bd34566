/**
 * Paints for changed ink are at least this far apart: a 60 Hz display shows
 * one frame per 16.7 ms, so a second paint closer than this would mostly
 * land in the same displayed frame and only cost work. A change that comes
 * sooner is painted when the gap is over (at most this long), not at the
 * next animation frame, which on a busy machine can be 20-40 ms away.
 */
export const MIN_PAINT_GAP_MS = 10

export interface PaintClock {
  now(): number
  requestFrame(cb: (now: number) => void): number
  cancelFrame(id: number): void
  /** Runs `cb` when the current task's own work is done (a microtask). */
  afterTask(cb: () => void): void
  /** Runs `cb` after `ms` (a timer); returns a cancel function. */
  later(cb: () => void, ms: number): () => void
  /** The page is not on screen (a hidden tab, a minimised window). */
  hidden(): boolean
}

export const browserPaintClock: PaintClock = {
  now: () => performance.now(),
  requestFrame: (cb) => requestAnimationFrame(cb),
  cancelFrame: (id) => cancelAnimationFrame(id),
  afterTask: (cb) => queueMicrotask(cb),
  later: (cb, ms) => {
    const id = setTimeout(cb, ms)
    return () => clearTimeout(id)
  },
  hidden: () => globalThis.document?.visibilityState === 'hidden',
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
 * waits for the frame; so does every paint while the page is hidden, where
 * frames pause and the other person's drawing should cost nothing.
 */
export class PaintScheduler {
  /** Set once the canvas context says it is desynchronized. */
  lowLatency = false
  private frameId = 0
  private queued = false
  private cancelLater: (() => void) | null = null
  private lastPaint = -Infinity

  constructor(
    private readonly paint: (now: number) => void,
    private readonly clock: PaintClock = browserPaintClock,
  ) {}

  /** Paint at the next animation frame (however often asked before then). */
  nextFrame(): void {
    if (this.frameId || this.queued || this.cancelLater) return
    this.frameId = this.clock.requestFrame((now) => {
      this.frameId = 0
      this.run(now)
    })
  }

  /**
   * Paint as soon as the current task is done, where that shows sooner than
   * the next frame. Within the gap after the last paint, `tooSoon` says what
   * to do: wait out the gap ('gap': ink from the other side) or take the next
   * frame ('frame': our own ink, written in an animation frame, which would
   * otherwise be painted twice in one).
   */
  soon(tooSoon: 'gap' | 'frame' = 'gap'): void {
    if (this.queued || this.cancelLater) return
    if (!this.lowLatency || this.clock.hidden()) return this.nextFrame()
    const wait = MIN_PAINT_GAP_MS - (this.clock.now() - this.lastPaint)
    if (wait > 0 && tooSoon === 'frame') return this.nextFrame()
    if (wait > 0) {
      this.cancelLater = this.clock.later(() => {
        this.cancelLater = null
        this.run(this.clock.now())
      }, wait)
      return
    }
    this.queued = true
    this.clock.afterTask(() => {
      if (!this.queued) return
      this.queued = false
      this.run(this.clock.now())
    })
  }

  cancel(): void {
    if (this.frameId) this.clock.cancelFrame(this.frameId)
    this.frameId = 0
    this.queued = false
    this.cancelLater?.()
    this.cancelLater = null
  }

  private run(now: number): void {
    // A paint shows every change so far: nothing still scheduled has anything left to do.
    this.cancel()
    this.lastPaint = this.clock.now()
    this.paint(now)
  }
}
