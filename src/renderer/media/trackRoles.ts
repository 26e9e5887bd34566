/**
 * What each published track is for. The built-in engine keeps one transceiver
 * per role, created in this order by the side that offers first, so both
 * sides agree on the role of every track without extra signaling.
 */
export const TRACK_ROLES = ['audio', 'camera', 'screen', 'screenAudio'] as const
export type TrackRole = (typeof TRACK_ROLES)[number]

export const KIND_OF_ROLE: Record<TrackRole, 'audio' | 'video'> = {
  audio: 'audio',
  camera: 'video',
  screen: 'video',
  screenAudio: 'audio',
}

export type LocalTracks = Record<TrackRole, MediaStreamTrack | null>

export function isScreenRole(role: TrackRole): boolean {
  return role === 'screen' || role === 'screenAudio'
}

/** A transceiver's role: transceivers are created in role order on both sides. */
export function roleOf(pc: RTCPeerConnection, transceiver: RTCRtpTransceiver): TrackRole | null {
  return TRACK_ROLES[pc.getTransceivers().indexOf(transceiver)] ?? null
}
