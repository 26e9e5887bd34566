import { trackProcessorClass, type TrackProcessorClass } from './frameCanvas/trackProcessor'

/** How long to wait for a camera's first frame before giving it the benefit of the doubt. */
const FIRST_FRAME_MS = 2000

/**
 * Whether a camera's picture can be sent in a call. Depth and infrared
 * cameras (a RealSense, a laptop's face-login camera) open like any other
 * camera, but their 16-bit frames have no pixel format a video encoder
 * takes: the other side would get a black stage with "Good connection".
 * Their frames report no format (`VideoFrame.format` is null), so one frame
 * read from a clone of the track tells. Where the browser has no
 * MediaStreamTrackProcessor, or no frame comes in time, the camera counts
 * as sendable (the receiver's "no picture is arriving" covers the rest).
 */
export async function cameraCanBeSent(track: MediaStreamTrack, Processor: TrackProcessorClass | null = trackProcessorClass()): Promise<boolean> {
  if (!Processor || track.kind !== 'video' || track.readyState !== 'live') return true
  const probe = track.clone()
  const reader = new Processor({ track: probe, maxBufferSize: 1 }).readable.getReader()
  let timer: ReturnType<typeof setTimeout> | null = null
  try {
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), FIRST_FRAME_MS)))
    const first = await Promise.race([reader.read().then((r) => r.value ?? null), timeout])
    if (!first) return true
    const sendable = first.format !== null
    first.close()
    return sendable
  } catch {
    return true
  } finally {
    if (timer) clearTimeout(timer)
    void reader.cancel().catch(() => {})
    probe.stop()
  }
}
