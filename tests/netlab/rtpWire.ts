/**
 * What a browser's media looks like on the wire, read at the relay: the TURN
 * framing around each datagram, then the RTP header, which SRTP leaves in the
 * clear (only the payload is encrypted). Used to tell what Chromium really
 * sends (which payload types, whether any video FEC) where getStats does not
 * say. Hand-written because it reads four header fields; a STUN/RTP library
 * would bring a whole stack for it.
 */

/** TURN ChannelData (RFC 8656 12.4): the first two bits 01, channel number 0x4000-0x7FFF. */
const CHANNEL_DATA_MIN = 0x40
const CHANNEL_DATA_MAX = 0x7f
const STUN_MAGIC_COOKIE = 0x2112a442
const SEND_INDICATION = 0x0016
const DATA_INDICATION = 0x0017
const DATA_ATTRIBUTE = 0x0013

/** The STUN message type of a datagram, or null when it is not STUN (TURN ChannelData, media). */
export function stunType(msg: Buffer): number | null {
  return msg.length >= 20 && (msg[0]! & 0xc0) === 0 && msg.readUInt32BE(4) === STUN_MAGIC_COOKIE ? msg.readUInt16BE(0) : null
}

/** The application data a TURN datagram carries (ChannelData, or a Send or Data indication's DATA), or null. */
export function turnPayload(msg: Buffer): Buffer | null {
  if (msg.length < 4) return null
  const first = msg[0]!
  if (first >= CHANNEL_DATA_MIN && first <= CHANNEL_DATA_MAX) {
    const length = msg.readUInt16BE(2)
    return msg.length >= 4 + length ? msg.subarray(4, 4 + length) : null
  }
  const type = stunType(msg)
  if (type !== SEND_INDICATION && type !== DATA_INDICATION) return null
  const end = Math.min(msg.length, 20 + msg.readUInt16BE(2))
  for (let at = 20; at + 4 <= end; ) {
    const attribute = msg.readUInt16BE(at)
    const length = msg.readUInt16BE(at + 2)
    if (attribute === DATA_ATTRIBUTE) return at + 4 + length <= end ? msg.subarray(at + 4, at + 4 + length) : null
    at += 4 + Math.ceil(length / 4) * 4 // attributes are padded to 4 bytes
  }
  return null
}

export interface RtpHeader {
  payloadType: number
  marker: boolean
  sequence: number
  timestamp: number
  ssrc: number
}

/**
 * The fixed RTP header of a datagram, or null when it is not RTP: STUN and
 * DTLS by their first byte (RFC 7983), RTCP by its packet types 192-223 in the
 * second byte (RFC 5761 4).
 */
export function rtpHeader(data: Buffer): RtpHeader | null {
  if (data.length < 12 || data[0]! >> 6 !== 2) return null
  const second = data[1]!
  if (second >= 192 && second <= 223) return null
  return { payloadType: second & 0x7f, marker: (second & 0x80) !== 0, sequence: data.readUInt16BE(2), timestamp: data.readUInt32BE(4), ssrc: data.readUInt32BE(8) }
}

/** One stream on the wire: one SSRC with one payload type. */
export interface WireStream {
  ssrc: number
  payloadType: number
  packets: number
  /** RTP packet bytes (header and SRTP payload). */
  bytes: number
  /** Packets that end a frame (marker bit). */
  frameEnds: number
  /**
   * New packets (a sequence number above any seen) that come after their
   * frame's last packet, with its timestamp and no marker: libwebrtc's
   * ULPFEC packets are copies of the protected frame's last packet header,
   * marker cleared, sent after it. Retransmissions would look alike but go
   * out on their own RTX stream when RTX is negotiated (Chromium's default),
   * and reuse old sequence numbers otherwise.
   */
  afterFrameEnd: number
  /** When (the clock's ms) each frame end and each packet after a frame's end went by. */
  frameEndAt: number[]
  afterFrameEndAt: number[]
}

interface SsrcState {
  highest: number
  /** Timestamps of the last frames whose marker packet went by. */
  ended: number[]
}

const ENDED_FRAMES_KEPT = 8

/** Counts one direction's RTP by stream. */
export class RtpWireCount {
  private readonly streams = new Map<string, WireStream>()
  private readonly ssrcs = new Map<number, SsrcState>()

  /** `now`: the clock the times of frame ends and FEC packets are kept in (epoch ms by default, as the probe's). */
  constructor(private readonly now: () => number = Date.now) {}

  /** Counts a datagram as the relay sees it (with its TURN framing); anything not RTP is ignored. */
  addDatagram(msg: Buffer): void {
    const payload = turnPayload(msg)
    const header = payload && rtpHeader(payload)
    if (header) this.add(header, payload.length)
  }

  add(header: RtpHeader, bytes: number): void {
    const key = `${header.ssrc}/${header.payloadType}`
    let stream = this.streams.get(key)
    if (!stream) {
      stream = { ssrc: header.ssrc, payloadType: header.payloadType, packets: 0, bytes: 0, frameEnds: 0, afterFrameEnd: 0, frameEndAt: [], afterFrameEndAt: [] }
      this.streams.set(key, stream)
    }
    stream.packets += 1
    stream.bytes += bytes
    let state = this.ssrcs.get(header.ssrc)
    const isNew = !state || ((header.sequence - state.highest) & 0xffff) < 0x8000
    if (!state) {
      state = { highest: header.sequence, ended: [] }
      this.ssrcs.set(header.ssrc, state)
    } else if (isNew && header.sequence !== state.highest) {
      if (!header.marker && state.ended.includes(header.timestamp)) {
        stream.afterFrameEnd += 1
        stream.afterFrameEndAt.push(this.now())
      }
      state.highest = header.sequence
    }
    if (header.marker) {
      stream.frameEnds += 1
      stream.frameEndAt.push(this.now())
      if (!state.ended.includes(header.timestamp)) state.ended.push(header.timestamp)
      if (state.ended.length > ENDED_FRAMES_KEPT) state.ended.shift()
    }
  }

  reset(): void {
    this.streams.clear()
    this.ssrcs.clear()
  }

  list(): WireStream[] {
    return [...this.streams.values()].sort((a, b) => b.packets - a.packets)
  }
}

/** Payload type -> kind and codec ("video/VP8", "video/red", "video/ulpfec", "audio/opus") from an SDP's rtpmap lines. */
export function payloadNames(sdp: string): Map<number, string> {
  const names = new Map<number, string>()
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const kind = section.split(' ')[0]
    for (const match of section.matchAll(/^a=rtpmap:(\d+) ([\w-]+)\//gm)) names.set(Number(match[1]), `${kind}/${match[2]}`)
  }
  return names
}

/** One line per stream, e.g. "ssrc 123 red(98) 1200 pkts 310 kB, 410 frame ends, 37 after the frame's end". */
export function describeWire(streams: WireStream[], names: Map<number, string>, minPackets = 20): string[] {
  return streams
    .filter((s) => s.packets >= minPackets)
    .map((s) => `ssrc ${s.ssrc} ${names.get(s.payloadType) ?? 'pt'}(${s.payloadType}) ${s.packets} pkts ${Math.round(s.bytes / 1000)} kB, ${s.frameEnds} frame ends, ${s.afterFrameEnd} after the frame's end`)
}

/**
 * Video FEC packets among what one browser sent: ULPFEC inside RED (the
 * packets after their frame's end on a RED stream) and any FlexFEC stream.
 */
export function videoFecPackets(streams: WireStream[], names: Map<number, string>, from = -Infinity, to = Infinity): number {
  const within = (times: number[]) => times.filter((t) => t >= from && t <= to).length
  let fec = 0
  for (const s of streams) {
    const name = names.get(s.payloadType)?.toLowerCase()
    if (name === 'video/red' || name === 'video/ulpfec') fec += from === -Infinity && to === Infinity ? s.afterFrameEnd : within(s.afterFrameEndAt)
    else if (name?.startsWith('video/flexfec')) fec += s.packets
  }
  return fec
}

/** Frames the video streams (media, not RTX) ended between `from` and `to`, on the same clock. */
export function videoFramesSent(streams: WireStream[], names: Map<number, string>, from: number, to: number): number {
  let frames = 0
  for (const s of streams) {
    const name = names.get(s.payloadType)?.toLowerCase() ?? ''
    if (name.startsWith('video/') && name !== 'video/rtx') frames += s.frameEndAt.filter((t) => t >= from && t <= to).length
  }
  return frames
}
