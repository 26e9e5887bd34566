import type { Page } from '@playwright/test'

/**
 * What a lab lesson measures in each page, the way a person experiences it:
 * every frame the other person's camera tile renders (requestVideoFrameCallback,
 * with its wall-clock time and height) and the page's peer connections, for
 * getStats. Installed before the app runs; plain JavaScript source because
 * tsx's helpers do not exist in the page.
 */
export const PROBE_SCRIPT = `(() => {
  const probe = { pcs: [], frames: [] }
  window.__netlab = probe
  const Native = window.RTCPeerConnection
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args)
      probe.pcs.push(this)
    }
  }
  let watched = null
  const watch = (video) => {
    const onFrame = (now, meta) => {
      if (watched !== video) return
      if (probe.frames.length < 100000) probe.frames.push({ t: performance.timeOrigin + now, h: meta.height })
      video.requestVideoFrameCallback(onFrame)
    }
    video.requestVideoFrameCallback(onFrame)
  }
  setInterval(() => {
    const video = document.querySelector('[data-testid=remote-tile] video')
    if (video && video !== watched) {
      watched = video
      watch(video)
    }
  }, 100)
})()`

export interface FrameRecord {
  /** Epoch ms the frame was rendered. */
  t: number
  h: number
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
