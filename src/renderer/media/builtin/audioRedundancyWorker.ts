// The microphone's encoded transform (RTCRtpScriptTransform): every RED
// payload leaves with the two previous Opus frames in it (see
// audioRedundancy.ts for why). One RedDeepener per sender, as frames come.
import { RedDeepener } from './audioRedundancy'

/** The options the engine passes to `new RTCRtpScriptTransform(worker, options)`. */
export interface RedTransformOptions {
  /** Earlier frames each packet carries. */
  depth: number
}

/** The parts of the worker-side encoded transform API used here (the renderer's TypeScript lib is the page's, not a worker's). */
interface EncodedAudioFrame {
  data: ArrayBuffer
  getMetadata(): { mimeType?: string; rtpTimestamp?: number }
}
interface TransformEvent extends Event {
  transformer: { readable: ReadableStream<EncodedAudioFrame>; writable: WritableStream<EncodedAudioFrame>; options?: Partial<RedTransformOptions> }
}

self.addEventListener('rtctransform', (event) => {
  const { transformer } = event as TransformEvent
  const deepener = new RedDeepener(transformer.options?.depth ?? 2)
  const rewrite = new TransformStream<EncodedAudioFrame, EncodedAudioFrame>({
    transform(frame, controller) {
      const meta = frame.getMetadata()
      // Plain Opus (a call that did not negotiate RED) goes out as it is.
      if (meta.mimeType?.toLowerCase() === 'audio/red' && meta.rtpTimestamp !== undefined) {
        const payload = new Uint8Array(frame.data)
        const out = deepener.next(payload, meta.rtpTimestamp)
        if (out !== payload) frame.data = out.slice().buffer
      }
      controller.enqueue(frame)
    },
  })
  // A failed pipe (the sender went away) only ends this sender's rewriting.
  transformer.readable.pipeThrough(rewrite).pipeTo(transformer.writable).catch(() => {})
})
