import type { Page } from '@playwright/test'

/**
 * What a lab lesson measures in each page, the way a person experiences it:
 * every frame the other person's camera tile renders (requestVideoFrameCallback,
 * with its wall-clock time and height) and the page's peer connections, for
 * getStats. Installed before the app runs; plain JavaScript source because
 * tsx's helpers do not exist in the page.
 */
export const PROBE_SCRIPT = `(() => {
  const probe = { pcs: [], frames: [], selfFrames: [], rafGaps: [], timeline: [] }
  window.__netlab = probe
  const Native = window.RTCPeerConnection
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args)
      probe.pcs.push(this)
    }
  }
  const LIMIT = 100000
  // Frames of a video element: wall-clock time of the callback, height, the compositor's count of frames presented
  // (a jump of more than one means frames were shown while the page's callbacks were late), and for a remote
  // picture the frame's RTP timestamp and when its last packet arrived.
  const watchFrames = (video, list, isCurrent) => {
    const onFrame = (now, meta) => {
      if (!isCurrent()) return
      if (list.length < LIMIT) {
        const frame = { t: performance.timeOrigin + now, h: meta.height, p: meta.presentedFrames }
        if (meta.rtpTimestamp !== undefined) frame.r = meta.rtpTimestamp
        if (meta.receiveTime !== undefined) frame.a = performance.timeOrigin + meta.receiveTime
        list.push(frame)
      }
      video.requestVideoFrameCallback(onFrame)
    }
    video.requestVideoFrameCallback(onFrame)
  }
  let watched = null
  // The page's own camera, in a tiny <video> of the probe's (the app paints its self-view into a canvas): when it
  // stalls together with the other person's picture, the machine stalled, not the network.
  let selfTrack = null
  const selfVideo = document.createElement('video')
  selfVideo.muted = true
  selfVideo.autoplay = true
  selfVideo.playsInline = true
  selfVideo.style.cssText = 'position:fixed;right:0;bottom:0;width:8px;height:8px;opacity:0.01;pointer-events:none;z-index:2147483647'
  setInterval(() => {
    const video = document.querySelector('[data-testid=remote-tile] video')
    if (video && video !== watched) {
      watched = video
      watchFrames(video, probe.frames, () => watched === video)
    }
    const open = probe.pcs.filter((pc) => pc.connectionState !== 'closed')
    const pc = open[open.length - 1]
    const cam = pc && pc.getTransceivers()[1] ? pc.getTransceivers()[1].sender.track : null
    if (cam && cam !== selfTrack && document.body) {
      selfTrack = cam
      selfVideo.srcObject = new MediaStream([cam])
      if (!selfVideo.isConnected) document.body.appendChild(selfVideo)
      selfVideo.play().catch(() => {})
      watchFrames(selfVideo, probe.selfFrames, () => selfTrack === cam)
    }
  }, 100)
  // The page's own frame clock: gaps between animation frames (a busy main thread or compositor).
  let lastRaf = 0
  const onRaf = (now) => {
    if (lastRaf && now - lastRaf > 100 && probe.rafGaps.length < LIMIT) probe.rafGaps.push({ t: performance.timeOrigin + lastRaf, ms: now - lastRaf })
    lastRaf = now
    requestAnimationFrame(onRaf)
  }
  requestAnimationFrame(onRaf)
  // The camera's figures on both ends every 250 ms, for explaining each freeze (freezes.ts).
  let sampling = false
  setInterval(async () => {
    const open = probe.pcs.filter((pc) => pc.connectionState !== 'closed')
    const pc = open[open.length - 1]
    if (!pc || sampling || probe.timeline.length >= LIMIT) return
    sampling = true
    try {
      const at = Date.now()
      const report = await pc.getStats()
      const camMid = pc.getTransceivers()[1] ? pc.getTransceivers()[1].mid : null
      const out = { at, rx: null, tx: null, sourceFrames: null, bweKbps: null, rttMs: null }
      for (const s of report.values()) {
        if (s.type === 'inbound-rtp' && s.kind === 'video' && s.mid === camMid) {
          out.rx = { framesReceived: s.framesReceived || 0, framesDecoded: s.framesDecoded || 0, framesDropped: s.framesDropped || 0, keyFramesDecoded: s.keyFramesDecoded || 0,
            freezeCount: s.freezeCount || 0, packetsReceived: s.packetsReceived || 0, packetsLost: s.packetsLost || 0, retransmittedPacketsReceived: s.retransmittedPacketsReceived || 0,
            nackCount: s.nackCount || 0, pliCount: s.pliCount || 0, firCount: s.firCount || 0, jitterBufferDelay: s.jitterBufferDelay || 0, jitterBufferEmittedCount: s.jitterBufferEmittedCount || 0,
            jitterBufferTargetDelay: s.jitterBufferTargetDelay || 0, frameHeight: s.frameHeight || 0,
            fecPacketsReceived: s.fecPacketsReceived || 0, fecPacketsDiscarded: s.fecPacketsDiscarded || 0,
            codec: s.codecId && report.get(s.codecId) ? report.get(s.codecId).mimeType : '' }
        } else if (s.type === 'outbound-rtp' && s.kind === 'video' && s.mid === camMid) {
          out.tx = { framesEncoded: s.framesEncoded || 0, framesSent: s.framesSent || 0, keyFramesEncoded: s.keyFramesEncoded || 0, frameHeight: s.frameHeight || 0,
            framesPerSecond: s.framesPerSecond || 0, qualityLimitationReason: s.qualityLimitationReason || '', qualityLimitationResolutionChanges: s.qualityLimitationResolutionChanges || 0,
            targetBitrate: s.targetBitrate || 0, nackCount: s.nackCount || 0, pliCount: s.pliCount || 0, firCount: s.firCount || 0,
            retransmittedPacketsSent: s.retransmittedPacketsSent || 0, packetsSent: s.packetsSent || 0, scalabilityMode: s.scalabilityMode || '' }
          const source = s.mediaSourceId ? report.get(s.mediaSourceId) : null
          out.sourceFrames = source && source.frames !== undefined ? source.frames : null
        } else if (s.type === 'transport' && s.selectedCandidatePairId) {
          const pair = report.get(s.selectedCandidatePairId)
          if (pair && pair.availableOutgoingBitrate !== undefined) out.bweKbps = Math.round(pair.availableOutgoingBitrate / 1000)
          if (pair && pair.currentRoundTripTime !== undefined) out.rttMs = Math.round(pair.currentRoundTripTime * 1000)
        }
      }
      probe.timeline.push(out)
    } finally {
      sampling = false
    }
  }, 250)
})()`

export interface FrameRecord {
  /** Epoch ms the frame was rendered. */
  t: number
  h: number
  /** The compositor's count of frames presented (requestVideoFrameCallback's presentedFrames). */
  p?: number
  /** A remote frame's RTP timestamp (90 kHz) and when its last packet arrived (epoch ms). */
  r?: number
  a?: number
}

/** Frames the other person's camera tile rendered at or after `since` (epoch ms). */
export function framesSince(page: Page, since: number): Promise<FrameRecord[]> {
  return page.evaluate(`window.__netlab.frames.filter((f) => f.t >= ${since})`)
}

/** The last time (epoch ms) a remote frame was rendered, or 0. */
export async function lastFrameAt(page: Page): Promise<number> {
  return page.evaluate(`(() => { const f = window.__netlab.frames; return f.length ? f[f.length - 1].t : 0 })()`)
}

export interface ReceiveStats {
  /** Epoch ms of the report. */
  at: number
  audio: { concealedSamples: number; totalSamplesReceived: number; totalAudioEnergy: number; packetsReceived: number; packetsLost: number } | null
  video: { framesDecoded: number; frameHeight: number; packetsReceived: number; packetsLost: number; nackCount: number; pliCount: number; keyFramesDecoded: number } | null
  /** The camera sender's figures (our own outgoing picture). */
  sent: { frameHeight: number; framesPerSecond: number; qualityLimitationReason: string; targetBitrate: number } | null
  /** The microphone's sending as negotiated: the codec that goes on the wire (audio/red when redundancy is on) and whether the other side asked for Opus in-band FEC. */
  audioSent: { mimeType: string; opusFec: boolean } | null
  availableOutgoingBitrate: number | null
  rttMs: number | null
  /** How many peer connections the page has open (one lesson: one). */
  openConnections: number
}

/** getStats of the page's live peer connection (the newest one not closed). */
export function receiveStats(page: Page): Promise<ReceiveStats> {
  return page.evaluate(`(async () => {
    const open = window.__netlab.pcs.filter((pc) => pc.connectionState !== 'closed')
    const pc = open[open.length - 1]
    const out = { at: Date.now(), audio: null, video: null, sent: null, audioSent: null, availableOutgoingBitrate: null, rttMs: null, openConnections: open.length }
    if (!pc) return out
    const report = await pc.getStats()
    const camMid = pc.getTransceivers()[1] ? pc.getTransceivers()[1].mid : null
    for (const s of report.values()) {
      if (s.type === 'inbound-rtp' && s.kind === 'audio' && (!out.audio || s.totalSamplesReceived > out.audio.totalSamplesReceived)) {
        out.audio = { concealedSamples: s.concealedSamples || 0, totalSamplesReceived: s.totalSamplesReceived || 0, totalAudioEnergy: s.totalAudioEnergy || 0, packetsReceived: s.packetsReceived || 0, packetsLost: s.packetsLost || 0 }
      } else if (s.type === 'inbound-rtp' && s.kind === 'video' && s.mid === camMid) {
        out.video = { framesDecoded: s.framesDecoded || 0, frameHeight: s.frameHeight || 0, packetsReceived: s.packetsReceived || 0, packetsLost: s.packetsLost || 0, nackCount: s.nackCount || 0, pliCount: s.pliCount || 0, keyFramesDecoded: s.keyFramesDecoded || 0 }
      } else if (s.type === 'outbound-rtp' && s.kind === 'video' && s.mid === camMid) {
        out.sent = { frameHeight: s.frameHeight || 0, framesPerSecond: s.framesPerSecond || 0, qualityLimitationReason: s.qualityLimitationReason || '', targetBitrate: s.targetBitrate || 0 }
      } else if (s.type === 'transport' && s.selectedCandidatePairId) {
        const pair = report.get(s.selectedCandidatePairId)
        out.availableOutgoingBitrate = pair && pair.availableOutgoingBitrate !== undefined ? pair.availableOutgoingBitrate : null
        out.rttMs = pair && pair.currentRoundTripTime !== undefined ? Math.round(pair.currentRoundTripTime * 1000) : null
      }
    }
    // What the microphone sends, from the other side's description: browsers send the first codec it lists
    // (getStats names Opus even when it goes out inside RED, so the stats cannot say).
    const sdp = pc.remoteDescription ? pc.remoteDescription.sdp : ''
    const audio = sdp.split('m=').find((m) => m.startsWith('audio '))
    if (audio) {
      const first = audio.split('\\r\\n')[0].split(' ')[3]
      const mime = (pt) => { const m = new RegExp('a=rtpmap:' + pt + ' ([^/]+)/').exec(audio); return m ? 'audio/' + m[1].toLowerCase() : '' }
      const opus = /a=rtpmap:(\\d+) opus\\/48000/i.exec(audio)
      const fmtp = opus ? audio.split('\\r\\n').find((l) => l.startsWith('a=fmtp:' + opus[1] + ' ')) : ''
      out.audioSent = { mimeType: mime(first), opusFec: /useinbandfec=1/.test(fmtp || '') }
    }
    return out
  })()`)
}

/** The camera's figures at one moment, on one page (the probe samples them every 250 ms; all counters cumulative). */
export interface TimelineSample {
  /** Epoch ms. */
  at: number
  /** The other person's camera as this page receives it. */
  rx: {
    framesReceived: number
    framesDecoded: number
    framesDropped: number
    keyFramesDecoded: number
    freezeCount: number
    packetsReceived: number
    packetsLost: number
    retransmittedPacketsReceived: number
    nackCount: number
    pliCount: number
    firCount: number
    /** Seconds, summed over emitted frames (with jitterBufferEmittedCount: the mean hold). */
    jitterBufferDelay: number
    jitterBufferEmittedCount: number
    jitterBufferTargetDelay: number
    frameHeight: number
    fecPacketsReceived: number
    fecPacketsDiscarded: number
    /** The codec's MIME type, e.g. video/VP8. */
    codec: string
  } | null
  /** This page's camera as it sends it. */
  tx: {
    framesEncoded: number
    framesSent: number
    keyFramesEncoded: number
    frameHeight: number
    framesPerSecond: number
    qualityLimitationReason: string
    qualityLimitationResolutionChanges: number
    targetBitrate: number
    nackCount: number
    pliCount: number
    firCount: number
    retransmittedPacketsSent: number
    packetsSent: number
    scalabilityMode: string
  } | null
  /** Frames the camera delivered to the sender (media-source frames). */
  sourceFrames: number | null
  bweKbps: number | null
  rttMs: number | null
}

/** Everything the probe kept in one page from `since` (epoch ms) on, for explaining freezes (freezes.ts). */
export interface PageEvidence {
  frames: FrameRecord[]
  /** Frames of the page's own camera (a machine that stalls stalls these too). */
  selfFrames: FrameRecord[]
  /** Gaps over 100 ms between the page's animation frames: when they began (epoch ms) and how long. */
  rafGaps: { t: number; ms: number }[]
  timeline: TimelineSample[]
}

export function pageEvidence(page: Page, since: number): Promise<PageEvidence> {
  return page.evaluate(`(() => {
    const p = window.__netlab
    const after = (list) => list.filter((x) => (x.t ?? x.at) >= ${since - 2000})
    return { frames: after(p.frames), selfFrames: after(p.selfFrames), rafGaps: after(p.rafGaps), timeline: after(p.timeline) }
  })()`)
}
