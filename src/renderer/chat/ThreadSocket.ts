import { THREAD_WS_PATH, ThreadServerMessageSchema, type ThreadClientMessage, type ThreadServerMessage } from '../../shared/chat/thread'
import { MAX_WS_MESSAGE_BYTES, parseMessage } from '../../shared/lesson/signaling'

/** Waits between reconnection attempts (then the last one, repeated). */
const BACKOFF_MS = [500, 1000, 2000, 5000, 10_000, 30_000]
/** Close codes after which trying again cannot help (the code or key is not valid). */
const FINAL_CLOSE_CODES = new Set([4001])

/**
 * The threads' WebSocket from the page: hello with the personal code or
 * tutor key, every server message validated, reconnected with backoff (the
 * server sends the welcome again, and each followed thread is opened again
 * by the store). Messages while disconnected are not queued: send says so.
 */
export class ThreadSocket {
  private ws: WebSocket | null = null
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private stopped = false

  constructor(
    private readonly server: string,
    private readonly token: string,
    private readonly onMessage: (message: ThreadServerMessage) => void,
    private readonly onState: (state: 'connecting' | 'open' | 'closed' | 'refused') => void,
  ) {
    this.connect()
  }

  private connect(): void {
    if (this.stopped) return
    const url = new URL(THREAD_WS_PATH, this.server)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    this.onState('connecting')
    const ws = new WebSocket(url)
    this.ws = ws
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', token: this.token } satisfies ThreadClientMessage))
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string' || event.data.length > MAX_WS_MESSAGE_BYTES) return
      const parsed = parseMessage(ThreadServerMessageSchema, event.data)
      if (!parsed.ok) {
        console.warn('[duet] thread message ignored:', parsed.error)
        return
      }
      if (parsed.value.type === 'thread-welcome') {
        this.attempt = 0
        this.onState('open')
      }
      this.onMessage(parsed.value)
    }
    ws.onclose = (event) => {
      if (this.ws !== ws) return
      this.ws = null
      if (this.stopped) return
      if (FINAL_CLOSE_CODES.has(event.code)) return this.onState('refused')
      this.onState('closed')
      const wait = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] ?? 30_000
      this.attempt += 1
      this.retryTimer = setTimeout(() => this.connect(), wait)
    }
  }

  /** False when the socket is not open (the caller shows the message as not sent). */
  send(message: ThreadClientMessage): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false
    this.ws.send(JSON.stringify(message))
    return true
  }

  close(): void {
    this.stopped = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.ws?.close(1000, 'closed')
    this.ws = null
  }
}
