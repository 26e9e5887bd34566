import type { FromFrameWorker, ToFrameWorker } from './messages'
import { trackProcessorClass } from './trackProcessor'

/** Whether this browser can paint a track into a canvas from a worker (Chromium and Electron can). */
export function trackCanvasSupported(): boolean {
  return (
    trackProcessorClass() !== null &&
    typeof Worker === 'function' &&
    typeof OffscreenCanvas === 'function' &&
    typeof HTMLCanvasElement !== 'undefined' &&
    'transferControlToOffscreen' in HTMLCanvasElement.prototype
  )
}

function isPaintedMessage(data: unknown): data is FromFrameWorker {
  const d = data as Partial<FromFrameWorker> | null
  return !!d && d.type === 'painted' && Number.isFinite(d.width) && Number.isFinite(d.height) && Number.isFinite(d.frames)
}

/**
 * A secondary tile paints at most this many frames a second. Every painted
 * frame is converted, scaled and drawn into the canvas, and makes a new frame
 * of the page that the compositor must draw; the other person's picture, ink
 * and chat share those cores. A mirror of oneself, a thumbnail of one's own
 * screen or a small camera beside a shared screen read well at 15, and a
 * two-person lesson then took about a tenth of a core less (figures in
 * docs/bench-history.md, 2026-12-06).
 */
export const SECONDARY_TILE_FPS = 15

/**
 * Shows a video track in a <canvas>, painted by a worker from the track's
 * frames, instead of in a <video> element.
 *
 * Why: Chromium lowers a page to 30 frames a second while it shows more than
 * one video layer and nobody is typing or pointing ("video conference mode"
 * in its compositor). A lesson shows the other person, our own camera and
 * often a screen; on the board that halved the frame rate at which the
 * student sees the tutor's ink arrive. Secondary tiles painted this way are
 * ordinary canvas layers, so the page keeps its full frame rate, and the
 * painting itself happens off the main thread.
 */
export class TrackCanvas {
  private readonly worker: Worker
  private readonly resizeObserver: ResizeObserver
  private trackId = ''

  constructor(
    canvas: HTMLCanvasElement,
    /** The picture's size and the frames painted so far: at the first frame, on a size change and twice a second. */
    onPainted: (report: FromFrameWorker) => void,
    background: string,
  ) {
    this.worker = new Worker(new URL('./frameCanvasWorker.ts', import.meta.url), { type: 'module' })
    this.worker.onmessage = (event: MessageEvent<unknown>) => {
      if (isPaintedMessage(event.data)) onPainted(event.data)
    }
    const offscreen = canvas.transferControlToOffscreen()
    this.post({ type: 'canvas', canvas: offscreen, background, maxFps: SECONDARY_TILE_FPS }, [offscreen])
    this.resizeObserver = new ResizeObserver(() => {
      const dpr = window.devicePixelRatio || 1
      this.post({ type: 'size', width: canvas.clientWidth * dpr, height: canvas.clientHeight * dpr })
    })
    this.resizeObserver.observe(canvas)
  }

  /** Shows this track's frames (null: no picture; the canvas is cleared). */
  setTrack(track: MediaStreamTrack | null): void {
    const id = track && track.readyState === 'live' ? track.id : ''
    if (id === this.trackId) return
    this.trackId = id
    const Processor = trackProcessorClass()
    if (!track || !id || !Processor) {
      this.post({ type: 'frames', frames: null })
      return
    }
    // A small queue: a busy worker skips to the newest frame instead of falling behind.
    const frames = new Processor({ track, maxBufferSize: 2 }).readable
    this.post({ type: 'frames', frames }, [frames as unknown as Transferable])
  }

  destroy(): void {
    this.resizeObserver.disconnect()
    this.post({ type: 'frames', frames: null })
    this.worker.terminate()
  }

  private post(msg: ToFrameWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer)
  }
}
