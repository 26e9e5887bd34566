import { describe, expect, it } from 'vitest'
import { describeWire, payloadNames, rtpHeader, RtpWireCount, turnPayload, videoFecPackets, videoFramesSent } from '../../netlab/rtpWire'

/** An RTP packet (V=2) with an opaque payload, as SRTP leaves it: header in the clear. */
function rtp(pt: number, seq: number, ts: number, ssrc: number, marker = false, payload = 100): Buffer {
  const b = Buffer.alloc(12 + payload, 0xab)
  b[0] = 0x80
  b[1] = (marker ? 0x80 : 0) | pt
  b.writeUInt16BE(seq & 0xffff, 2)
  b.writeUInt32BE(ts, 4)
  b.writeUInt32BE(ssrc, 8)
  return b
}

function channelData(data: Buffer, channel = 0x4001): Buffer {
  const head = Buffer.alloc(4)
  head.writeUInt16BE(channel, 0)
  head.writeUInt16BE(data.length, 2)
  // Over UDP ChannelData need not be padded, but may be: padding must not be read as data.
  return Buffer.concat([head, data, Buffer.alloc((4 - (data.length % 4)) % 4)])
}

function stunAttribute(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4)
  head.writeUInt16BE(type, 0)
  head.writeUInt16BE(value.length, 2)
  return Buffer.concat([head, value, Buffer.alloc((4 - (value.length % 4)) % 4)])
}

function sendIndication(data: Buffer): Buffer {
  const attributes = Buffer.concat([stunAttribute(0x0012, Buffer.alloc(8, 1)), stunAttribute(0x0013, data)])
  const head = Buffer.alloc(20)
  head.writeUInt16BE(0x0016, 0)
  head.writeUInt16BE(attributes.length, 2)
  head.writeUInt32BE(0x2112a442, 4)
  return Buffer.concat([head, attributes])
}

describe('turnPayload', () => {
  it('unwraps ChannelData, without its padding', () => {
    const packet = rtp(96, 1, 1000, 7, false, 5)
    expect(turnPayload(channelData(packet))?.equals(packet)).toBe(true)
  })

  it("unwraps a Send indication's DATA attribute after other attributes", () => {
    const packet = rtp(96, 1, 1000, 7, false, 7)
    expect(turnPayload(sendIndication(packet))?.equals(packet)).toBe(true)
  })

  it('is null for other STUN messages and truncated ChannelData', () => {
    const allocate = sendIndication(Buffer.alloc(8))
    allocate.writeUInt16BE(0x0003, 0)
    expect(turnPayload(allocate)).toBeNull()
    expect(turnPayload(channelData(rtp(96, 1, 1, 1)).subarray(0, 40))).toBeNull()
  })
})

describe('rtpHeader', () => {
  it('reads payload type, marker, sequence, timestamp and SSRC', () => {
    expect(rtpHeader(rtp(98, 65535, 0xfffffff0, 0xdeadbeef, true))).toEqual({ payloadType: 98, marker: true, sequence: 65535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef })
  })

  it('is null for RTCP (packet types 192-223), DTLS and STUN', () => {
    const rtcp = rtp(0, 0, 0, 1)
    rtcp[1] = 201 // receiver report
    expect(rtpHeader(rtcp)).toBeNull()
    expect(rtpHeader(Buffer.alloc(40, 22))).toBeNull() // DTLS handshake record
    expect(rtpHeader(Buffer.alloc(40, 0))).toBeNull()
  })
})

describe('RtpWireCount', () => {
  it('counts ULPFEC-like packets: new, after their frame ended, with its timestamp and no marker', () => {
    const wire = new RtpWireCount()
    // Frame 1: three media packets inside RED (pt 98), then two FEC packets copying its last header.
    wire.addDatagram(channelData(rtp(98, 10, 3000, 1)))
    wire.addDatagram(channelData(rtp(98, 11, 3000, 1)))
    wire.addDatagram(channelData(rtp(98, 12, 3000, 1, true)))
    wire.addDatagram(channelData(rtp(98, 13, 3000, 1)))
    wire.addDatagram(channelData(rtp(98, 14, 3000, 1)))
    // Frame 2: one packet; a retransmission of frame 1 on the same SSRC (an old sequence number) is no FEC.
    wire.addDatagram(channelData(rtp(98, 15, 6000, 1, true)))
    wire.addDatagram(channelData(rtp(98, 11, 3000, 1)))
    // RTX (its own SSRC and payload type) and audio.
    wire.addDatagram(channelData(rtp(99, 500, 3000, 2)))
    wire.addDatagram(channelData(rtp(111, 40, 960, 3, true)))
    const streams = wire.list()
    const red = streams.find((s) => s.ssrc === 1)!
    expect(red).toMatchObject({ payloadType: 98, packets: 7, frameEnds: 2, afterFrameEnd: 2 })
    expect(streams.find((s) => s.ssrc === 2)).toMatchObject({ payloadType: 99, packets: 1, afterFrameEnd: 0 })
    const names = new Map([
      [98, 'video/red'],
      [99, 'video/rtx'],
      [111, 'audio/opus'],
    ])
    expect(videoFecPackets(streams, names)).toBe(2)
    expect(describeWire(streams, names, 1)[0]).toBe("ssrc 1 video/red(98) 7 pkts 1 kB, 2 frame ends, 2 after the frame's end")
  })

  it('counts nothing after the frame end when each frame ends the packets of its timestamp (no FEC sent)', () => {
    const wire = new RtpWireCount()
    for (let frame = 0; frame < 20; frame += 1) {
      for (let i = 0; i < 3; i += 1) wire.add({ payloadType: 98, marker: i === 2, sequence: (65530 + frame * 3 + i) & 0xffff, timestamp: frame * 3000, ssrc: 5 }, 100)
    }
    expect(wire.list()[0]).toMatchObject({ packets: 60, frameEnds: 20, afterFrameEnd: 0 })
    wire.reset()
    expect(wire.list()).toEqual([])
  })

  it('keeps when frames ended and FEC went by, for windows around a freeze', () => {
    let now = 0
    const wire = new RtpWireCount(() => now)
    const names = new Map([[98, 'video/red']])
    // 1 s with FEC after each frame, then 1 s without: 5 frames a second.
    for (let frame = 0; frame < 10; frame += 1) {
      now = frame * 200
      wire.add({ payloadType: 98, marker: true, sequence: frame * 2, timestamp: frame * 18000, ssrc: 1 }, 300)
      if (frame < 5) wire.add({ payloadType: 98, marker: false, sequence: frame * 2 + 1, timestamp: frame * 18000, ssrc: 1 }, 300)
    }
    const streams = wire.list()
    expect(videoFecPackets(streams, names, 0, 999)).toBe(5)
    expect(videoFecPackets(streams, names, 1000, 1999)).toBe(0)
    expect(videoFramesSent(streams, names, 1000, 1999)).toBe(5)
  })
})

describe('payloadNames', () => {
  it('names payload types by kind and codec from every media section', () => {
    const sdp = ['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 63 111', 'a=rtpmap:63 red/48000/2', 'a=rtpmap:111 opus/48000/2', 'm=video 9 UDP/TLS/RTP/SAVPF 96 97 116 117', 'a=rtpmap:96 VP8/90000', 'a=rtpmap:97 rtx/90000', 'a=rtpmap:116 red/90000', 'a=rtpmap:117 ulpfec/90000', ''].join('\r\n')
    expect([...payloadNames(sdp)]).toEqual([
      [63, 'audio/red'],
      [111, 'audio/opus'],
      [96, 'video/VP8'],
      [97, 'video/rtx'],
      [116, 'video/red'],
      [117, 'video/ulpfec'],
    ])
  })
})
