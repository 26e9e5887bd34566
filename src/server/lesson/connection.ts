import WebSocket, { type RawData } from 'ws'
import type { z } from 'zod'
import type { ErrorCode } from '../../shared/errors'
import type { Participant } from '../../shared/lesson/lesson'
import { CloseCode, ClientMessageSchema, MAX_WS_MESSAGE_BYTES, parseMessage, type ClientMessage, type ServerMessage } from '../../shared/lesson/signaling'
import type { Logger } from '../logger'
import { RateLimiter } from '../http/rateLimit'

/** Bad frames tolerated from one socket before it is closed with 4000. */
export const MAX_BAD_MESSAGES = 20
/** A peer this far behind on reading is too slow to relay to; drop it. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024
/**
 * Relaying to a peer that has this much unread stops until it catches up:
 * the sender is throttled (its messages refused), so a flooding sender can
 * never push its peer over MAX_BUFFERED_BYTES and get them dropped.
 */
const RELAY_BACKLOG_BYTES = 512 * 1024
/** Relayed messages per sender per minute (a call's ICE candidates and media changes need a few dozen). */
const RELAYS_PER_MINUTE = 1200
/** Refused relays tolerated before the sender is closed as abusive. */
const MAX_REFUSED_RELAYS = 200

/** What every socket of the server may be told: an error (fatal or not). */
type ErrorFrame = Extract<ServerMessage, { type: 'error' }>

/**
 * One WebSocket: framing, validation, ordered handling, heartbeat and error
 * counting. The lesson's logic lives in sockets.ts; the threads between
 * lessons use it with their own messages (src/server/chat/threadSockets.ts).
 */
export class Connection<In = ClientMessage, Out extends { type: string } = ServerMessage> {
  self: Participant | null = null
  lessonId: string | null = null
  /** Heartbeat pings sent without a pong (or any frame) since. */
  missedPongs = 0
  private badMessages = 0
  private refusedRelays = 0
  private readonly relayLimiter: RateLimiter
  private queue: Promise<void> = Promise.resolve()
  /** Set once this side closes the socket: later frames are not read. */
  private stopped = false
  private helloTimer: NodeJS.Timeout | null = null

  constructor(
    readonly ws: WebSocket,
    readonly ip: string,
    private readonly logger: Logger,
    now: () => number = Date.now,
    private readonly schema: z.ZodType<In> = ClientMessageSchema as unknown as z.ZodType<In>,
  ) {
    this.relayLimiter = new RateLimiter({ perMinute: RELAYS_PER_MINUTE, now, maxKeys: 1 })
  }

  /**
   * Whether a message from this socket may be relayed to `peer` now. The
   * sender pays for a backlog, not the receiver: refused messages get a
   * non-fatal rate_limited, and a sender that keeps pushing is closed.
   */
  mayRelayTo(peer: Connection<In, Out>): boolean {
    const behind = peer.ws.bufferedAmount > RELAY_BACKLOG_BYTES
    if (!behind && this.relayLimiter.take('relay').ok) return true
    this.refusedRelays += 1
    if (this.refusedRelays === 1 || this.refusedRelays % 50 === 0) {
      this.logger.warn('Relay throttled', { ip: this.ip, lessonId: this.lessonId, reason: behind ? 'peer backlog' : 'rate', refused: this.refusedRelays })
    }
    if (this.refusedRelays > MAX_REFUSED_RELAYS) this.fail('rate_limited', 'Too many messages for your peer', CloseCode.badMessage)
    else this.send({ type: 'error', code: 'rate_limited', message: 'Too many messages; slow down', fatal: false })
    return false
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }

  /**
   * Runs `handle` for each valid message, one at a time and in order (hello is
   * async), and `onClose` after the last of them. A message that arrived
   * before the peer's close frame is still handled: an app that sends
   * `leave` and closes at once (Leave) often has both frames read in one
   * chunk, and the socket is already closing when the message's turn comes.
   */
  listen(handle: (msg: In) => Promise<void> | void, onClose: () => void): void {
    this.ws.on('message', (data, isBinary) => {
      this.missedPongs = 0
      this.queue = this.queue
        .then(() => {
          if (this.stopped) return
          const msg = this.decode(data, isBinary)
          return msg ? handle(msg) : undefined
        })
        .catch((err: unknown) => {
          // One broken handler must not take the server or other lessons down.
          this.logger.error('WebSocket handler failed', { lessonId: this.lessonId, error: err instanceof Error ? err.stack : String(err) })
          this.send({ type: 'error', code: 'internal', message: 'Internal server error', fatal: false })
        })
    })
    this.ws.on('pong', () => {
      this.missedPongs = 0
    })
    this.ws.on('error', (err) => this.logger.warn('WebSocket error', { ip: this.ip, error: err.message }))
    this.ws.on('close', () => {
      this.clearHelloTimer()
      this.queue = this.queue.then(onClose)
    })
  }

  private decode(data: RawData, isBinary: boolean): In | null {
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)
    if (isBinary) return this.bad('Binary frames are not accepted')
    if (buf.length > MAX_WS_MESSAGE_BYTES) return this.bad(`Message is larger than ${MAX_WS_MESSAGE_BYTES} bytes`)
    const parsed = parseMessage(this.schema, buf.toString('utf8'))
    return parsed.ok ? parsed.value : this.bad(`Invalid message: ${parsed.error}`)
  }

  /** Reports a bad frame without acting on it; too many in a row look like abuse. */
  bad(message: string): null {
    this.badMessages += 1
    this.logger.warn('Bad WebSocket message', { ip: this.ip, lessonId: this.lessonId, reason: message })
    if (this.badMessages > MAX_BAD_MESSAGES) {
      this.fail('bad_request', 'Too many invalid messages', CloseCode.badMessage)
    } else {
      this.send({ type: 'error', code: 'bad_request', message: message.slice(0, 500), fatal: false })
    }
    return null
  }

  send(msg: Out | ErrorFrame): void {
    if (!this.open) return
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.logger.warn('Dropping a client that does not read', { ip: this.ip, lessonId: this.lessonId })
      this.ws.terminate()
      return
    }
    this.ws.send(JSON.stringify(msg))
  }

  /** Sends a fatal error and closes with an application close code. */
  fail(code: ErrorCode, message: string, closeCode: number): void {
    this.send({ type: 'error', code, message, fatal: true })
    this.close(closeCode, message)
  }

  close(code: number, reason: string): void {
    this.clearHelloTimer()
    this.stopped = true
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      // Close reasons are limited to 123 bytes.
      this.ws.close(code, Buffer.from(reason).subarray(0, 120).toString())
    }
  }

  startHelloTimer(ms: number, onTimeout: () => void): void {
    this.helloTimer = setTimeout(onTimeout, ms)
  }

  clearHelloTimer(): void {
    if (this.helloTimer) clearTimeout(this.helloTimer)
    this.helloTimer = null
  }

  /** Called every heartbeat interval; terminates after two unanswered pings. */
  heartbeat(): void {
    if (!this.open) return
    if (this.missedPongs >= 2) {
      this.logger.info('Heartbeat lost; terminating socket', { lessonId: this.lessonId, participantId: this.self?.id })
      this.ws.terminate()
      return
    }
    this.missedPongs += 1
    this.ws.ping()
  }
}
