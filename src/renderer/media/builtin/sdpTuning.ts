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

/** The session id of an SDP's origin line (RFC 8866 5.2): the same for every description of one connection. */
export function sdpSessionId(sdp: string | undefined): string | null {
  return (sdp && /^o=\S+ (\d+) /m.exec(sdp)?.[1]) || null
}
