import type { RedTransformOptions } from './audioRedundancyWorker'

/** Earlier Opus frames each of our voice packets carries (Chromium's own RED: one). */
export const RED_DEPTH = 2

/**
 * Puts the deeper-redundancy transform (audioRedundancy.ts) on the voice's
 * sender: one worker for the engine, one transform per sender. It must be
 * set when the transceiver is made, before our description is: Chromium
 * (156) never feeds frames to a transform set on a sender that is already
 * negotiated. Browsers without RTCRtpScriptTransform keep the browser's own
 * RED; a call that did not negotiate RED passes through unchanged.
 */
export class RedTransforms {
  private worker: Worker | null = null

  attach(sender: RTCRtpSender): void {
    if (typeof RTCRtpScriptTransform === 'undefined' || sender.transform) return
    try {
      this.worker ??= new Worker(new URL('./audioRedundancyWorker.ts', import.meta.url), { type: 'module' })
      const options: RedTransformOptions = { depth: RED_DEPTH }
      sender.transform = new RTCRtpScriptTransform(this.worker, options)
    } catch (error) {
      console.debug('[duet] audio redundancy transform not applied', error)
    }
  }

  close(): void {
    this.worker?.terminate()
    this.worker = null
  }
}
