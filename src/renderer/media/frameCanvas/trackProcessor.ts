/** Chromium's MediaStreamTrackProcessor (not in TypeScript's DOM library yet): a track's frames as a stream of VideoFrames. */
export interface TrackProcessor {
  readonly readable: ReadableStream<VideoFrame>
}
export type TrackProcessorClass = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => TrackProcessor

/** The browser's MediaStreamTrackProcessor, or null where there is none (Firefox, Safari). */
export function trackProcessorClass(): TrackProcessorClass | null {
  const ctor = (globalThis as { MediaStreamTrackProcessor?: TrackProcessorClass }).MediaStreamTrackProcessor
  return typeof ctor === 'function' ? ctor : null
}
