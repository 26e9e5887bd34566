import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { AUDIO_LEAN_BITRATE_BPS } from '../../../../../src/renderer/media/builtin/audioBitrate'
import { linkReport, NetworkTuner } from '../../../../../src/renderer/media/builtin/networkTuner'

type Stat = Record<string, unknown> & { type: string }

/** A getStats report shaped as Chromium writes it (only the figures the tuning reads), with the camera on mid 1. */
function report(o: {
  at: number
  packets: number
  bweKbps?: number
  rttMs?: number
  /** fractionLost the other side reports for our camera, percent. */
  sentLossPct?: number
  sentFps?: number
  sourceFps?: number
  inLost?: number
  inReceived?: number
  iceState?: RTCIceConnectionState
}): Stat[] {
  return [
    { type: 'transport', id: 'T01', timestamp: o.at, selectedCandidatePairId: 'CP1', iceState: o.iceState ?? 'connected', packetsReceived: o.packets },
    { type: 'candidate-pair', id: 'CP1', timestamp: o.at, nominated: true, state: 'succeeded', availableOutgoingBitrate: (o.bweKbps ?? 2500) * 1000, currentRoundTripTime: (o.rttMs ?? 40) / 1000, packetsReceived: o.packets },
    { type: 'media-source', id: 'SV', kind: 'video', framesPerSecond: o.sourceFps ?? 30 },
    { type: 'outbound-rtp', id: 'OTV', kind: 'video', mid: '1', mediaSourceId: 'SV', framesPerSecond: o.sentFps ?? 30 },
    { type: 'remote-inbound-rtp', id: 'RIV', kind: 'video', localId: 'OTV', fractionLost: (o.sentLossPct ?? 0) / 100 },
    { type: 'inbound-rtp', id: 'ITV', kind: 'video', mid: '1', packetsLost: o.inLost ?? 0, packetsReceived: o.inReceived ?? o.packets },
  ]
}

describe('NetworkTuner: decisions from getStats reports', () => {
  it('on a clean link: nothing to do', () => {
    const tuner = new NetworkTuner()
    for (let t = 0; t <= 30_000; t += 500) {
      const d = tuner.onReport(report({ at: t, packets: t / 5 }), '1')
      expect(d.path).toBeNull()
      expect(d.cameraRung).toBeNull()
      expect(d.videoJitterTargetMs).toBeNull()
      expect(d.audioMaxBitrateBps).toBeNull()
    }
    expect(tuner.videoLowered).toBe(false)
  })

  it('on a lossy long link: the camera steps down, incoming video is held longer, a screen gets fewer frames', () => {
    const tuner = new NetworkTuner()
    const rungs: string[] = []
    const jitter: number[] = []
    const screen: number[] = []
    for (let t = 0; t <= 20_000; t += 500) {
      const d = tuner.onReport(report({ at: t, packets: t / 5, bweKbps: 300, rttMs: 150, sentLossPct: 20, inLost: t / 25, inReceived: t / 6 }), '1')
      if (d.cameraRung) rungs.push(d.cameraRung.name)
      if (d.videoJitterTargetMs !== null) jitter.push(d.videoJitterTargetMs)
      if (d.screenFps !== null) screen.push(d.screenFps)
    }
    expect(rungs).toEqual(['360p24'])
    expect(tuner.videoLowered).toBe(true)
    expect(jitter).toEqual([400])
    // 300 - 80 for audio = 220 kbit/s for video: a screen keeps its resolution at 2 fps.
    expect(screen).toEqual([2])
  })

  it('a dead path: noticed within 2 s, the ladder holds still meanwhile, and its return at once', () => {
    const tuner = new NetworkTuner()
    let packets = 0
    const events: { at: number; path: string }[] = []
    for (let t = 0; t <= 30_000; t += 500) {
      const down = t >= 10_000 && t < 20_000
      if (!down) packets += 35
      // While nothing arrives the estimate and the frame rate collapse; none of that may move the camera.
      const d = tuner.onReport(report({ at: t, packets, bweKbps: down ? 50 : 2500, sentFps: down ? 0 : 30 }), '1')
      if (d.path) events.push({ at: t, path: d.path })
      expect(d.cameraRung).toBeNull()
    }
    expect(events).toEqual([
      { at: 11_000, path: 'dead' },
      { at: 20_000, path: 'back' },
    ])
  })
})

describe('linkReport: this person’s own link for the room', () => {
  it('reads loss, round trip and estimate of our sending, and says when video was lowered', () => {
    const r = report({ at: 0, packets: 10, bweKbps: 320, rttMs: 160, sentLossPct: 19.5 })
    expect(linkReport(r, '1', true)).toEqual({ quality: 'poor', lossPct: 19.5, rttMs: 160, sendKbps: 320, action: 'video-lowered' })
    expect(linkReport(report({ at: 0, packets: 10 }), '1', false)).toEqual({ quality: 'good', lossPct: 0, rttMs: 40, sendKbps: 2500, action: 'none' })
    // Video lowered on a link that measures well is not called good.
    expect(linkReport(report({ at: 0, packets: 10 }), '1', true).quality).toBe('fair')
  })
})

/** getStats reports of the tutor's page recorded in a lab lesson (tests/netlab/recordStats.ts), every ~500 ms. */
interface Recording {
  profile: string
  cameraMid: string
  /** Epoch ms: when the student's link was cut, and when it came back. */
  marks: { cutAt?: number; backAt?: number }
  reports: Stat[][]
}

function recording(name: string): Recording {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../fixtures/netlab/${name}.json`, import.meta.url)), 'utf8')) as Recording
}

/** Feeds a recording to a tuner; what it decided, with each report's time. */
function replay(rec: Recording) {
  const tuner = new NetworkTuner()
  const decisions = rec.reports.map((r) => ({ at: Number(r.find((s) => s.type === 'transport')?.timestamp), ...tuner.onReport(r, rec.cameraMid) }))
  return { tuner, decisions }
}

describe('NetworkTuner fed with lessons recorded in the network lab', () => {
  it('4g-edge (20 % loss, 150 ms RTT, 1.5 Mbps): the camera steps down to 360p or less within 15 s, incoming video is held ~2.5 round trips, the path never counts as dead, and the link says so', () => {
    const rec = recording('4g-edge')
    const { tuner, decisions } = replay(rec)
    const start = decisions[0]!.at
    expect(decisions.filter((d) => d.path !== null)).toEqual([])
    const firstDown = decisions.find((d) => d.cameraRung !== null)
    expect(firstDown).toBeDefined()
    expect(firstDown!.at - start).toBeLessThan(15_000)
    expect(tuner.cameraRung.scale).toBeGreaterThanOrEqual(2)
    expect(tuner.videoLowered).toBe(true)
    const held = decisions.map((d) => d.videoJitterTargetMs).filter((ms): ms is number => ms !== null)
    expect(held.at(-1)).toBeGreaterThanOrEqual(300)
    expect(held.at(-1)).toBeLessThanOrEqual(700)
    const last = linkReport(rec.reports.at(-1)!, rec.cameraMid, tuner.videoLowered)
    expect(last).toMatchObject({ quality: 'poor', action: 'video-lowered' })
    expect(last.lossPct).toBeGreaterThan(8)
  })

  it('4g-edge with the estimate as low as Chromium’s loss-based estimate goes there (~120 kbit/s): the camera gives up frame rate and keeps its 360 lines', () => {
    const rec = recording('4g-edge')
    // The same lesson, with each report's estimate scaled so it ends near 120 kbit/s (the lab sees 80-300 at 20 % loss).
    const last = Number(rec.reports.at(-1)!.find((s) => s.type === 'candidate-pair' && typeof s.availableOutgoingBitrate === 'number')?.availableOutgoingBitrate)
    const scale = 120_000 / last
    const low = { ...rec, reports: rec.reports.map((r) => r.map((s) => (typeof s.availableOutgoingBitrate === 'number' ? { ...s, availableOutgoingBitrate: s.availableOutgoingBitrate * scale } : s))) }
    const { decisions } = replay(low)
    const rungs = decisions.map((d) => d.cameraRung).filter((r) => r !== null)
    expect(rungs.length).toBeGreaterThan(1)
    // One change of size (from 720p down to 360p when the loss shows); after it, only the frame rate moves.
    expect(new Set(rungs.map((r) => r.scale))).toEqual(new Set([2]))
    expect(rungs.map((r) => r.name)).toContain('360p10')
    // The voice goes lean once, so the camera gets more of the low estimate, and stays so.
    expect(decisions.map((d) => d.audioMaxBitrateBps).filter((b) => b !== null)).toEqual([AUDIO_LEAN_BITRATE_BPS])
  })

  it('outage (the student cut off for 10 s): dead within 2 s of the cut, back at the first report after the link returns, once each', () => {
    const rec = recording('outage')
    const { cutAt, backAt } = rec.marks
    const { decisions } = replay(rec)
    const events = decisions.filter((d) => d.path !== null).map((d) => ({ path: d.path, at: d.at }))
    expect(events.map((e) => e.path)).toEqual(['dead', 'back'])
    expect(events[0]!.at - cutAt!).toBeGreaterThan(0)
    expect(events[0]!.at - cutAt!).toBeLessThanOrEqual(2000)
    const firstReportAfterBack = decisions.find((d) => d.at > backAt!)!
    // Media returns one way trip after the link does; the report after that says so.
    expect(events[1]!.at - backAt!).toBeLessThanOrEqual(firstReportAfterBack.at - backAt! + 1000)
    // No camera step down from the outage itself (the estimate collapses while nothing arrives).
    expect(decisions.filter((d) => d.cameraRung !== null)).toEqual([])
  })
})
