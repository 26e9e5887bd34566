/** What the room shows about the connection, read from RTCPeerConnection.getStats(). */
export interface MediaStatsSnapshot {
  at: number
  quality: ConnectionQuality
  rttMs: number | null
  /** Inbound packet loss over the last interval, percent. */
  lossPct: number | null
  videoInKbps: number | null
  audioInKbps: number | null
  videoInWidth: number | null
  videoInHeight: number | null
  videoInFps: number | null
  /** The other person's shared screen as received (null when not sharing). */
  screenInWidth: number | null
  screenInHeight: number | null
  screenInFps: number | null
  /** Cumulative counters, kept to compute the next interval's rates. */
  counters: StatsCounters
}

export type ConnectionQuality = 'good' | 'fair' | 'poor' | 'unknown'

interface StatsCounters {
  videoBytes: number
  audioBytes: number
  packetsLost: number
  packetsReceived: number
}

type StatsRecord = Record<string, unknown> & { type: string }

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null)

/** Thresholds in line with common VoIP guidance (ITU-T G.114 for delay). */
export function rateQuality(rttMs: number | null, lossPct: number | null): ConnectionQuality {
  if (rttMs === null && lossPct === null) return 'unknown'
  const rtt = rttMs ?? 0
  const loss = lossPct ?? 0
  if (rtt < 200 && loss < 2) return 'good'
  if (rtt < 400 && loss < 8) return 'fair'
  return 'poor'
}

/**
 * Reduces a stats report to the room's figures. `previous` is the last
 * snapshot (or null) so bitrates and loss cover the interval between the two.
 */
export function summarizeStats(
  report: Iterable<StatsRecord>,
  now: number,
  previous: MediaStatsSnapshot | null,
  /** mid of the screen-share video, kept apart from the camera's figures. */
  screenMid: string | null = null,
): MediaStatsSnapshot {
  let rttMs: number | null = null
  const counters: StatsCounters = { videoBytes: 0, audioBytes: 0, packetsLost: 0, packetsReceived: 0 }
  let videoInWidth: number | null = null
  let videoInHeight: number | null = null
  let videoInFps: number | null = null
  let screenInWidth: number | null = null
  let screenInHeight: number | null = null
  let screenInFps: number | null = null

  for (const stat of report) {
    if (stat.type === 'candidate-pair' && (stat.nominated === true || stat.selected === true) && stat.state === 'succeeded') {
      const rtt = num(stat.currentRoundTripTime)
      if (rtt !== null) rttMs = Math.round(rtt * 1000)
    } else if (stat.type === 'inbound-rtp') {
      const bytes = num(stat.bytesReceived) ?? 0
      counters.packetsLost += Math.max(0, num(stat.packetsLost) ?? 0)
      counters.packetsReceived += num(stat.packetsReceived) ?? 0
      if (stat.kind === 'video' && screenMid !== null && stat.mid === screenMid) {
        screenInWidth = num(stat.frameWidth)
        screenInHeight = num(stat.frameHeight)
        screenInFps = num(stat.framesPerSecond)
      } else if (stat.kind === 'video') {
        counters.videoBytes += bytes
        videoInWidth = num(stat.frameWidth) ?? videoInWidth
        videoInHeight = num(stat.frameHeight) ?? videoInHeight
        videoInFps = num(stat.framesPerSecond) ?? videoInFps
      } else if (stat.kind === 'audio') {
        counters.audioBytes += bytes
      }
    }
  }

  let lossPct: number | null = null
  let videoInKbps: number | null = null
  let audioInKbps: number | null = null
  if (previous) {
    const seconds = (now - previous.at) / 1000
    const lost = counters.packetsLost - previous.counters.packetsLost
    const received = counters.packetsReceived - previous.counters.packetsReceived
    if (lost + received > 0) lossPct = Math.round((Math.max(0, lost) / (Math.max(0, lost) + Math.max(0, received))) * 1000) / 10
    if (seconds > 0) {
      videoInKbps = Math.max(0, Math.round(((counters.videoBytes - previous.counters.videoBytes) * 8) / seconds / 1000))
      audioInKbps = Math.max(0, Math.round(((counters.audioBytes - previous.counters.audioBytes) * 8) / seconds / 1000))
    }
  }

  return {
    at: now,
    quality: rateQuality(rttMs, lossPct),
    rttMs,
    lossPct,
    videoInKbps,
    audioInKbps,
    videoInWidth,
    videoInHeight,
    videoInFps,
    screenInWidth,
    screenInHeight,
    screenInFps,
    counters,
  }
}
