import type { PeerMediaState } from '../media/MediaEngine'
import type { SocketState } from './LessonSocket'
import type { PeerPresence, RoomFatal } from './stores/roomStore'

/** What the room knows about its two connections: to the session server (signaling) and to the other person (media). */
export interface RoomConnections {
  socketState: SocketState
  peerPresence: PeerPresence
  mediaState: PeerMediaState
  /** The browser thinks it has a network (navigator.onLine). */
  online: boolean
  isTutor: boolean
  /** The tutor's app knows whom it waits for (a lesson started from the student's record). */
  studentNamed?: boolean
}

export type RoomBannerKey =
  | 'room.selfReconnecting'
  | 'room.serverUnreachable'
  | 'room.serverLostCallContinues'
  | 'room.waitingForStudent'
  | 'room.waitingForNamedStudent'
  | 'room.waitingForTutor'
  | 'room.peerLeft'
  | 'room.peerLostServer'
  | 'room.peerReconnecting'
  | 'room.connecting'

/** One line over the stage (i18n key; messages take the other person's `name`); `busy`: something is being retried. */
export interface RoomBanner {
  key: RoomBannerKey
  busy: boolean
}

/**
 * The one line that says what is down. The session server and the call are
 * separate paths: a peer-to-peer call goes on while the server is away, so the
 * room says the server is gone, not that this person is offline, and does not
 * claim the other person was lost while their video still plays.
 */
export function roomBanner(c: RoomConnections): RoomBanner | null {
  const callUp = c.mediaState === 'connected'
  if (c.socketState === 'reconnecting') {
    if (callUp) return { key: 'room.serverLostCallContinues', busy: true }
    return { key: c.online ? 'room.serverUnreachable' : 'room.selfReconnecting', busy: true }
  }
  switch (c.peerPresence) {
    case 'waiting':
      if (!c.isTutor) return { key: 'room.waitingForTutor', busy: true }
      return { key: c.studentNamed ? 'room.waitingForNamedStudent' : 'room.waitingForStudent', busy: true }
    case 'left':
      return { key: 'room.peerLeft', busy: false }
    case 'reconnecting':
      return callUp ? { key: 'room.peerLostServer', busy: false } : { key: 'room.peerReconnecting', busy: true }
    case 'present':
      if (c.mediaState === 'reconnecting') return { key: 'room.peerReconnecting', busy: true }
      return callUp ? null : { key: 'room.connecting', busy: true }
  }
}

/**
 * The message of a room that cannot go on (i18n key). A lesson closed because
 * its invite ran out before the student came is said as such to the tutor,
 * who made the invite (the student reads the general invite_expired text).
 */
export function roomFatalKey(fatal: RoomFatal, isTutor: boolean): string {
  return isTutor && fatal === 'invite_expired' ? 'room.tutorInviteExpired' : `errors.${fatal}`
}
