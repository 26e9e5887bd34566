import { describe, expect, it } from 'vitest'
import { rateQuality, summarizeStats } from '../../../../src/renderer/media/stats'

type Rec = Record<string, unknown> & { type: string }

/** A trimmed-down Chromium getStats() report as the engine sees it (Map values). */
function report(o: {
  rtt?: number
  videoBytes: number
  audioBytes: number
  videoLost: number
  videoReceived: number
  audioLost: number
  audioReceived: number
  width?: number
  height?: number
  fps?: number
}): Rec[] {
  return [
    { type: 'codec', id: 'COT01_111', mimeType: 'audio/opus', clockRate: 48000 },
    { type: 'transport', id: 'T01', selectedCandidatePairId: 'CPabc', dtlsState: 'connected' },
    // A pair that was tried and abandoned: its RTT must not be used.
    { type: 'candidate-pair', id: 'CPold', state: 'failed', nominated: false, currentRoundTripTime: 2.5 },
    // A pair still checking, nominated flag already set by the controlling side.
    { type: 'candidate-pair', id: 'CPwait', state: 'in-progress', nominated: true, currentRoundTripTime: 1.9 },
    {
      type: 'candidate-pair',
      id: 'CPabc',
      state: 'succeeded',
      nominated: true,
      currentRoundTripTime: o.rtt,
      totalRoundTripTime: 3.2,
      availableOutgoingBitrate: 2_400_000,
    },
    { type: 'local-candidate', id: 'I1', candidateType: 'host', protocol: 'udp' },
    {
      type: 'inbound-rtp',
      id: 'IT01A',
      kind: 'audio',
      ssrc: 1111,
      bytesReceived: o.audioBytes,
      packetsReceived: o.audioReceived,
      packetsLost: o.audioLost,
      jitter: 0.004,
    },
    {
      type: 'inbound-rtp',
      id: 'IT01V',
      kind: 'video',
      ssrc: 2222,
      bytesReceived: o.videoBytes,
      packetsReceived: o.videoReceived,
      packetsLost: o.videoLost,
      frameWidth: o.width,
      frameHeight: o.height,
      framesPerSecond: o.fps,
      framesDecoded: 900,
    },
    // What we send must not count as what we receive.
    { type: 'outbound-rtp', id: 'OT01V', kind: 'video', bytesSent: 9_999_999, packetsSent: 99_999, frameWidth: 640, frameHeight: 360 },
    { type: 'remote-inbound-rtp', id: 'RI01V', kind: 'video', packetsLost: 500, roundTripTime: 0.9 },
  ]
}

const first = report({
  rtt: 0.045,
  videoBytes: 1_000_000,
  audioBytes: 50_000,
  videoLost: 5,
  videoReceived: 1000,
  audioLost: 0,
  audioReceived: 500,
  width: 1280,
  height: 720,
  fps: 30,
})
// Two seconds later.
const second = report({
  rtt: 0.0456,
  videoBytes: 1_500_000, // +500 000 B = 4 000 000 bit / 2 s = 2000 kbps
  audioBytes: 58_000, // +8 000 B = 64 000 bit / 2 s = 32 kbps
  videoLost: 15, // +10
  videoReceived: 1180, // +180
  audioLost: 10, // +10
  audioReceived: 600, // +100  -> 20 lost of 300 = 6.7 %
  width: 960,
  height: 540,
  fps: 24.5,
})

describe('summarizeStats', () => {
  it('has no rates on the first snapshot, but RTT, picture size and counters', () => {
    const snap = summarizeStats(first, 10_000, null)
    expect(snap).toEqual({
      at: 10_000,
      quality: 'good',
      rttMs: 45,
      lossPct: null,
      videoInKbps: null,
      audioInKbps: null,
      videoInWidth: 1280,
      videoInHeight: 720,
      videoInFps: 30,
      screenInWidth: null,
      screenInHeight: null,
      screenInFps: null,
      counters: { videoBytes: 1_000_000, audioBytes: 50_000, packetsLost: 5, packetsReceived: 1500 },
    })
  })

  it('keeps the shared screen apart from the camera when told its mid', () => {
    const withScreen = [
      ...first,
      { type: 'inbound-rtp', id: 'IT01S', kind: 'video', mid: '2', bytesReceived: 9_000_000, packetsLost: 0, packetsReceived: 700, frameWidth: 1920, frameHeight: 1080, framesPerSecond: 12 },
    ]
    const snap = summarizeStats(withScreen, 10_000, null, '2')
    expect([snap.screenInWidth, snap.screenInHeight, snap.screenInFps]).toEqual([1920, 1080, 12])
    // The camera's figures are untouched by the screen's.
    expect([snap.videoInWidth, snap.videoInHeight, snap.counters.videoBytes]).toEqual([1280, 720, 1_000_000])
    // Without the mid, it would count as camera video.
    expect(summarizeStats(withScreen, 10_000, null).counters.videoBytes).toBe(10_000_000)
  })

  it('computes bitrates and loss over the interval between two snapshots', () => {
    const a = summarizeStats(first, 10_000, null)
    const b = summarizeStats(second, 12_000, a)
    expect(b.rttMs).toBe(46)
    expect(b.videoInKbps).toBe(2000)
    expect(b.audioInKbps).toBe(32)
    expect(b.lossPct).toBe(6.7)
    expect(b.videoInWidth).toBe(960)
    expect(b.videoInHeight).toBe(540)
    expect(b.videoInFps).toBe(24.5)
    expect(b.quality).toBe('fair')
    expect(b.counters).toEqual({ videoBytes: 1_500_000, audioBytes: 58_000, packetsLost: 25, packetsReceived: 1780 })
  })

  it('reports zero loss and good quality on a clean interval', () => {
    const a = summarizeStats(first, 0, null)
    const clean = report({ rtt: 0.12, videoBytes: 1_250_000, audioBytes: 54_000, videoLost: 5, videoReceived: 1300, audioLost: 0, audioReceived: 550 })
    const b = summarizeStats(clean, 1000, a)
    expect(b.lossPct).toBe(0)
    expect(b.videoInKbps).toBe(2000)
    expect(b.audioInKbps).toBe(32)
    expect(b.rttMs).toBe(120)
    expect(b.quality).toBe('good')
    // No frame fields in this report: the picture is unknown.
    expect(b.videoInWidth).toBeNull()
    expect(b.videoInFps).toBeNull()
  })

  it('rates a lossy link as poor', () => {
    const a = summarizeStats(first, 0, null)
    const lossy = report({ rtt: 0.05, videoBytes: 1_100_000, audioBytes: 51_000, videoLost: 105, videoReceived: 1400, audioLost: 0, audioReceived: 600 })
    const b = summarizeStats(lossy, 2000, a)
    expect(b.lossPct).toBe(16.7) // 100 / (100 + 500)
    expect(b.quality).toBe('poor')
  })

  it('uses Firefox-style selected pairs and ignores unsucceeded or non-nominated ones', () => {
    expect(summarizeStats([{ type: 'candidate-pair', state: 'succeeded', selected: true, currentRoundTripTime: 0.3 }], 0, null).rttMs).toBe(300)
    expect(summarizeStats([{ type: 'candidate-pair', state: 'succeeded', nominated: false, currentRoundTripTime: 0.3 }], 0, null).rttMs).toBeNull()
    expect(summarizeStats([{ type: 'candidate-pair', state: 'in-progress', nominated: true, currentRoundTripTime: 0.3 }], 0, null).rttMs).toBeNull()
    expect(summarizeStats([{ type: 'candidate-pair', state: 'succeeded', nominated: true }], 0, null).rttMs).toBeNull()
  })

  it('is unknown with no connection data, and ignores non-numeric fields', () => {
    const empty = summarizeStats([], 0, null)
    expect(empty.quality).toBe('unknown')
    expect(empty.rttMs).toBeNull()
    expect(empty.counters).toEqual({ videoBytes: 0, audioBytes: 0, packetsLost: 0, packetsReceived: 0 })
    const junk = summarizeStats(
      [{ type: 'inbound-rtp', kind: 'video', bytesReceived: '12', packetsLost: Number.NaN, packetsReceived: Infinity, frameWidth: '1280' }],
      0,
      null,
    )
    expect(junk.counters).toEqual({ videoBytes: 0, audioBytes: 0, packetsLost: 0, packetsReceived: 0 })
    expect(junk.videoInWidth).toBeNull()
  })

  it('clamps negative packetsLost (duplicates) and never reports negative rates after a counter reset', () => {
    const dup = summarizeStats([{ type: 'inbound-rtp', kind: 'audio', bytesReceived: 100, packetsLost: -3, packetsReceived: 10 }], 0, null)
    expect(dup.counters.packetsLost).toBe(0)

    const a = summarizeStats(second, 0, null)
    // A new peer connection starts its counters from zero.
    const reset = report({ rtt: 0.05, videoBytes: 10_000, audioBytes: 1000, videoLost: 0, videoReceived: 20, audioLost: 0, audioReceived: 10 })
    const b = summarizeStats(reset, 2000, a)
    expect(b.videoInKbps).toBe(0)
    expect(b.audioInKbps).toBe(0)
    expect(b.lossPct).toBeNull()
  })

  it('has no bitrate when no time has passed', () => {
    const a = summarizeStats(first, 5000, null)
    const b = summarizeStats(second, 5000, a)
    expect(b.videoInKbps).toBeNull()
    expect(b.audioInKbps).toBeNull()
    expect(b.lossPct).toBe(6.7)
  })
})

describe('rateQuality', () => {
  it.each([
    [null, null, 'unknown'],
    [0, 0, 'good'],
    [199, 1.9, 'good'],
    [null, 1.9, 'good'],
    [150, null, 'good'],
    [200, 0, 'fair'],
    [0, 2, 'fair'],
    [399, 7.9, 'fair'],
    [250, null, 'fair'],
    [400, 0, 'poor'],
    [0, 8, 'poor'],
    [1000, 50, 'poor'],
    [null, 12, 'poor'],
  ] as const)('rtt %s ms, loss %s %% -> %s', (rtt, loss, expected) => {
    expect(rateQuality(rtt, loss)).toBe(expected)
  })
})
