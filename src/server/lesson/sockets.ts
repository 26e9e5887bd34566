import type { IncomingMessage } from 'node:http'
import type WebSocket from 'ws'
import type { IceServer, IceTransportPolicy } from '../../shared/lesson/ice'
import type { LessonSummary, Participant, Role } from '../../shared/lesson/lesson'
import { CloseCode, type ClientMessage, type MediaState, type ServerMessage } from '../../shared/lesson/signaling'
import type { Logger } from '../logger'
import type { LessonRegistry } from './registry'
import type { RecordingRooms } from '../recording/rooms'
import type { LessonChat } from '../chat/lessonChat'
import { HttpError } from '../http/respond'
import type { LessonAuth, LessonParticipant } from './auth'
import { Connection } from './connection'

export interface LessonSocketsOptions {
  registry: LessonRegistry
  auth: LessonAuth
  /** ICE servers for one participant (TURN credentials are minted per person). */
  iceServers: (participantId: string) => IceServer[]
  iceTransportPolicy: IceTransportPolicy
  mediaTuning: boolean
  logger: Logger
  now: () => number
  heartbeatMs: number
  helloTimeoutMs: number
  /** Who is recording which lesson (src/server/recording/rooms.ts). */
  recording: RecordingRooms
  /** The lesson's chat (src/server/chat/lessonChat.ts). */
  chat: LessonChat
}

/** The live side of one lesson: at most one socket per role, plus their media state. */
interface Room {
  tutor: Connection | null
  student: Connection | null
  media: Map<string, MediaState>
}

const other = (role: Role): Role => (role === 'tutor' ? 'student' : 'tutor')

/** The lesson WebSocket protocol (see src/shared/lesson/signaling.ts). */
export class LessonSockets {
  private readonly rooms = new Map<string, Room>()
  private readonly connections = new Set<Connection>()
  private readonly heartbeatTimer: NodeJS.Timeout

  constructor(private readonly opts: LessonSocketsOptions) {
    this.heartbeatTimer = setInterval(() => {
      for (const conn of this.connections) conn.heartbeat()
    }, opts.heartbeatMs)
    this.heartbeatTimer.unref()
    // Tutor ended it, or the registry expired it: tell whoever is here and close.
    opts.registry.onEnded((lesson, summary) => this.closeRoom(lesson.id, summary))
  }

  attach(ws: WebSocket, req: IncomingMessage): void {
    const conn = new Connection(ws, req.socket.remoteAddress ?? 'unknown', this.opts.logger, this.opts.now)
    this.connections.add(conn)
    conn.startHelloTimer(this.opts.helloTimeoutMs, () => {
      if (!conn.self) conn.fail('unauthorized', 'No hello received in time', CloseCode.helloTimeout)
    })
    conn.listen(
      (msg) => this.handle(conn, msg),
      () => {
        this.connections.delete(conn)
        this.depart(conn, 'disconnected')
      },
    )
  }

  /** Sends to both people of a lesson (whoever is connected). */
  broadcast(lessonId: string, message: ServerMessage): void {
    const room = this.rooms.get(lessonId)
    room?.tutor?.send(message)
    room?.student?.send(message)
  }

  /** Resolves once every socket has closed (and its leaving is recorded), or after `timeoutMs`. */
  async allClosed(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.connections.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  }

  /** Closes every socket (server shutdown); clients see 1001 and may reconnect later. */
  closeAll(): void {
    clearInterval(this.heartbeatTimer)
    for (const conn of this.connections) conn.close(1001, 'server shutting down')
  }

  private async handle(conn: Connection, msg: ClientMessage): Promise<void> {
    if (!conn.self) {
      if (msg.type !== 'hello') return conn.fail('unauthorized', 'The first message must be hello', CloseCode.unauthorized)
      return this.hello(conn, msg.token)
    }
    const room = conn.lessonId === null ? undefined : this.rooms.get(conn.lessonId)
    if (!room || room[conn.self.role] !== conn) return // already replaced or ended
    const peer = room[other(conn.self.role)]
    switch (msg.type) {
      case 'hello':
        conn.bad('Already joined; hello is only sent once')
        return
      case 'signal':
        if (peer && conn.mayRelayTo(peer)) peer.send({ type: 'signal', from: conn.self.id, data: msg.data })
        return
      case 'media-state':
        room.media.set(conn.self.id, msg.state)
        if (peer && conn.mayRelayTo(peer)) peer.send({ type: 'peer-media-state', peerId: conn.self.id, state: msg.state })
        return
      case 'link-report':
        if (peer && conn.mayRelayTo(peer)) peer.send({ type: 'peer-link', peerId: conn.self.id, report: msg.report })
        return
      case 'leave':
        this.depart(conn, 'left')
        conn.close(1000, 'left')
        return
      case 'end-lesson': {
        if (conn.self.role !== 'tutor') {
          conn.send({ type: 'error', code: 'forbidden', message: 'Only the tutor can end the lesson', fatal: false })
          return
        }
        const lesson = this.opts.registry.get(conn.lessonId ?? '')
        if (lesson) this.opts.registry.end(lesson, 'tutor')
        return
      }
      case 'ping':
        conn.send({ type: 'pong', t: msg.t })
        return
      case 'chat-typing':
        // Ephemeral: only to someone who is here, within the sender's relay budget.
        if (peer && conn.mayRelayTo(peer)) peer.send({ type: 'chat-typing', from: conn.self.id, typing: msg.typing })
        return
      case 'chat-send':
      case 'chat-read': {
        const { lessonId, self } = { lessonId: conn.lessonId ?? '', self: conn.self }
        const peerRole = other(self.role)
        return this.opts.chat.handle(lessonId, self, msg, {
          reply: (message) => conn.send(message),
          // Whoever holds the other seat when the message is stored (they may have come or gone meanwhile).
          toPeer: (message) => this.rooms.get(lessonId)?.[peerRole]?.send(message),
        })
      }
      case 'recording': {
        const lessonId = conn.lessonId ?? ''
        const verdict = this.opts.recording.request(lessonId, conn.self.role, msg.on, msg.storage, msg.failed)
        if (!verdict.ok) conn.send({ type: 'recording-refused', reason: verdict.reason, state: this.opts.recording.state(lessonId) })
        return
      }
    }
  }

  private async hello(conn: Connection, token: string): Promise<void> {
    const { registry } = this.opts
    let who: Awaited<ReturnType<LessonAuth['check']>>
    try {
      who = await this.opts.auth.check(token, { live: true })
    } catch (err) {
      if (!conn.open) return
      if (!(err instanceof HttpError)) throw err
      const closeCode = err.code === 'lesson_ended' || err.code === 'invite_expired' ? CloseCode.lessonEnded : err.code === 'seat_taken' ? CloseCode.lessonFull : CloseCode.unauthorized
      return conn.fail(err.code, err.message, closeCode)
    }
    const { lesson } = who
    const chatLog = await this.opts.chat.prepare(lesson.id)
    if (!conn.open) return // went away while we verified
    const self: Participant = { id: who.participantId, name: who.name, role: who.role }
    const room = this.roomOf(lesson.id)
    const current = room[self.role]
    if (current && current.self?.id !== self.id) {
      return conn.fail('lesson_full', 'Another student is already in this lesson', CloseCode.lessonFull)
    }
    if (current) {
      // Same person again (reload, new network): the new socket wins, silently.
      room[self.role] = null
      current.close(CloseCode.replaced, 'replaced')
    }
    conn.clearHelloTimer()
    conn.self = self
    conn.lessonId = lesson.id
    room[self.role] = conn
    room.media.delete(self.id)
    registry.markPresent(lesson, self)
    this.opts.logger.info('Participant joined', { lessonId: lesson.id, participantId: self.id, role: self.role })

    const peer = room[other(self.role)]
    const info = registry.info(lesson)
    conn.send({
      type: 'welcome',
      self,
      peer: peer?.self ?? null,
      peerMedia: peer?.self ? (room.media.get(peer.self.id) ?? null) : null,
      lesson: info,
      iceServers: this.opts.iceServers(self.id),
      // The one engine this server runs; the Agora engine will be chosen by server config.
      engine: 'builtin',
      iceTransportPolicy: this.opts.iceTransportPolicy,
      mediaTuning: this.opts.mediaTuning,
      recording: this.opts.recording.state(lesson.id),
    })
    // Loaded before the seat was taken and sent in the same turn: no live message can come between welcome and history.
    for (const frame of this.opts.chat.history(chatLog, self)) conn.send(frame)
    if (self.role === 'tutor') this.opts.recording.recorderBack(lesson.id)
    peer?.send({ type: 'peer-joined', peer: self, lesson: info })
  }

  /**
   * Leave said over HTTP (the person's socket was down when they pressed it).
   * Still connected as far as we know (a half-open socket): that socket
   * departs as if it had said leave. Already away: their drop becomes a
   * leave, and the other person, told "reconnecting" before, now hears "left".
   */
  leave(who: LessonParticipant): void {
    const room = this.rooms.get(who.lesson.id)
    const conn = room?.[who.role]
    if (conn?.self?.id === who.participantId) {
      this.depart(conn, 'left')
      conn.close(1000, 'left')
      return
    }
    if (!who.lesson.attendance.some((a) => a.id === who.participantId)) return // never came in: nobody to tell
    this.opts.registry.markLeft(who.lesson, who.participantId, 'left')
    if (who.role === 'tutor') this.opts.recording.recorderLeft(who.lesson.id)
    room?.[other(who.role)]?.send({ type: 'peer-left', peerId: who.participantId, reason: 'left' })
  }

  /** Someone's socket is gone (left or lost); the other side hears about it once. */
  private depart(conn: Connection, reason: 'left' | 'disconnected'): void {
    if (!conn.self || conn.lessonId === null) return
    const room = this.rooms.get(conn.lessonId)
    if (!room || room[conn.self.role] !== conn) return // replaced, or the lesson ended
    room[conn.self.role] = null
    room.media.delete(conn.self.id)
    const lesson = this.opts.registry.get(conn.lessonId)
    if (lesson) this.opts.registry.markLeft(lesson, conn.self.id, reason)
    this.opts.logger.info('Participant left', { lessonId: conn.lessonId, participantId: conn.self.id, reason })
    if (conn.self.role === 'tutor') {
      if (reason === 'left') this.opts.recording.recorderLeft(conn.lessonId)
      else this.opts.recording.recorderAway(conn.lessonId)
    }
    room[other(conn.self.role)]?.send({ type: 'peer-left', peerId: conn.self.id, reason })
    if (!room.tutor && !room.student) this.rooms.delete(conn.lessonId)
  }

  private closeRoom(lessonId: string, summary: LessonSummary): void {
    const room = this.rooms.get(lessonId)
    if (!room) return
    this.rooms.delete(lessonId)
    for (const conn of [room.tutor, room.student]) {
      conn?.send({ type: 'lesson-ended', summary })
      conn?.close(CloseCode.lessonEnded, 'lesson ended')
    }
  }

  private roomOf(lessonId: string): Room {
    let room = this.rooms.get(lessonId)
    if (!room) {
      room = { tutor: null, student: null, media: new Map() }
      this.rooms.set(lessonId, room)
    }
    return room
  }
}
