/**
 * How the camera bends on a weak link: a ladder of picture sizes and frame
 * rates. The camera steps down when what it sends shows the current rung
 * cannot be held (frames dropped for lack of bits, or heavy loss) to the rung
 * the bandwidth estimate can carry, and climbs back one rung at a time when
 * the link has stayed good a while. Pure: fed with what getStats says about
 * our sending, it answers with the rung to send.
 *
 * Why our own ladder: left alone, the encoder keeps aiming at 720p while the
 * estimate collapses (Chromium's loss-based estimate sinks to ~150 kbit/s on
 * a link that loses 20 % of its packets), and the picture stutters at 2-5 fps
 * or its size jumps about. Each rung says both size and frame rate, so the
 * picture gets smaller and calmer in steps a person can follow.
 *
 * Why not step by the estimate alone: while the camera sends less than the
 * link could carry, the estimate only follows what is sent (Chromium does not
 * probe far above an application-limited rate), so a low estimate does not
 * by itself mean the link is weak.
 */
export interface CameraRung {
  /** Label for people and logs: the picture height for a 720p camera, and the frame rate. */
  name: string
  /** scaleResolutionDownBy for a 1280x720 source. */
  scale: number
  maxFramerate: number
  /** The encoder's cap on this rung: room above the next rung up's need, so the estimate can grow enough to climb back. */
  maxBitrateBps: number
  /** Video bandwidth (kbit/s) this rung needs to look right. */
  needKbps: number
}

export const CAMERA_RUNGS: readonly CameraRung[] = [
  { name: '720p30', scale: 1, maxFramerate: 30, maxBitrateBps: 2_500_000, needKbps: 1100 },
  { name: '540p30', scale: 4 / 3, maxFramerate: 30, maxBitrateBps: 1_600_000, needKbps: 650 },
  { name: '360p24', scale: 2, maxFramerate: 24, maxBitrateBps: 1_000_000, needKbps: 350 },
  { name: '360p15', scale: 2, maxFramerate: 15, maxBitrateBps: 600_000, needKbps: 170 },
  { name: '360p10', scale: 2, maxFramerate: 10, maxBitrateBps: 400_000, needKbps: 100 },
  { name: '270p10', scale: 8 / 3, maxFramerate: 10, maxBitrateBps: 250_000, needKbps: 60 },
  { name: '180p8', scale: 4, maxFramerate: 8, maxBitrateBps: 150_000, needKbps: 0 },
]

/** What getStats says about our camera's sending, about once a second. */
export interface SendSample {
  /** ms, any monotonic clock. */
  at: number
  /** availableOutgoingBitrate of the selected candidate pair, kbit/s. */
  bweKbps: number | null
  /** Loss the other side reports for our camera (remote-inbound-rtp fractionLost), percent. */
  lossPct: number | null
  /** Frames a second the encoder sends (outbound-rtp framesPerSecond). */
  sentFps: number | null
  /** Frames a second the camera delivers (media-source framesPerSecond). */
  sourceFps: number | null
}

/** Kept for audio (Opus with RED, headers) before the camera gets its share of the estimate. */
export const AUDIO_RESERVE_KBPS = 80
/** Sending fewer than this share of the frames the rung allows means the encoder is dropping them for lack of bits. */
const STARVED_FPS_SHARE = 0.6
/** Starved this long before we step down (one bad second is not a trend). */
const DOWN_HOLD_MS = 1500
/** Healthy this long on a rung before we try the next one up... */
const UP_HOLD_MS = 6000
/** ...and no sooner than this after stepping down; doubled after each climb that had to come back down, up to UP_BACKOFF_MAX_MS. */
const UP_BACKOFF_MS = 10_000
const UP_BACKOFF_MAX_MS = 80_000
/** A step down this soon after a climb means the climb failed. */
const FAILED_CLIMB_MS = 15_000
/** Climbing needs an estimate at least this share of the next rung's need (the estimate trails what is sent, see above). */
const UP_BWE_SHARE = 0.8
/** Loss at or above this caps the rung (each frame is fewer packets, so fewer frames wait for a retransmission). */
const LOSS_CAPS: readonly { lossPct: number; rung: number }[] = [
  { lossPct: 30, rung: 4 },
  { lossPct: 8, rung: 2 },
]
/**
 * From this loss on, the camera keeps the size the loss cap gives it (360
 * lines) and only its frame rate gives way: a step in resolution makes the
 * encoder start again from a key frame, several packets that at this loss
 * take seconds to arrive whole. In the network lab (20 % loss, 150 ms RTT)
 * the longest freezes came right after steps between 360p, 270p and 180p
 * (tests/netlab/freezes.ts, docs/bench-history.md).
 */
const KEEP_SIZE_FROM_LOSS_PCT = 8
/** Smoothing of the reported loss (RTCP reports come about once a second and jump). */
const LOSS_SMOOTHING = 0.3

export class CameraLadder {
  private rung = 0
  private lossPct: number | null = null
  private starvedSince: number | null = null
  private healthySince: number | null = null
  private lastDownAt = -Infinity
  private lastUpAt = -Infinity
  private backoffMs = UP_BACKOFF_MS

  constructor(private readonly rungs: readonly CameraRung[] = CAMERA_RUNGS) {}

  get current(): CameraRung {
    return this.rungs[this.rung]!
  }

  get index(): number {
    return this.rung
  }

  /** Feeds one sample; returns the rung to send now (the same object while nothing changes). */
  observe(sample: SendSample): CameraRung {
    if (sample.lossPct !== null) this.lossPct = this.lossPct === null ? sample.lossPct : this.lossPct + LOSS_SMOOTHING * (sample.lossPct - this.lossPct)
    const lossCap = LOSS_CAPS.find((c) => (this.lossPct ?? 0) >= c.lossPct)?.rung ?? 0
    const budget = sample.bweKbps === null ? null : sample.bweKbps - AUDIO_RESERVE_KBPS
    if (lossCap > this.rung) return this.stepTo(lossCap, sample.at)

    const expectedFps = Math.min(this.current.maxFramerate, sample.sourceFps ?? this.current.maxFramerate)
    const starved = sample.sentFps !== null && expectedFps > 0 && sample.sentFps < expectedFps * STARVED_FPS_SHARE
    if (starved) {
      this.healthySince = null
      this.starvedSince ??= sample.at
      if (sample.at - this.starvedSince < DOWN_HOLD_MS) return this.current
      // Down to what the estimate carries, and at least one rung; on a lossy link no smaller than it is.
      const fitting = budget === null ? -1 : this.rungs.findIndex((r) => r.needKbps <= budget)
      const wanted = Math.max(this.rung + 1, fitting, lossCap)
      return this.stepTo(Math.min(wanted, Math.max(this.rung, this.lowestSameSize())), sample.at)
    }
    this.starvedSince = null
    const up = this.rung - 1
    const climbable = up >= lossCap && up >= 0 && (budget === null || budget >= this.rungs[up]!.needKbps * UP_BWE_SHARE)
    if (!climbable || sample.sentFps === null) {
      this.healthySince = null
      return this.current
    }
    this.healthySince ??= sample.at
    if (sample.at - this.healthySince >= UP_HOLD_MS && sample.at - this.lastDownAt >= this.backoffMs) return this.stepTo(up, sample.at)
    return this.current
  }

  /** The lowest rung the camera may step down to: on a lossy link, the last one of its present size. */
  private lowestSameSize(): number {
    if ((this.lossPct ?? 0) < KEEP_SIZE_FROM_LOSS_PCT) return this.rungs.length - 1
    let last = this.rung
    while (last + 1 < this.rungs.length && this.rungs[last + 1]!.scale === this.current.scale) last += 1
    return last
  }

  private stepTo(index: number, at: number): CameraRung {
    const target = Math.min(this.rungs.length - 1, Math.max(0, index))
    if (target === this.rung) return this.current
    if (target > this.rung) {
      // A climb that had to come back down soon waits twice as long next time.
      this.backoffMs = at - this.lastUpAt < FAILED_CLIMB_MS ? Math.min(UP_BACKOFF_MAX_MS, this.backoffMs * 2) : UP_BACKOFF_MS
      this.lastDownAt = at
    } else {
      this.lastUpAt = at
    }
    this.rung = target
    this.starvedSince = null
    this.healthySince = null
    return this.current
  }
}
