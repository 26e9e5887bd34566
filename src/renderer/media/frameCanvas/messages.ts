/** Page → frame worker. */
export type ToFrameWorker =
  | { type: 'canvas'; canvas: OffscreenCanvas; background: string }
  /** The canvas box in device pixels. */
  | { type: 'size'; width: number; height: number }
  /** Frames of the track to show now; null shows nothing new. */
  | { type: 'frames'; frames: ReadableStream<VideoFrame> | null }

/**
 * Frame worker → page: the picture's size and the frames painted so far, at
 * the first frame, whenever the size changes and at most twice a second.
 */
export interface FromFrameWorker {
  type: 'painted'
  width: number
  height: number
  frames: number
}
