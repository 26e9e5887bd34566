import { percentile } from '../bench/stats'
import type { FrameRecord, PageEvidence, TimelineSample } from './probe'

/**
 * What happened around each freeze of a lab lesson, from both pages' probes
 * (probe.ts): the receiver's rendered frames, its own camera's frames and
 * animation frames (the machine), and the camera's getStats figures on both
 * ends every 250 ms. Each freeze gets one cause, tried in this order:
 *
 * - `page-late`: the compositor presented frames during the gap, but the
 *   page's frame callbacks came late (presentedFrames jumped): the picture
 *   moved, the page's main thread did not.
 * - `machine`: the page's own camera stalled too, or the page's animation
 *   frames did: the machine was too busy, not the network.
 * - `sender-camera`: the sender's camera delivered no frames.
 * - `sender-encoder`: the camera delivered frames but the encoder sent none
 *   (dropped for lack of bits, or paused).
 * - `keyframe`: the receiver asked for a key frame (PLI) or decoded one
 *   during the gap (a broken reference chain waited for it).
 * - `network`: frames were sent, but none became whole and continuous at
 *   the receiver during the gap (inbound-rtp framesReceived counts a frame
 *   once it and the frames it refers to are complete): a packet lost and
 *   waiting for its retransmission holds up every frame after it.
 * - `receiver`: frames did arrive whole during the gap and were not shown
 *   (held by the jitter buffer, the decoder, or dropped).
 * - `unclear`: none of these.
 *
 * And each says what else was going on: a camera step on the sender (each
 * costs a key frame), key frames sent, PLI/NACK, loss, the jitter buffer.
 */
export type FreezeCause = 'page-late' | 'machine' | 'sender-camera' | 'sender-encoder' | 'network' | 'keyframe' | 'receiver' | 'unclear'

export interface FreezeDiagnosis {
  /** Epoch ms of the last frame before the gap, and the gap's length. */
  at: number
  ms: number
  cause: FreezeCause
  /** Over the gap (the sender's counted one half round trip earlier). */
  sender: {
    sourceFrames: number | null
    framesEncoded: number
    framesSent: number
    keyFramesEncoded: number
    /** Heights the camera was sent at from 1 s before the gap to its end (more than one: a camera step). */
    heights: number[]
    qualityLimitationReason: string
    scalabilityMode: string
    targetKbps: number
    bweKbps: number | null
    retransmitted: number
  } | null
  receiver: {
    framesReceived: number
    framesDecoded: number
    framesDropped: number
    keyFramesDecoded: number
    packetsLost: number
    packetsReceived: number
    retransmittedReceived: number
    nacks: number
    plis: number
    /** FEC packets received (video RED/ULPFEC or FlexFEC). */
    fecReceived: number
    codec: string
    /** Mean time a frame was held in the jitter buffer over the gap, ms, and the buffer's target. */
    jitterBufferMs: number | null
    jitterTargetMs: number | null
  } | null
  /** The frame that ended the gap. */
  ending: {
    /** From its last packet's arrival to its rendering, ms: short when it was waiting for the network, long when the receiver held it. */
    heldMs: number | null
    /** Media time between the frames on either side of the gap (RTP timestamps), ms: about the gap when frames in between were skipped, short when the picture only came late. */
    mediaMs: number | null
  }
  machine: {
    /** Frames the compositor presented inside the gap without the page hearing of them. */
    presentedUnseen: number
    /** The longest stall of the receiving page's own camera that overlaps the gap, ms (null: no self frames). */
    selfStallMs: number | null
    /** The longest animation-frame gap that overlaps the gap, ms. */
    rafStallMs: number
  }
}

/** A machine stall long enough to explain a freeze (half the freeze threshold). */
const MACHINE_STALL_MS = 250
/** A sender that sent fewer frames over the gap than this share of its frame rate's worth let the picture down. */
const FEW_SHARE = 0.25

/** Every freeze (gap over FREEZE_GAP_MS between rendered frames) the receiver saw in [from, to], explained. */
export function diagnoseFreezes(freezes: { atMs: number; ms: number }[], from: number, receiver: PageEvidence, sender: PageEvidence): FreezeDiagnosis[] {
  return freezes.map((f) => diagnoseFreeze(from + f.atMs, from + f.atMs + f.ms, receiver, sender))
}

export function diagnoseFreeze(start: number, end: number, receiver: PageEvidence, sender: PageEvidence): FreezeDiagnosis {
  const ms = end - start
  const rtt = median(receiver.timeline.map((s) => s.rttMs).filter((v): v is number => v !== null)) ?? 0
  // The frames that should have been on screen in the gap left the sender about half a round trip earlier.
  const shift = rtt / 2
  const tx = (get: (s: TimelineSample) => number | null | undefined) => delta(sender.timeline, start - shift, end - shift, get)
  // The receiver's counters as the samples inside the gap saw them: the burst that ends a gap (every frame
  // waiting behind a late packet completes and is decoded at once) falls after them.
  const rx = (get: (s: TimelineSample) => number | null | undefined) => stepDelta(receiver.timeline, start, end, get)
  const senderAt = sampleAt(sender.timeline, start - shift)
  const senderSide: FreezeDiagnosis['sender'] = senderAt?.tx
    ? {
        sourceFrames: tx((s) => s.sourceFrames),
        framesEncoded: tx((s) => s.tx?.framesEncoded),
        framesSent: tx((s) => s.tx?.framesSent),
        keyFramesEncoded: tx((s) => s.tx?.keyFramesEncoded),
        heights: distinct(sender.timeline.filter((s) => s.at >= start - shift - 1000 && s.at <= end - shift).map((s) => s.tx?.frameHeight ?? 0)),
        qualityLimitationReason: senderAt.tx.qualityLimitationReason,
        scalabilityMode: senderAt.tx.scalabilityMode,
        targetKbps: Math.round(senderAt.tx.targetBitrate / 1000),
        bweKbps: senderAt.bweKbps,
        retransmitted: tx((s) => s.tx?.retransmittedPacketsSent),
      }
    : null
  const jbDelay = rx((s) => s.rx?.jitterBufferDelay)
  const jbEmitted = rx((s) => s.rx?.jitterBufferEmittedCount)
  const jbTarget = rx((s) => s.rx?.jitterBufferTargetDelay)
  const receiverSide: FreezeDiagnosis['receiver'] = sampleAt(receiver.timeline, start)?.rx
    ? {
        framesReceived: rx((s) => s.rx?.framesReceived),
        framesDecoded: rx((s) => s.rx?.framesDecoded),
        framesDropped: rx((s) => s.rx?.framesDropped),
        // The key frame that ends a gap is decoded at its end.
        keyFramesDecoded: stepDelta(receiver.timeline, start, end + 300, (s) => s.rx?.keyFramesDecoded),
        packetsLost: rx((s) => s.rx?.packetsLost),
        packetsReceived: rx((s) => s.rx?.packetsReceived),
        retransmittedReceived: rx((s) => s.rx?.retransmittedPacketsReceived),
        nacks: rx((s) => s.rx?.nackCount),
        plis: rx((s) => s.rx?.pliCount),
        fecReceived: rx((s) => s.rx?.fecPacketsReceived),
        codec: sampleAt(receiver.timeline, start)?.rx?.codec ?? '',
        jitterBufferMs: jbEmitted > 0 ? Math.round((jbDelay / jbEmitted) * 1000) : null,
        jitterTargetMs: jbEmitted > 0 ? Math.round((jbTarget / jbEmitted) * 1000) : null,
      }
    : null
  const before = receiver.frames.filter((f) => f.t <= start).at(-1)
  const after = receiver.frames.find((f) => f.t >= end)
  const ending: FreezeDiagnosis['ending'] = {
    heldMs: after?.a !== undefined ? Math.round(after.t - after.a) : null,
    mediaMs: before?.r !== undefined && after?.r !== undefined ? Math.round(((after.r - before.r) >>> 0) / 90) : null,
  }
  const machine = {
    presentedUnseen: presentedInside(before, after),
    selfStallMs: receiver.selfFrames.length > 1 ? longestOverlappingGap(receiver.selfFrames.map((f) => f.t), start, end) : null,
    rafStallMs: Math.max(0, ...receiver.rafGaps.filter((g) => g.t < end && g.t + g.ms > start).map((g) => Math.round(g.ms))),
  }
  return { at: start, ms: Math.round(ms), cause: classify(ms, senderSide, receiverSide, machine, sender), sender: senderSide, receiver: receiverSide, ending, machine }
}

function classify(ms: number, tx: FreezeDiagnosis['sender'], rx: FreezeDiagnosis['receiver'], machine: FreezeDiagnosis['machine'], sender: PageEvidence): FreezeCause {
  if (machine.presentedUnseen >= 2) return 'page-late'
  if ((machine.selfStallMs ?? 0) >= Math.max(MACHINE_STALL_MS, ms / 2) || machine.rafStallMs >= Math.max(MACHINE_STALL_MS, ms / 2)) return 'machine'
  if (!tx || !rx) return 'unclear'
  // What the sender normally sends: its frame rate over the lesson (the gap's own figures are what is in question).
  const fps = median(sender.timeline.map((s) => s.tx?.framesPerSecond ?? null).filter((v): v is number => v !== null && v > 0)) ?? 10
  const few = Math.max(1, (fps * ms * FEW_SHARE) / 1000)
  if (tx.sourceFrames !== null && tx.sourceFrames < few) return 'sender-camera'
  if (tx.framesSent < few) return 'sender-encoder'
  if (rx.plis > 0 || rx.keyFramesDecoded > 0) return 'keyframe'
  if (rx.framesReceived < few) return 'network'
  return 'receiver'
}

/** One line for logs: cause and the figures that tell it. */
export function describeFreeze(d: FreezeDiagnosis, from: number): string {
  const parts = [`${((d.at - from) / 1000).toFixed(1)} s ${d.ms} ms ${d.cause}`]
  const s = d.sender
  if (s) {
    parts.push(
      `sender: camera ${s.sourceFrames ?? '?'} enc ${s.framesEncoded} sent ${s.framesSent} key ${s.keyFramesEncoded} ${s.heights.join('→')}p ${s.scalabilityMode} ${s.qualityLimitationReason || 'none'} target ${s.targetKbps} BWE ${s.bweKbps ?? '?'} rtx ${s.retransmitted}`,
    )
  }
  const r = d.receiver
  if (r) {
    parts.push(
      `receiver: recv ${r.framesReceived} dec ${r.framesDecoded} drop ${r.framesDropped} key ${r.keyFramesDecoded} lost ${r.packetsLost}/${r.packetsLost + r.packetsReceived} rtx ${r.retransmittedReceived} NACK ${r.nacks} PLI ${r.plis} FEC ${r.fecReceived} JB ${r.jitterBufferMs ?? '?'}/${r.jitterTargetMs ?? '?'} ms ${r.codec}`,
    )
  }
  parts.push(`ending frame: held ${d.ending.heldMs ?? '?'} ms, media gap ${d.ending.mediaMs ?? '?'} ms`)
  parts.push(`machine: unseen ${d.machine.presentedUnseen} self ${d.machine.selfStallMs ?? '?'} raf ${d.machine.rafStallMs}`)
  return parts.join('; ')
}

/** Freeze time by cause, ms. */
export function freezeTimeByCause(diagnoses: FreezeDiagnosis[]): Partial<Record<FreezeCause, number>> {
  const out: Partial<Record<FreezeCause, number>> = {}
  for (const d of diagnoses) out[d.cause] = (out[d.cause] ?? 0) + d.ms
  return out
}

/** A counter's value at `t`, linear between the samples around it (null outside the timeline or where missing). */
function valueAt(timeline: TimelineSample[], t: number, get: (s: TimelineSample) => number | null | undefined): number | null {
  let before: TimelineSample | null = null
  let after: TimelineSample | null = null
  for (const s of timeline) {
    if (s.at <= t) before = s
    else {
      after = s
      break
    }
  }
  const a = before ? get(before) : null
  const b = after ? get(after) : null
  if (a === null || a === undefined) return b ?? null
  if (b === null || b === undefined || !after || !before) return a
  return a + ((b - a) * (t - before.at)) / (after.at - before.at)
}

function delta(timeline: TimelineSample[], from: number, to: number, get: (s: TimelineSample) => number | null | undefined): number {
  const a = valueAt(timeline, from, get)
  const b = valueAt(timeline, to, get)
  return a === null || b === null ? 0 : Math.round(Math.max(0, b - a))
}

/** A counter's growth between the first sample at or after `from` and the last at or before `to` (0 when none lies between). */
function stepDelta(timeline: TimelineSample[], from: number, to: number, get: (s: TimelineSample) => number | null | undefined): number {
  const a = timeline.find((s) => s.at >= from)
  const b = sampleAt(timeline, to)
  if (!a || !b || b.at < a.at) return 0
  const va = a ? get(a) : null
  const vb = b ? get(b) : null
  return va === null || va === undefined || vb === null || vb === undefined ? 0 : Math.round(Math.max(0, vb - va))
}

function sampleAt(timeline: TimelineSample[], t: number): TimelineSample | null {
  let found: TimelineSample | null = timeline[0] ?? null
  for (const s of timeline) if (s.at <= t) found = s
  return found
}

function presentedInside(before: FrameRecord | undefined, after: FrameRecord | undefined): number {
  if (before?.p === undefined || after?.p === undefined) return 0
  // The frame that ends the gap is the one expected; others presented in between went unseen by the page.
  return Math.max(0, after.p - before.p - 1)
}

function longestOverlappingGap(times: number[], start: number, end: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let longest = 0
  for (let i = 1; i < sorted.length; i += 1) {
    const a = sorted[i - 1]!
    const b = sorted[i]!
    if (a < end && b > start) longest = Math.max(longest, b - a)
  }
  return Math.round(longest)
}

function distinct(values: number[]): number[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1])
}

function median(values: number[]): number | null {
  return values.length === 0 ? null : percentile(values, 50)
}
