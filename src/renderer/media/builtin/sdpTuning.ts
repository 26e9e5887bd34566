import { CAMERA_MAX_BITRATE_BPS, CAMERA_START_BITRATE_KBPS } from '../constraints'

const VIDEO_CODECS = /^(VP8|VP9|H264|AV1|H265)$/i

/**
 * Adds Chromium's x-google-start/max-bitrate hints to every video codec's fmtp
 * line of an SDP we send. The other side's sender reads them from its remote
 * description, so its bandwidth estimate starts near HD instead of climbing
 * from ~300 kbps. Hand-written because no maintained library exposes these
 * hints; the change only touches fmtp lines of video payloads.
 */
export function addVideoBitrateHints(sdp: string): string {
  const lines = sdp.split('\r\n')
  const videoPayloads = new Set<string>()
  for (const line of lines) {
    const match = /^a=rtpmap:(\d+) ([\w-]+)\//.exec(line)
    if (match && VIDEO_CODECS.test(match[2] ?? '')) videoPayloads.add(match[1] ?? '')
  }
  const hints = `x-google-start-bitrate=${CAMERA_START_BITRATE_KBPS};x-google-max-bitrate=${Math.round(CAMERA_MAX_BITRATE_BPS / 1000)}`
  const seen = new Set<string>()
  const out = lines.map((line) => {
    const match = /^a=fmtp:(\d+) (.*)$/.exec(line)
    if (!match || !videoPayloads.has(match[1] ?? '')) return line
    seen.add(match[1] ?? '')
    if (line.includes('x-google-start-bitrate')) return line
    return `${line};${hints}`
  })
  // Payloads without any fmtp line (plain VP8) get one right after their rtpmap.
  const result: string[] = []
  for (const line of out) {
    result.push(line)
    const match = /^a=rtpmap:(\d+) /.exec(line)
    const payload = match?.[1]
    if (payload && videoPayloads.has(payload) && !seen.has(payload)) result.push(`a=fmtp:${payload} ${hints}`)
  }
  return result.join('\r\n')
}

/**
 * Asks for retransmission of lost audio (RTCP NACK on Opus and its RED
 * wrapper) in an SDP we send: both sides' descriptions then carry it, so each
 * receiver's jitter buffer may request a lost packet back when the round trip
 * leaves time, and each sender keeps its recent packets to resend. Chromium
 * offers NACK for video only. In the network lab (40 % loss, 300 ms RTT) it
 * took the concealed audio from 12-14 % to 10-11 %.
 */
export function addAudioNack(sdp: string): string {
  const lines = sdp.split('\r\n')
  const audioPayloads = new Set<string>()
  for (const line of lines) {
    const match = /^a=rtpmap:(\d+) (opus|red)\/48000/i.exec(line)
    if (match) audioPayloads.add(match[1] ?? '')
  }
  const hasNack = new Set(lines.flatMap((line) => /^a=rtcp-fb:(\d+) nack$/.exec(line)?.[1] ?? []))
  const out: string[] = []
  for (const line of lines) {
    out.push(line)
    const payload = /^a=rtpmap:(\d+) /.exec(line)?.[1]
    if (payload && audioPayloads.has(payload) && !hasNack.has(payload)) out.push(`a=rtcp-fb:${payload} nack`)
  }
  return out.join('\r\n')
}
