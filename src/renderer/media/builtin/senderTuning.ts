import type { CameraScale } from '../cameraScale'
import { CAMERA_MAX_BITRATE_BPS, HD_VIDEO, SCREEN_MAX_BITRATE_BPS, SCREEN_MAX_FPS } from '../constraints'

const SMALL_CAMERA_MIN_BITRATE_BPS = 300_000

/**
 * Sets the camera sender up for HD: keep 1280x720 and give up frame rate
 * first when bandwidth is short (a tutor holding a worksheet to the camera
 * needs sharp text more than smooth motion), capped at 2.5 Mbps and 30 fps.
 * `scale` sends it smaller while the other person shows it as a small tile
 * (see cameraScaleFor); the bitrate cap shrinks with the picture.
 */
export function tuneCameraSender(sender: RTCRtpSender, scale: CameraScale = 1): Promise<void> {
  // A quarter of the pixels needs about a quarter of the bits; a small floor keeps a tiny picture clean.
  return tuneSender(sender, Math.max(SMALL_CAMERA_MIN_BITRATE_BPS, Math.round(CAMERA_MAX_BITRATE_BPS / (scale * scale))), HD_VIDEO.frameRate, scale)
}

/**
 * Screen content: full resolution always (small text must stay readable),
 * frame rate is what gives way; a slide or a worksheet needs few frames.
 */
export function tuneScreenSender(sender: RTCRtpSender): Promise<void> {
  return tuneSender(sender, SCREEN_MAX_BITRATE_BPS, SCREEN_MAX_FPS)
}

/** Only the size: what the engine does to the camera when its tuning is off. */
export async function scaleCameraSender(sender: RTCRtpSender, scale: CameraScale): Promise<void> {
  const params = sender.getParameters()
  if (!params.encodings?.length || params.encodings.every((e) => (e.scaleResolutionDownBy ?? 1) === scale)) return
  for (const encoding of params.encodings) encoding.scaleResolutionDownBy = scale
  await sender.setParameters(params).catch((error: unknown) => console.debug('[duet] camera scale not applied', error))
}

async function tuneSender(sender: RTCRtpSender, maxBitrate: number, maxFramerate: number, scale = 1): Promise<void> {
  const params = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: string }
  if (!params.encodings || params.encodings.length === 0) return
  let changed = false
  for (const encoding of params.encodings) {
    if (encoding.maxBitrate !== maxBitrate) {
      encoding.maxBitrate = maxBitrate
      changed = true
    }
    if (encoding.maxFramerate !== maxFramerate) {
      encoding.maxFramerate = maxFramerate
      changed = true
    }
    if (encoding.scaleResolutionDownBy !== scale) {
      encoding.scaleResolutionDownBy = scale
      changed = true
    }
  }
  if (params.degradationPreference !== 'maintain-resolution') {
    params.degradationPreference = 'maintain-resolution'
    changed = true
  }
  if (!changed) return
  try {
    await sender.setParameters(params)
  } catch (error) {
    console.debug('[duet] camera sender tuning not applied', error)
  }
}
