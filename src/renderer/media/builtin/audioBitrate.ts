/**
 * The voice's bitrate cap, from the bandwidth estimate. Chromium splits its
 * estimate between the microphone and the camera before the camera's FEC and
 * retransmissions take their share; the microphone, at high priority, takes
 * its full Opus rate (32 kbit/s plus packet overhead) first. When the
 * estimate is low (Chromium's loss-based estimate sinks to ~90-200 kbit/s at
 * 20 % random loss, however much the link carries), that leaves the camera
 * so little that the encoder sits at its 30 kbit/s floor and libwebrtc turns
 * the camera's FEC off (`VCMNackFecMethod::BitRateTooLowForFec`: fewer than
 * ~700 bytes per base-layer frame at 360p); in the network lab the freezes
 * of a `4g-edge` lesson fell in exactly those seconds (docs/bench-history.md).
 * Capping Opus at 16 kbit/s then gives the camera the difference; speech
 * stays clear at that rate, and the voice's redundancy (RED, in-band FEC)
 * is untouched. Pure: fed the estimate about once a second.
 */
/** Chromium's own Opus rate for a mono voice: what the microphone sends on a good link. */
export const AUDIO_FULL_BITRATE_BPS = 32_000
/** Wideband speech, still clear; ~16 kbit/s more of a low estimate for the camera. */
export const AUDIO_LEAN_BITRATE_BPS = 16_000
/** Below this estimate the voice goes lean at once... */
const LEAN_BELOW_KBPS = 300
/** ...and back to full only after the estimate has stayed at or above this for FULL_AFTER_MS. */
const FULL_FROM_KBPS = 450
const FULL_AFTER_MS = 5000

export class AudioBitrate {
  private bps = AUDIO_FULL_BITRATE_BPS
  private highSince: number | null = null

  get current(): number {
    return this.bps
  }

  /** Feeds one estimate (kbit/s, null when there is none yet); returns the cap to send at now. */
  observe(sample: { at: number; bweKbps: number | null }): number {
    const { at, bweKbps } = sample
    if (bweKbps === null) return this.bps
    if (bweKbps < LEAN_BELOW_KBPS) {
      this.bps = AUDIO_LEAN_BITRATE_BPS
      this.highSince = null
    } else if (bweKbps >= FULL_FROM_KBPS && this.bps !== AUDIO_FULL_BITRATE_BPS) {
      this.highSince ??= at
      if (at - this.highSince >= FULL_AFTER_MS) {
        this.bps = AUDIO_FULL_BITRATE_BPS
        this.highSince = null
      }
    } else {
      this.highSince = null
    }
    return this.bps
  }
}
