import type { LinkReport } from '../../../shared/lesson/signaling'
import { rateQuality } from '../stats'
import { AudioBitrate } from './audioBitrate'
import { CameraLadder, AUDIO_RESERVE_KBPS, type CameraRung } from './cameraLadder'
import { JitterTarget } from './jitterTarget'
import { PathWatch, type PathEvent } from './pathWatch'

type StatsRecord = Record<string, unknown> & { type: string; id?: string }

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null)

/** Our sending as the other side reports it: what the room shows as "your link". */
export interface UplinkFigures {
  /** availableOutgoingBitrate, kbit/s. */
  bweKbps: number | null
  /** Loss the other side reports for our media (camera, else microphone), percent. */
  lossPct: number | null
  rttMs: number | null
}

/** What to do after one getStats report. */
export interface TunerDecision {
  path: PathEvent | null
  /** Send the camera at this rung (present only when it changed). */
  cameraRung: CameraRung | null
  /** Cap the shared screen at this frame rate (present only when it changed). */
  screenFps: number | null
  /** Hold incoming video this long, ms; 0 = the browser's default (present only when it changed). */
  videoJitterTargetMs: number | null
  /** Cap the microphone's bitrate at this, bit/s (present only when it changed). */
  audioMaxBitrateBps: number | null
  uplink: UplinkFigures
}

/** A shared screen keeps its full resolution and gives up frame rate: this many frames a second for this much video budget. */
const SCREEN_FPS_STEPS: readonly { minKbps: number; fps: number }[] = [
  { minKbps: 1200, fps: 15 },
  { minKbps: 600, fps: 10 },
  { minKbps: 300, fps: 5 },
  { minKbps: 0, fps: 2 },
]
/** The camera ladder moves on samples this far apart (RTCP loss reports come about once a second). */
const LADDER_EVERY_MS = 1000
/** After the path comes back the encoder restarts from a key frame and the estimate from scratch: the ladder lets it settle this long. */
const SETTLE_AFTER_BACK_MS = 3000

/**
 * The built-in engine's weak-network tuning, as decisions from getStats
 * reports: whether the path died or came back (PathWatch), which rung the
 * camera should send (CameraLadder), how many frames a shared screen gets.
 * The engine applies them; this class touches no WebRTC object, so tests
 * feed it recorded reports.
 */
export class NetworkTuner {
  private readonly path = new PathWatch()
  private readonly ladder = new CameraLadder()
  private lastLadderAt = -Infinity
  private ladderFrom = -Infinity
  private screenFps: number | null = null
  private readonly jitter = new JitterTarget()
  private readonly audio = new AudioBitrate()
  /** Incoming camera packets at the last ladder step, for the loss over the interval. */
  private inbound: { lost: number; received: number } | null = null

  get cameraRung(): CameraRung {
    return this.ladder.current
  }

  get audioMaxBitrateBps(): number {
    return this.audio.current
  }

  get pathDead(): boolean {
    return this.path.isDead
  }

  /** Whether the camera is sent smaller or slower than the full picture because of the link. */
  get videoLowered(): boolean {
    return this.ladder.index > 0
  }

  onReport(report: Iterable<StatsRecord>, cameraMid: string | null): TunerDecision {
    const view = readReport(report, cameraMid)
    const { pair, transport, uplink, camera, inbound } = view
    const at = num(pair?.timestamp) ?? num(transport?.timestamp) ?? Date.now()
    const decision: TunerDecision = { path: null, cameraRung: null, screenFps: null, videoJitterTargetMs: null, audioMaxBitrateBps: null, uplink }
    const packetsReceived = num(transport?.packetsReceived) ?? num(pair?.packetsReceived)
    if (packetsReceived !== null) {
      decision.path = this.path.observe({ at, packetsReceived, iceState: (transport?.iceState as RTCIceConnectionState | undefined) ?? 'connected' })
    }
    if (decision.path === 'back') this.ladderFrom = at + SETTLE_AFTER_BACK_MS
    // While the path is dead the estimate means nothing; the ladder waits for it to come back, and settle.
    if (this.path.isDead || at < this.ladderFrom || at - this.lastLadderAt < LADDER_EVERY_MS) return decision
    this.lastLadderAt = at
    const before = this.ladder.current
    const rung = this.ladder.observe({ at, bweKbps: uplink.bweKbps, lossPct: uplink.lossPct, sentFps: camera.sentFps, sourceFps: camera.sourceFps })
    if (rung !== before) decision.cameraRung = rung
    const jitterBefore = this.jitter.current
    const jitter = this.jitter.observe({ at, lossPct: this.inboundLossPct(inbound), rttMs: uplink.rttMs })
    if (jitter !== jitterBefore) decision.videoJitterTargetMs = jitter
    const audioBefore = this.audio.current
    const audio = this.audio.observe({ at, bweKbps: uplink.bweKbps })
    if (audio !== audioBefore) decision.audioMaxBitrateBps = audio
    if (uplink.bweKbps !== null) {
      const budget = uplink.bweKbps - AUDIO_RESERVE_KBPS
      const fps = SCREEN_FPS_STEPS.find((s) => budget >= s.minKbps)?.fps ?? 2
      if (fps !== this.screenFps) decision.screenFps = this.screenFps = fps
    }
    return decision
  }

  /** Loss of the incoming camera video since the last ladder step, percent. */
  private inboundLossPct(now: { lost: number; received: number } | null): number | null {
    const before = this.inbound
    this.inbound = now
    if (!now || !before) return null
    const lost = now.lost - before.lost
    const received = now.received - before.received
    return lost + received > 0 ? (Math.max(0, lost) / (Math.max(0, lost) + Math.max(0, received))) * 100 : null
  }
}

interface ReportView {
  pair: StatsRecord | undefined
  transport: StatsRecord | undefined
  uplink: UplinkFigures
  /** Our camera's sending; nulls while no camera track is sent. */
  camera: { sentFps: number | null; sourceFps: number | null }
  /** The other person's camera as it arrives (cumulative packets). */
  inbound: { lost: number; received: number } | null
}

function readReport(report: Iterable<StatsRecord>, cameraMid: string | null): ReportView {
  const stats = [...report]
  const byId = new Map(stats.filter((s) => typeof s.id === 'string').map((s) => [s.id as string, s]))
  const transport = stats.find((s) => s.type === 'transport' && typeof s.selectedCandidatePairId === 'string')
  const pair =
    (transport ? byId.get(transport.selectedCandidatePairId as string) : undefined) ??
    stats.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded')
  const outbound = stats.find((s) => s.type === 'outbound-rtp' && s.kind === 'video' && (cameraMid === null || s.mid === cameraMid))
  const source = typeof outbound?.mediaSourceId === 'string' ? byId.get(outbound.mediaSourceId) : undefined
  const incoming = stats.find((s) => s.type === 'inbound-rtp' && s.kind === 'video' && (cameraMid === null || s.mid === cameraMid))
  return {
    pair,
    transport,
    uplink: {
      bweKbps: pair ? round(num(pair.availableOutgoingBitrate), 1000) : null,
      lossPct: sentLossPct(stats, byId, cameraMid),
      rttMs: pair ? round(num(pair.currentRoundTripTime), 0.001) : null,
    },
    camera: source ? { sentFps: num(outbound?.framesPerSecond) ?? 0, sourceFps: num(source.framesPerSecond) } : { sentFps: null, sourceFps: null },
    inbound: incoming ? { lost: num(incoming.packetsLost) ?? 0, received: num(incoming.packetsReceived) ?? 0 } : null,
  }
}

/** This person's own link for the room and the other person (see LinkReportSchema); `videoLowered` from the tuner (false when tuning is off). */
export function linkReport(report: Iterable<StatsRecord>, cameraMid: string | null, videoLowered: boolean): LinkReport {
  const { uplink } = readReport(report, cameraMid)
  const measured = rateQuality(uplink.rttMs, uplink.lossPct)
  // A picture sent smaller because of the link is never a "good" link.
  const quality = videoLowered && measured === 'good' ? 'fair' : measured
  return { quality, lossPct: uplink.lossPct, rttMs: uplink.rttMs, sendKbps: uplink.bweKbps, action: videoLowered ? 'video-lowered' : 'none' }
}

function round(value: number | null, per: number): number | null {
  return value === null ? null : Math.round(value / per)
}

/** fractionLost the other side reports for our camera (else our microphone), in percent. */
function sentLossPct(stats: StatsRecord[], byId: Map<string, StatsRecord>, cameraMid: string | null): number | null {
  let audio: number | null = null
  for (const s of stats) {
    if (s.type !== 'remote-inbound-rtp') continue
    const fraction = num(s.fractionLost)
    if (fraction === null) continue
    const local = typeof s.localId === 'string' ? byId.get(s.localId) : undefined
    if (s.kind === 'video' && (cameraMid === null || local?.mid === cameraMid)) return Math.round(fraction * 1000) / 10
    if (s.kind === 'audio' && audio === null) audio = Math.round(fraction * 1000) / 10
  }
  return audio
}
