import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ChatMessage } from '../../shared/chat/schema'
import { ThreadClientMessageSchema, threadIdOf, type ThreadClientMessage, type ThreadRole, type ThreadServerMessage, type ThreadSummary } from '../../shared/chat/thread'
import type { Participant } from '../../shared/lesson/lesson'
import { CloseCode, HELLO_TIMEOUT_MS, MAX_WS_MESSAGE_BYTES } from '../../shared/lesson/signaling'
import { PendingSockets, PREAUTH_LIMITS } from '../board/preauth'
import { HttpError } from '../http/respond'
import { RateLimiter } from '../http/rateLimit'
import { Connection } from '../lesson/connection'
import type { Logger } from '../logger'
import type { ChatConversations } from './conversations'
import { historyFrames } from './history'
import { participantOf, threadReader, type ThreadAccess, type ThreadPerson, type ThreadStudent } from './threadAccess'

type ThreadConnection = Connection<ThreadClientMessage, ThreadServerMessage>

/** A signed-in socket: who, what they sign messages with, and the threads they follow (history asked for). */
interface Seat {
  person: ThreadPerson
  self: Participant
  audience: string
  opened: Set<string>
  opens: RateLimiter
}

/** Sockets one person may have open at once (desktop app, a browser tab, a phone…); the oldest goes past this. */
const MAX_SOCKETS_PER_PERSON = 8
/** thread-open requests per socket per minute (each reads the database). */
const OPENS_PER_MINUTE = 120

const audienceOf = (person: ThreadPerson): string => (person.kind === 'student' ? `student:${person.student.id}` : `account:${person.accountId}`)

/**
 * The threads between lessons on their own WebSocket (THREAD_WS_PATH): a
 * student's personal code or a tutor's key in `hello`, then the lesson
 * chat's chat-* messages naming their thread. Every message is checked
 * against the thread's rule (ThreadAccess) when it comes, stored by
 * ChatConversations (validation, rate limit, numbering) and only then
 * delivered to the other person's open sockets; someone offline gets it
 * with their history and an unread count when they are back.
 *
 * Before hello the socket is held to the lesson socket's caps: the hello
 * timeout, the frame size, and a bound on sockets per address that have
 * not signed in; wrong codes count against the address (RecordAccess).
 */
export class ThreadSockets {
  private readonly seats = new Map<ThreadConnection, Seat>()
  private readonly byAudience = new Map<string, Set<ThreadConnection>>()
  private readonly connections = new Set<ThreadConnection>()
  private readonly pending = new PendingSockets(PREAUTH_LIMITS.maxPendingSocketsPerAddress)
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4 * MAX_WS_MESSAGE_BYTES, perMessageDeflate: false })
  private readonly heartbeatTimer: NodeJS.Timeout
  private closing: Promise<void> | null = null

  constructor(
    private readonly opts: {
      access: ThreadAccess
      conversations: ChatConversations
      logger: Logger
      now: () => number
      heartbeatMs?: number
      helloTimeoutMs?: number
    },
  ) {
    this.heartbeatTimer = setInterval(() => {
      for (const conn of this.connections) conn.heartbeat()
    }, opts.heartbeatMs ?? 5000)
    this.heartbeatTimer.unref()
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ip = req.socket.remoteAddress ?? 'unknown'
    const release = this.pending.take(ip)
    if (!release) {
      this.opts.logger.warn('Thread socket refused: too many sockets waiting for hello from one address', { ip })
      socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    socket.once('close', release)
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, ip, release))
  }

  private attach(ws: WebSocket, ip: string, release: () => void): void {
    const conn: ThreadConnection = new Connection(ws, ip, this.opts.logger, this.opts.now, ThreadClientMessageSchema)
    this.connections.add(conn)
    conn.startHelloTimer(this.opts.helloTimeoutMs ?? HELLO_TIMEOUT_MS, () => {
      if (!this.seats.has(conn)) conn.fail('unauthorized', 'No hello received in time', CloseCode.helloTimeout)
    })
    conn.listen(
      (msg) => this.handle(conn, msg, ip, release),
      () => this.depart(conn),
    )
  }

  private async handle(conn: ThreadConnection, msg: ThreadClientMessage, ip: string, release: () => void): Promise<void> {
    const seat = this.seats.get(conn)
    if (!seat) {
      if (msg.type !== 'hello') return conn.fail('unauthorized', 'The first message must be hello', CloseCode.unauthorized)
      return this.hello(conn, msg.token, ip, release)
    }
    try {
      switch (msg.type) {
        case 'hello':
          conn.bad('Already signed in; hello is only sent once')
          return
        case 'ping':
          conn.send({ type: 'pong', t: msg.t })
          return
        case 'thread-open':
          return await this.open(conn, seat, msg.thread)
        case 'chat-send':
          return await this.send(conn, seat, msg)
        case 'chat-read': {
          const { role } = await this.opts.access.open(seat.person, msg.thread, 'read')
          // Staff read without leaving marks: the two people's unread counts are theirs.
          if (role === 'staff') return
          const moved = await this.opts.conversations.markRead(msg.thread, threadReader(role), msg.seq)
          // The same person's other devices (the desktop app and a browser) clear their unread count too.
          // Sent only when the mark moved (at most once per message), so a reader cannot flood their own devices.
          if (moved) {
            for (const other of this.byAudience.get(audienceOf(seat.person)) ?? []) {
              if (other !== conn) other.send({ type: 'chat-read', thread: msg.thread, ...moved })
            }
          }
          return
        }
        case 'chat-typing': {
          const { student } = await this.opts.access.open(seat.person, msg.thread, 'write')
          const other = seat.person.kind === 'student' ? `account:${student.accountId}` : `student:${student.id}`
          for (const peer of this.byAudience.get(other) ?? []) {
            if (this.seats.get(peer)?.opened.has(msg.thread) && conn.mayRelayTo(peer)) peer.send({ type: 'chat-typing', thread: msg.thread, from: seat.self.id, typing: msg.typing })
          }
          return
        }
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      conn.send({ type: 'error', code: error.code, message: error.message, fatal: false })
    }
  }

  private async hello(conn: ThreadConnection, token: string, ip: string, release: () => void): Promise<void> {
    let person: ThreadPerson
    try {
      person = await this.opts.access.identify(token, ip)
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      return conn.fail(error.code, error.message, CloseCode.unauthorized)
    }
    if (!conn.open) return
    const threads = await this.summaries(person)
    if (!conn.open) return
    conn.clearHelloTimer()
    release()
    const audience = audienceOf(person)
    let mine = this.byAudience.get(audience)
    if (!mine) this.byAudience.set(audience, (mine = new Set()))
    if (mine.size >= MAX_SOCKETS_PER_PERSON) {
      const oldest = mine.values().next().value
      if (oldest) {
        this.depart(oldest)
        oldest.close(CloseCode.replaced, 'replaced by a newer connection')
      }
    }
    mine.add(conn)
    const self = participantOf(person)
    this.seats.set(conn, { person, self, audience, opened: new Set(), opens: new RateLimiter({ perMinute: OPENS_PER_MINUTE, now: this.opts.now, maxKeys: 1 }) })
    const role = person.kind === 'student' ? 'student' : person.staff ? 'staff' : 'tutor'
    conn.send({ type: 'thread-welcome', self, role, threads: threads.map(({ role: _r, ...summary }) => summary) })
  }

  /** The person's threads with unread counts: a student's own always, a tutor's (or staff's) those somebody wrote in. */
  async summaries(person: ThreadPerson): Promise<(ThreadSummary & { role: ThreadRole })[]> {
    const readable = await this.opts.access.threadsOf(person)
    const existing = new Set(await this.opts.conversations.conversationIds())
    const out: (ThreadSummary & { role: ThreadRole })[] = []
    for (const { thread, student, role } of readable) {
      if (person.kind === 'account' && !existing.has(thread)) continue
      const log = await this.opts.conversations.log(thread)
      out.push({
        thread,
        studentId: student.id,
        studentName: student.name.slice(0, 40),
        tutorName: student.tutorName.slice(0, 40),
        unread: role === 'staff' ? 0 : this.opts.conversations.unread(log, threadReader(role)),
        lastAt: log.messages.at(-1)?.at ?? null,
        role,
      })
    }
    return out
  }

  private async open(conn: ThreadConnection, seat: Seat, thread: string): Promise<void> {
    if (!seat.opens.take('open').ok) throw new HttpError(429, 'rate_limited', 'Too many conversations opened; wait a moment')
    const { role } = await this.opts.access.open(seat.person, thread, 'read')
    const log = await this.opts.conversations.log(thread)
    if (!conn.open) return
    seat.opened.add(thread)
    const reader = threadReader(role)
    // Loaded and sent in one turn: no live message of this thread can come between.
    for (const frame of historyFrames(log, reader, role === 'staff' ? 0 : this.opts.conversations.unread(log, reader))) conn.send({ ...frame, thread })
  }

  private async send(conn: ThreadConnection, seat: Seat, msg: Extract<ThreadClientMessage, { type: 'chat-send' }>): Promise<void> {
    const { thread, clientId } = msg
    let message: ChatMessage
    let student: ThreadStudent
    try {
      student = (await this.opts.access.open(seat.person, thread, 'write')).student
      message = await this.opts.conversations.post(thread, seat.self, msg.draft)
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      const retry = error.options.retryAfterSeconds
      conn.send({ type: 'chat-refused', thread, clientId, code: error.code, message: error.message, ...(retry === undefined ? {} : { retryAfterSeconds: retry }) })
      return
    }
    conn.send({ type: 'chat-message', thread, message, clientId })
    this.deliver(thread, student, message, new Set([conn]))
  }

  /**
   * A message its writer wrote somewhere else (a tutor's check-in from the
   * at-risk dashboard): checked, stored and delivered as if typed in the thread.
   */
  async post(person: ThreadPerson, studentId: string, text: string): Promise<ChatMessage> {
    const thread = threadIdOf(studentId)
    const { student } = await this.opts.access.open(person, thread, 'write')
    const message = await this.opts.conversations.post(thread, participantOf(person), { kind: 'text', text })
    this.deliver(thread, student, message, new Set())
    return message
  }

  /** To every open socket of both people, and staff following the thread, except those already sent it. */
  private deliver(thread: string, student: ThreadStudent, message: ChatMessage, delivered: Set<ThreadConnection>): void {
    const audiences = [`student:${student.id}`, `account:${student.accountId}`]
    for (const audience of audiences) {
      for (const other of this.byAudience.get(audience) ?? []) {
        if (delivered.has(other)) continue
        delivered.add(other)
        other.send({ type: 'chat-message', thread, message })
      }
    }
    // Staff following this thread (where the server lets them) see it too.
    for (const [other, otherSeat] of this.seats) {
      if (!delivered.has(other) && otherSeat.opened.has(thread)) other.send({ type: 'chat-message', thread, message })
    }
  }

  private depart(conn: ThreadConnection): void {
    this.connections.delete(conn)
    const seat = this.seats.get(conn)
    if (!seat) return
    this.seats.delete(conn)
    const mine = this.byAudience.get(seat.audience)
    mine?.delete(conn)
    if (mine?.size === 0) this.byAudience.delete(seat.audience)
  }

  /** Server shutdown: clients see 1001 and reconnect later. */
  close(): Promise<void> {
    this.closing ??= this.shutDown()
    return this.closing
  }

  private async shutDown(): Promise<void> {
    clearInterval(this.heartbeatTimer)
    for (const conn of this.connections) conn.close(1001, 'server shutting down')
    const cut = setTimeout(() => {
      for (const ws of this.wss.clients) ws.terminate()
    }, 1000)
    cut.unref()
    await new Promise<void>((resolve) => this.wss.close(() => resolve()))
    clearTimeout(cut)
  }
}
