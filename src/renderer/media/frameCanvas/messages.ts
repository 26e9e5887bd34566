/** Page → frame worker. */
export type ToFrameWorker =
  /** The tile's canvas, what fills it around the picture, and at most how many frames a second are painted. */
  | { type: 'canvas'; canvas: OffscreenCanvas; background: string; maxFps: number }
  /** The canvas box in device pixels. */
  | { type: 'size'; width: number; height: number }
  /** Frames of the track to show now; null: no picture (the canvas is cleared). */
  | { type: 'frames'; frames: ReadableStream<VideoFrame> | null }

/**
 * Frame worker → page: the picture's size and the frames painted so far, at
 * the first frame, whenever the size changes and at most twice a second;
 * 0x0 once the picture is gone.
 */
export interface FromFrameWorker {
  type: 'painted'
  width: number
  height: number
  frames: number
}
