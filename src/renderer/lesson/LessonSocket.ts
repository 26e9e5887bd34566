import mitt from 'mitt'
import {
  ClientMessageSchema,
  CloseCode,
  parseMessage,
  ServerMessageSchema,
  WS_PATH,
  type ClientMessage,
  type ServerMessage,
} from '../../shared/lesson/signaling'
import type { ErrorCode } from '../../shared/errors'

/** Why the lesson connection ended for good; 'replaced' = opened again in another window. */
export type FatalCode = ErrorCode | 'replaced'

export type SocketState = 'connecting' | 'open' | 'reconnecting' | 'closed'

type Events = {
  message: ServerMessage
  state: SocketState
  /** The server refused us for good (bad pass, lesson full or ended). */
  fatal: { code: FatalCode; message: string }
}

/** What features beside the room use of the lesson socket: its messages, and sending their own. */
export type LessonChannel = Pick<LessonSocket, 'on' | 'off' | 'send'>

/** Reconnect delays: quick first retry, then back off to at most 5 s. */
const BACKOFF_MS = [300, 1000, 2000, 3000, 5000]

/** Close codes after which reconnecting cannot help. */
const FATAL_CLOSE_CODES = new Set<number>([CloseCode.unauthorized, CloseCode.forbidden, CloseCode.lessonFull, CloseCode.lessonEnded, CloseCode.replaced])

/**
 * The lesson's WebSocket to the session server: says hello with the lesson
 * pass, validates every frame, and reconnects by itself when the network drops.
 */
export class LessonSocket {
  private readonly emitter = mitt<Events>()
  readonly on = this.emitter.on
  readonly off = this.emitter.off
  private ws: WebSocket | null = null
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private stopped = false
  private fatalSeen = false
  state: SocketState = 'connecting'

  constructor(
    private readonly server: string,
    private readonly token: string,
  ) {}

  connect(): void {
    this.stopped = false
    this.fatalSeen = false
    this.open()
  }

  send(message: ClientMessage): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false
    this.ws.send(JSON.stringify(ClientMessageSchema.parse(message)))
    return true
  }

  /** Closes for good (after leave / end). */
  close(): void {
    this.stopped = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.ws?.close(1000)
    this.ws = null
    this.setState('closed')
  }

  private open(): void {
    const url = new URL(WS_PATH, this.server)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    const ws = new WebSocket(url)
    this.ws = ws
    ws.onopen = () => {
      performance.mark('duet:socket-open')
      ws.send(JSON.stringify({ type: 'hello', token: this.token } satisfies ClientMessage))
    }
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string') return
      const parsed = parseMessage(ServerMessageSchema, event.data)
      if (!parsed.ok) {
        console.warn('[duet] ignored a malformed server message:', parsed.error)
        return
      }
      const message = parsed.value
      if (message.type === 'welcome') {
        // Only a welcome proves the lesson works again; a server that accepts and then drops us keeps backing off.
        this.attempt = 0
        this.setState('open')
      }
      if (message.type === 'error' && message.fatal) {
        this.fatalSeen = true
        this.emitter.emit('fatal', { code: message.code, message: message.message })
      }
      this.emitter.emit('message', message)
    }
    ws.onclose = (event) => {
      if (this.ws !== ws) return
      this.ws = null
      if (this.stopped) return
      if (this.fatalSeen || FATAL_CLOSE_CODES.has(event.code)) {
        if (!this.fatalSeen) this.emitter.emit('fatal', { code: fatalCodeFor(event.code), message: event.reason })
        this.stopped = true
        this.setState('closed')
        return
      }
      this.scheduleReconnect()
    }
  }

  private scheduleReconnect(): void {
    this.setState('reconnecting')
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] ?? 5000
    this.attempt += 1
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      if (!this.stopped) this.open()
    }, delay)
  }

  private setState(state: SocketState): void {
    if (this.state === state) return
    this.state = state
    this.emitter.emit('state', state)
  }
}

function fatalCodeFor(closeCode: number): FatalCode {
  switch (closeCode) {
    case CloseCode.replaced:
      return 'replaced'
    case CloseCode.lessonFull:
      return 'lesson_full'
    case CloseCode.lessonEnded:
      return 'lesson_ended'
    case CloseCode.forbidden:
      return 'forbidden'
    default:
      return 'unauthorized'
  }
}
