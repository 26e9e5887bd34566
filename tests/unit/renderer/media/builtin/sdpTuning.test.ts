import { describe, expect, it } from 'vitest'
import { addVideoBitrateHints } from '../../../../../src/renderer/media/builtin/sdpTuning'
import { CAMERA_MAX_BITRATE_BPS, CAMERA_START_BITRATE_KBPS } from '../../../../../src/renderer/media/constraints'

const HINTS = 'x-google-start-bitrate=1500;x-google-max-bitrate=2500'

/** An offer as Chromium writes it (trimmed: fewer codecs and candidates). */
const OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS 5a1b',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:Fz3q',
  'a=ice-pwd:4kVnJ2lJcH2jXx0mAk7o9xYl',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 9F:3E:41:0B:7A:2C:55:1D:8B:6E:0F:44:21:AA:19:CC:70:02:BE:31:5D:6A:9E:07:12:F3:C8:4D:90:AB:66:E1',
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=sendrecv',
  'a=msid:5a1b 7c2d',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc:3735928559 cname:u8BEVzJQ',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 102 103 116 117 118',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:Fz3q',
  'a=ice-pwd:4kVnJ2lJcH2jXx0mAk7o9xYl',
  'a=ice-options:trickle',
  'a=setup:actpass',
  'a=mid:1',
  'a=sendrecv',
  'a=msid:5a1b 8e3f',
  'a=rtcp-mux',
  'a=rtcp-rsize',
  'a=rtpmap:96 VP8/90000',
  'a=rtcp-fb:96 goog-remb',
  'a=rtcp-fb:96 transport-cc',
  'a=rtcp-fb:96 ccm fir',
  'a=rtcp-fb:96 nack',
  'a=rtcp-fb:96 nack pli',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=rtpmap:98 VP9/90000',
  'a=rtcp-fb:98 goog-remb',
  'a=rtcp-fb:98 nack',
  'a=fmtp:98 profile-id=0',
  'a=rtpmap:99 rtx/90000',
  'a=fmtp:99 apt=98',
  'a=rtpmap:102 H264/90000',
  'a=rtcp-fb:102 nack pli',
  'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
  'a=rtpmap:103 rtx/90000',
  'a=fmtp:103 apt=102',
  'a=rtpmap:116 red/90000',
  'a=rtpmap:117 rtx/90000',
  'a=fmtp:117 apt=116',
  'a=rtpmap:118 ulpfec/90000',
  'a=ssrc-group:FID 1111 2222',
  'a=ssrc:1111 cname:u8BEVzJQ',
  'a=ssrc:2222 cname:u8BEVzJQ',
  '',
].join('\r\n')

const fmtpLines = (sdp: string, payload: string) => sdp.split('\r\n').filter((line) => line.startsWith(`a=fmtp:${payload} `))

describe('addVideoBitrateHints', () => {
  const tuned = addVideoBitrateHints(OFFER)

  it('derives the hints from the camera bitrate constants', () => {
    expect(HINTS).toBe(
      `x-google-start-bitrate=${CAMERA_START_BITRATE_KBPS};x-google-max-bitrate=${Math.round(CAMERA_MAX_BITRATE_BPS / 1000)}`,
    )
  })

  it('adds an fmtp line right after the rtpmap of VP8, which had none', () => {
    const lines = tuned.split('\r\n')
    const rtpmap = lines.indexOf('a=rtpmap:96 VP8/90000')
    expect(lines[rtpmap + 1]).toBe(`a=fmtp:96 ${HINTS}`)
    expect(fmtpLines(tuned, '96')).toEqual([`a=fmtp:96 ${HINTS}`])
  })

  it('appends the hints to existing VP9 and H264 fmtp lines', () => {
    expect(fmtpLines(tuned, '98')).toEqual([`a=fmtp:98 profile-id=0;${HINTS}`])
    expect(fmtpLines(tuned, '102')).toEqual([
      `a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f;${HINTS}`,
    ])
  })

  it('puts the hints on video codecs exactly once and nowhere else', () => {
    const hinted = tuned.split('\r\n').filter((line) => line.includes('x-google-start-bitrate'))
    expect(hinted.map((line) => /^a=fmtp:(\d+) /.exec(line)?.[1])).toEqual(['96', '98', '102'])
    expect(tuned.split('x-google-max-bitrate').length - 1).toBe(3)
  })

  it('leaves audio, rtx, red and ulpfec untouched', () => {
    for (const payload of ['111', '63', '97', '99', '103', '117']) expect(fmtpLines(tuned, payload)).toEqual(fmtpLines(OFFER, payload))
    for (const payload of ['116', '118', '9', '0']) expect(fmtpLines(tuned, payload)).toEqual([])
    const audioSection = (sdp: string) => sdp.slice(sdp.indexOf('m=audio'), sdp.indexOf('m=video'))
    expect(audioSection(tuned)).toBe(audioSection(OFFER))
  })

  it('only adds lines: every original line is kept in order', () => {
    const original = OFFER.split('\r\n')
    const out = tuned.split('\r\n')
    expect(out).toHaveLength(original.length + 1)
    const withoutNew = out.filter((line) => line !== `a=fmtp:96 ${HINTS}`)
    expect(withoutNew.map((line) => line.replace(`;${HINTS}`, ''))).toEqual(original)
  })

  it('keeps CRLF line endings and the trailing CRLF', () => {
    expect(tuned.endsWith('\r\n')).toBe(true)
    expect(tuned.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
  })

  it('is idempotent', () => {
    expect(addVideoBitrateHints(tuned)).toBe(tuned)
    expect(addVideoBitrateHints(addVideoBitrateHints(tuned))).toBe(tuned)
  })

  it('leaves an audio-only SDP unchanged', () => {
    const audioOnly = OFFER.slice(0, OFFER.indexOf('m=video'))
    expect(addVideoBitrateHints(audioOnly)).toBe(audioOnly)
  })

  it('handles AV1 and lower-case codec names', () => {
    const sdp = ['m=video 9 UDP/TLS/RTP/SAVPF 45 35', 'a=rtpmap:45 AV1/90000', 'a=rtpmap:35 h264/90000', 'a=fmtp:35 packetization-mode=1', ''].join('\r\n')
    expect(addVideoBitrateHints(sdp)).toBe(
      ['m=video 9 UDP/TLS/RTP/SAVPF 45 35', 'a=rtpmap:45 AV1/90000', `a=fmtp:45 ${HINTS}`, 'a=rtpmap:35 h264/90000', `a=fmtp:35 packetization-mode=1;${HINTS}`, ''].join(
        '\r\n',
      ),
    )
  })
})
