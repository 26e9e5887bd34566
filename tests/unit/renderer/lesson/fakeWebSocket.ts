import type { ClientMessage, ServerMessage } from '../../../../src/shared/lesson/signaling'

/**
 * The browser's WebSocket with the test as the session server: it accepts
 * (or never answers), delivers server messages, reads what the client sent,
 * and drops the connection as a server going away does. Install it as the
 * global WebSocket (vi.stubGlobal) and LessonSocket runs unchanged on it.
 */
export class FakeWebSocket {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSING = 2
  static readonly CLOSED = 3
  /** Every socket the client opened, oldest first. */
  static opened: FakeWebSocket[] = []

  readyState = FakeWebSocket.CONNECTING
  onopen: ((event: Event) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: { code: number; reason: string }) => void) | null = null
  onerror: ((event: Event) => void) | null = null
  readonly sent: ClientMessage[] = []
  closedByClient: number | null = null

  constructor(readonly url: string | URL) {
    FakeWebSocket.opened.push(this)
  }

  static latest(): FakeWebSocket {
    const socket = FakeWebSocket.opened.at(-1)
    if (!socket) throw new Error('the client opened no socket')
    return socket
  }

  static reset(): void {
    FakeWebSocket.opened = []
  }

  send(data: string): void {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error('send on a socket that is not open')
    this.sent.push(JSON.parse(data) as ClientMessage)
  }

  close(code = 1000): void {
    if (this.readyState === FakeWebSocket.CLOSED) return
    this.closedByClient = code
    this.readyState = FakeWebSocket.CLOSED
    this.onclose?.({ code, reason: '' })
  }

  // ---- the server's side ----

  accept(): void {
    this.readyState = FakeWebSocket.OPEN
    this.onopen?.(new Event('open'))
  }

  deliver(message: ServerMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) })
  }

  /** The connection is gone (server stopped, network cut): 1006, as a browser reports it. */
  drop(code = 1006, reason = ''): void {
    this.readyState = FakeWebSocket.CLOSED
    this.onclose?.({ code, reason })
  }

  sentOfType<T extends ClientMessage['type']>(type: T): Extract<ClientMessage, { type: T }>[] {
    return this.sent.filter((m): m is Extract<ClientMessage, { type: T }> => m.type === type)
  }
}
