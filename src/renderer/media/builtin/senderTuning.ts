import type { CameraScale } from '../cameraScale'
import { CAMERA_MAX_BITRATE_BPS, HD_VIDEO, SCREEN_MAX_BITRATE_BPS, SCREEN_MAX_FPS } from '../constraints'
import type { CameraRung } from './cameraLadder'

const SMALL_CAMERA_MIN_BITRATE_BPS = 300_000

/** The sender settings the engine manages; absent fields are left as they are. */
export interface SenderSettings {
  maxBitrate?: number
  maxFramerate?: number
  scaleResolutionDownBy?: number
  /** false pauses the encoder; turning it back on starts with a key frame. */
  active?: boolean
  /** Share of the bandwidth and network priority against the other senders. */
  priority?: RTCPriorityType
  degradationPreference?: 'maintain-resolution' | 'maintain-framerate' | 'balanced'
  /** Temporal layers (L1T2), see CAMERA_SCALABILITY_MODE. */
  scalabilityMode?: string
  /** The codec to send with, by mimeType, if both sides negotiated it (see cameraCodecFor); switched without renegotiating. */
  codec?: string
}

/**
 * The camera: as large as the other person shows it (`scale`, see
 * cameraScaleFor) but no larger than the rung the link can hold (`rung`, see
 * CameraLadder); resolution and frame rate both give way (balanced), so the
 * picture gets smaller and calmer instead of freezing. Without a rung (the
 * engine's tuning off... or before the first stats) it is the full HD picture.
 */
export function cameraSettings(scale: CameraScale, rung: CameraRung | null): SenderSettings {
  // A quarter of the pixels needs about a quarter of the bits; a small floor keeps a tiny picture clean.
  const forTile = Math.max(SMALL_CAMERA_MIN_BITRATE_BPS, Math.round(CAMERA_MAX_BITRATE_BPS / (scale * scale)))
  if (!rung) return { maxBitrate: forTile, maxFramerate: HD_VIDEO.frameRate, scaleResolutionDownBy: scale, degradationPreference: 'balanced' }
  return {
    maxBitrate: Math.min(forTile, rung.maxBitrateBps),
    maxFramerate: rung.maxFramerate,
    scaleResolutionDownBy: Math.max(scale, rung.scale),
    // The rung sets the size; within it, frames give way (the ladder steps down when they must).
    degradationPreference: 'maintain-resolution',
    scalabilityMode: CAMERA_SCALABILITY_MODE,
    codec: cameraCodecFor(rung),
  }
}

/**
 * VP9 on the ladder's small rungs (360 lines and below: a weak link), VP8
 * above. At the few tens of kbit/s Chromium's estimate leaves the camera on
 * a lossy link, VP9 draws the picture in fewer bits, so its encoder drops
 * fewer frames and each frame is fewer packets to lose: in the network lab
 * `4g-edge` froze less than half as much (docs/bench-history.md,
 * 2026-12-07). Chromium still protects VP9 with ULPFEC and sends it in two
 * temporal layers. Not AV1, though smaller still: Chromium sends no ULPFEC
 * with it while NACK is on, and it froze more. The large rungs keep VP8, on
 * which HD's start and the clean-link figures were measured; VP9 there cost
 * no more CPU in one lesson and brought the chat nothing, so it was left.
 */
export function cameraCodecFor(rung: CameraRung): string {
  return rung.scale >= 2 ? 'video/VP9' : 'video/VP8'
}

/**
 * Two temporal layers: every other frame of the camera is referenced by no
 * other, so a lost packet in it costs that one frame instead of holding up
 * every frame after it until its retransmission arrives. On a lossy link with
 * a long round trip, retransmissions that are themselves lost are what
 * freezes the picture most (the lab's freeze diagnosis, tests/netlab/
 * freezes.ts). Not three layers: at the 7-10 frames a second such a link
 * carries, a lost frame of the upper layers skipped up to three frames, a
 * freeze of its own (docs/bench-history.md).
 */
export const CAMERA_SCALABILITY_MODE = 'L1T2'

/**
 * Screen content: full resolution always (small text must stay readable),
 * frame rate is what gives way; a slide or a worksheet needs few frames.
 */
export function screenSettings(maxFramerate: number = SCREEN_MAX_FPS): SenderSettings {
  return { maxBitrate: SCREEN_MAX_BITRATE_BPS, maxFramerate: Math.min(SCREEN_MAX_FPS, maxFramerate), scaleResolutionDownBy: 1, degradationPreference: 'maintain-resolution' }
}

/** Voice first: when bandwidth is short, audio keeps its bits and the video gives way. */
export const AUDIO_SETTINGS: SenderSettings = { priority: 'high' }

/** Only the size: what the camera gets when the engine's tuning is off. */
export function plainCameraSettings(scale: CameraScale): SenderSettings {
  return { scaleResolutionDownBy: scale }
}

/** Applies the settings that differ from the sender's current ones; resolves false if the browser refused them. */
export async function applySenderSettings(sender: RTCRtpSender, settings: SenderSettings): Promise<boolean> {
  const params = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: string }
  if (!params.encodings || params.encodings.length === 0) return true
  let changed = false
  for (const encoding of params.encodings as (RTCRtpEncodingParameters & { priority?: RTCPriorityType; networkPriority?: RTCPriorityType; scalabilityMode?: string; codec?: RTCRtpCodec })[]) {
    const set = <K extends keyof typeof encoding>(key: K, value: (typeof encoding)[K] | undefined) => {
      if (value === undefined || encoding[key] === value) return
      encoding[key] = value
      changed = true
    }
    set('maxBitrate', settings.maxBitrate)
    set('maxFramerate', settings.maxFramerate)
    set('scaleResolutionDownBy', settings.scaleResolutionDownBy)
    set('active', settings.active)
    set('priority', settings.priority)
    set('networkPriority', settings.priority)
    set('scalabilityMode', settings.scalabilityMode)
    const codec = settings.codec === undefined ? undefined : negotiated(params, settings.codec)
    // Compared by mimeType: the sender reports no codec until one is chosen (it sends the first negotiated one).
    if (codec && (encoding.codec ?? params.codecs?.[0])?.mimeType.toLowerCase() !== codec.mimeType.toLowerCase()) {
      encoding.codec = codec
      changed = true
    }
  }
  if (settings.degradationPreference && params.degradationPreference !== settings.degradationPreference) {
    params.degradationPreference = settings.degradationPreference
    changed = true
  }
  if (!changed) return true
  try {
    await sender.setParameters(params)
    return true
  } catch (error) {
    // A browser that cannot choose a codec per encoding, or a codec without temporal layers, refuses the
    // whole change: the rest still matters more (the codec is given up first, then the layers).
    if (settings.codec !== undefined) return applySenderSettings(sender, { ...settings, codec: undefined })
    if (settings.scalabilityMode !== undefined) return applySenderSettings(sender, { ...settings, scalabilityMode: undefined })
    console.debug('[duet] sender settings not applied', error)
    return false
  }
}

/** The negotiated codec with this mimeType (the first, e.g. VP9 profile 0), as an encoding names it; undefined if the other side did not offer it. */
function negotiated(params: RTCRtpSendParameters, mimeType: string): RTCRtpCodec | undefined {
  const found = (params.codecs ?? []).find((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase())
  if (!found) return undefined
  const { clockRate, channels, sdpFmtpLine } = found
  return { mimeType: found.mimeType, clockRate, ...(channels !== undefined && { channels }), ...(sdpFmtpLine !== undefined && { sdpFmtpLine }) }
}
