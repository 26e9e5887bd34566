import { describe, expect, it } from 'vitest'
import { describeFreeze, diagnoseFreeze, freezeTimeByCause } from '../../netlab/freezes'
import type { FrameRecord, PageEvidence, TimelineSample } from '../../netlab/probe'

type Rx = NonNullable<TimelineSample['rx']>
type Tx = NonNullable<TimelineSample['tx']>

const RX0: Rx = {
  framesReceived: 0, framesDecoded: 0, framesDropped: 0, keyFramesDecoded: 1, freezeCount: 0, packetsReceived: 0, packetsLost: 0,
  retransmittedPacketsReceived: 0, nackCount: 0, pliCount: 0, firCount: 0, jitterBufferDelay: 0, jitterBufferEmittedCount: 0,
  jitterBufferTargetDelay: 0, frameHeight: 360, fecPacketsReceived: 0, fecPacketsDiscarded: 0, codec: 'video/VP8',
}
const TX0: Tx = {
  framesEncoded: 0, framesSent: 0, keyFramesEncoded: 1, frameHeight: 360, framesPerSecond: 15, qualityLimitationReason: 'none',
  qualityLimitationResolutionChanges: 0, targetBitrate: 150_000, nackCount: 0, pliCount: 0, firCount: 0, retransmittedPacketsSent: 0, packetsSent: 0, scalabilityMode: 'L1T1',
}

/** A page's probe over 0..10 s: 250 ms samples whose counters grow by `rate(t)` per second, frames rendered where `rendered(t)`. */
function page(options: {
  rx?: (t: number) => Partial<Rx>
  tx?: (t: number) => Partial<Tx>
  sourceFrames?: (t: number) => number
  rendered?: (t: number) => boolean
  self?: (t: number) => boolean
  /** The compositor presented frames the page's callbacks did not see. */
  presentedUnseen?: boolean
}): PageEvidence {
  const timeline: TimelineSample[] = []
  for (let at = 0; at <= 10_000; at += 250) {
    timeline.push({
      at,
      rx: { ...RX0, ...options.rx?.(at) },
      tx: { ...TX0, ...options.tx?.(at) },
      sourceFrames: options.sourceFrames?.(at) ?? Math.floor(at / 33),
      bweKbps: 200,
      rttMs: 150,
    })
  }
  const frames: FrameRecord[] = []
  const selfFrames: FrameRecord[] = []
  let presented = 0
  for (let t = 0; t <= 10_000; t += 66) {
    const rendered = options.rendered?.(t) ?? true
    if (rendered || options.presentedUnseen) presented += 1
    if (rendered) frames.push({ t, h: 360, p: presented, r: t * 90, a: t - 20 })
    if (options.self?.(t) ?? true) selfFrames.push({ t, h: 720 })
  }
  return { frames, selfFrames, rafGaps: [], timeline }
}

const steady = (t: number) => ({ framesEncoded: Math.floor(t / 66), framesSent: Math.floor(t / 66) })
const outside = (from: number, to: number) => (t: number) => t < from || t > to

describe('diagnoseFreeze: what held up the picture', () => {
  it('frames sent but none whole at the receiver, with NACKs: the network', () => {
    const gap = outside(4000, 5000)
    const receiver = page({ rendered: gap, rx: (t) => ({ framesReceived: gap(t) ? Math.floor(t / 66) : 60, nackCount: t > 4000 ? 3 : 0 }) })
    const d = diagnoseFreeze(3960, 5016, receiver, page({ tx: steady }))
    expect(d.cause).toBe('network')
    expect(d.receiver?.nacks).toBe(3)
    expect(d.ending.heldMs).toBe(20)
    // The frame after the gap is a gap's worth of media later: the frames in between were never shown.
    expect(d.ending.mediaMs).toBeGreaterThan(1000)
  })

  it('the receiving page’s own camera stalls too: the machine', () => {
    const gap = outside(4000, 5000)
    const d = diagnoseFreeze(3960, 5016, page({ rendered: gap, self: gap }), page({ tx: steady }))
    expect(d.cause).toBe('machine')
    expect(d.machine.selfStallMs).toBeGreaterThan(900)
  })

  it('frames presented while the page’s callbacks were late', () => {
    const receiver = page({ rendered: outside(4000, 5000), presentedUnseen: true })
    const d = diagnoseFreeze(3960, 5016, receiver, page({ tx: steady }))
    expect(d.machine.presentedUnseen).toBeGreaterThan(10)
    expect(d.cause).toBe('page-late')
  })

  it('the sender’s encoder sent nothing while its camera delivered', () => {
    const gap = outside(3900, 5000)
    const noPresent = page({ rendered: gap })
    const sender = page({ tx: (t) => ({ framesEncoded: gap(t) ? Math.floor(t / 66) : 59, framesSent: gap(t) ? Math.floor(t / 66) : 59, qualityLimitationReason: 'bandwidth' }) })
    const d = diagnoseFreeze(3960, 5016, noPresent, sender)
    expect(d.cause).toBe('sender-encoder')
    expect(d.sender?.qualityLimitationReason).toBe('bandwidth')
  })

  it('a key frame asked for and decoded: waiting for a key frame, with the camera step that preceded it', () => {
    const gap = outside(4000, 5000)
    const receiver = page({ rendered: gap, rx: (t) => ({ pliCount: t > 4300 ? 1 : 0, keyFramesDecoded: t > 5000 ? 2 : 1 }) })
    const sender = page({ tx: (t) => ({ ...steady(t), frameHeight: t < 3500 ? 540 : 360 }) })
    const d = diagnoseFreeze(3960, 5016, receiver, sender)
    expect(d.cause).toBe('keyframe')
    expect(d.sender?.heights).toEqual([540, 360])
    expect(describeFreeze(d, 0)).toMatch(/^4\.0 s 1056 ms keyframe; sender: .*540→360p/)
    expect(freezeTimeByCause([d, { ...d, ms: 500 }])).toEqual({ keyframe: 1556 })
  })
})
