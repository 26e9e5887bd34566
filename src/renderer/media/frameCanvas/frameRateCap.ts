/**
 * Lets through at most `maxFps` of a stream of video frames, by their
 * timestamps (µs, as a VideoFrame's), spread evenly: from a 30 fps camera a
 * cap of 15 keeps every other frame. A frame up to `TOLERANCE_US` early
 * still counts as on time, so capture jitter does not halve the rate again;
 * a timestamp that goes back (another source) starts afresh.
 */
export class FrameRateCap {
  private next = -Infinity
  private last = -Infinity
  private readonly interval: number

  constructor(maxFps: number) {
    this.interval = maxFps > 0 && Number.isFinite(maxFps) ? 1e6 / maxFps : 0
  }

  /** Whether the frame stamped `timestampUs` is kept. */
  keep(timestampUs: number): boolean {
    if (timestampUs < this.last) this.next = -Infinity
    this.last = timestampUs
    if (timestampUs + TOLERANCE_US < this.next) return false
    // On time: the next one is due an interval later; after a gap (a stalled source), an interval from now.
    this.next = timestampUs - this.next > this.interval ? timestampUs + this.interval : this.next + this.interval
    return true
  }
}

/** Capture jitter a frame may have and still be on time (5 ms). */
export const TOLERANCE_US = 5_000
