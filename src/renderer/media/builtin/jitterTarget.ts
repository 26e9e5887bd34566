/**
 * How long the receiver holds video frames before showing them, on a lossy
 * link with a long round trip. A lost packet costs one round trip to
 * retransmit, and a lost retransmission another; with the default (as short
 * as the jitter allows) every frame that needs a second try freezes the
 * picture. Holding frames about 2.5 round trips gives most of them time to
 * arrive, for a steady picture a few hundred ms later. The voice is not held:
 * Duet's tracks are not in one stream, so the browser does not delay audio
 * to keep lip sync.
 *
 * In the network lab (20 % loss, 150 ms RTT; A/B in one run, see
 * docs/bench-history.md) this took the receiver's freezes from 7-11 % of the
 * time to 0-3 %.
 */
export interface ReceiveSample {
  at: number
  /** Loss of the incoming camera video over the last interval, percent (null: unknown). */
  lossPct: number | null
  rttMs: number | null
}

/** Loss from which frames are held, and below which they are let go again. */
const HOLD_FROM_LOSS_PCT = 3
const RELEASE_BELOW_LOSS_PCT = 1
/** Below this round trip a retransmission is quick enough without holding. */
const MIN_RTT_MS = 60
/** Lossy this long before holding; clean this long before letting go. */
const HOLD_AFTER_MS = 2000
const RELEASE_AFTER_MS = 15_000
const ROUND_TRIPS = 2.5
const MAX_TARGET_MS = 700
/** Changes smaller than this are not worth re-applying. */
const STEP_MS = 50

export class JitterTarget {
  private targetMs = 0
  private lossySince: number | null = null
  private cleanSince: number | null = null

  /** The video jitter buffer target now, ms (0: the browser's default). */
  get current(): number {
    return this.targetMs
  }

  observe(sample: ReceiveSample): number {
    const lossy = sample.lossPct !== null && sample.lossPct >= HOLD_FROM_LOSS_PCT && (sample.rttMs ?? 0) >= MIN_RTT_MS
    const clean = sample.lossPct !== null && sample.lossPct < RELEASE_BELOW_LOSS_PCT
    if (lossy) {
      this.cleanSince = null
      this.lossySince ??= sample.at
      if (sample.at - this.lossySince >= HOLD_AFTER_MS) {
        const wanted = Math.min(MAX_TARGET_MS, Math.round((ROUND_TRIPS * (sample.rttMs ?? 0)) / STEP_MS) * STEP_MS)
        // Grows at once; shrinks only when the link is clean again (a round trip that dips is no reason to freeze).
        if (wanted > this.targetMs) this.targetMs = wanted
      }
    } else {
      this.lossySince = null
      if (clean) {
        this.cleanSince ??= sample.at
        if (sample.at - this.cleanSince >= RELEASE_AFTER_MS) this.targetMs = 0
      } else {
        this.cleanSince = null
      }
    }
    return this.targetMs
  }
}

/** Sets the video receivers' jitter buffer target (ms; 0 gives the choice back to the browser), where the browser has one. */
export function setVideoJitterTarget(pc: RTCPeerConnection, ms: number): void {
  for (const transceiver of pc.getTransceivers()) {
    const receiver = transceiver.receiver as RTCRtpReceiver & { jitterBufferTarget?: number | null }
    if (receiver.track.kind === 'video' && 'jitterBufferTarget' in receiver) receiver.jitterBufferTarget = ms === 0 ? null : ms
  }
}
