/**
 * Audio redundancy (RED, RFC 2198): each packet also carries the previous
 * one's audio, so a single lost packet costs nothing. Chromium sends RED only
 * when it comes first in the codec order both sides put in their
 * descriptions, so each side sets it first on its audio transceivers before
 * it offers or answers. Opus follows (with its in-band FEC, driven by the
 * loss the other side reports), then whatever else the browser has.
 */
export function preferRedAudio(transceiver: RTCRtpTransceiver): void {
  const codecs = typeof RTCRtpReceiver !== 'undefined' && typeof RTCRtpReceiver.getCapabilities === 'function' ? (RTCRtpReceiver.getCapabilities('audio')?.codecs ?? []) : []
  const isMime = (mime: string) => (c: RTCRtpCodec) => c.mimeType.toLowerCase() === mime
  const red = codecs.filter(isMime('audio/red'))
  const opus = codecs.filter(isMime('audio/opus'))
  if (red.length === 0 || opus.length === 0 || typeof transceiver.setCodecPreferences !== 'function') return
  const rest = codecs.filter((c) => !red.includes(c) && !opus.includes(c))
  try {
    transceiver.setCodecPreferences([...red, ...opus, ...rest])
  } catch (error) {
    console.debug('[duet] audio codec order not applied', error)
  }
}
