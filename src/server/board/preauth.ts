import type { Duplex } from 'node:stream'
import type WebSocket from 'ws'
import type { Logger } from '../logger'

/**
 * Limits on a board socket before it has proved who it is. Hocuspocus
 * queues every frame of a document name until that name is authenticated
 * and its document loaded, without limit, and keeps a socket that never
 * authenticates open forever; these caps bound both. They are checked by our
 * own listeners on the socket (added before Hocuspocus's, so they see each
 * frame first) and by the service's hooks, never inside Hocuspocus.
 *
 * An honest client sends, before its document is ready: the auth frame (a
 * token under 4 KB), its sync step 1 (a state vector, ~10 bytes per client
 * that ever edited the board), its awareness (≤ 32 KB) and whatever is drawn
 * while it connects (a few hundred bytes per 30 ms). The caps are far above
 * that, and a client cut off by one loses nothing: it reconnects and syncs
 * its whole state once it is in.
 */
export interface PreAuthLimits {
  /** Bytes a socket may send before any document on it is authenticated, and per document name before that name is. */
  maxBytes: number
  /** Frames per document name before that name is authenticated. */
  maxFrames: number
  /** Document names waiting for authentication at once on one socket (a client uses one). */
  maxPendingNames: number
  /** A name must be connected this long after its first frame; a socket with no connected document is closed after this long. */
  timeoutMs: number
  /** Sockets from one address that have not yet connected a document. */
  maxPendingSocketsPerAddress: number
}

export const PREAUTH_LIMITS: PreAuthLimits = {
  maxBytes: 256 * 1024,
  maxFrames: 256,
  maxPendingNames: 4,
  timeoutMs: 10_000,
  maxPendingSocketsPerAddress: 32,
}

/** Hocuspocus passes this to every hook of the socket's connections (`handleConnection`'s default context). */
export interface GateContext {
  gate: PreAuthGate
}

export function gateOf(context: unknown): PreAuthGate | null {
  const gate = (context as Partial<GateContext> | null)?.gate
  return gate instanceof PreAuthGate ? gate : null
}

/** The document name at the start of a Hocuspocus frame (lib0 varString), or null if it is not one. */
export function frameDocumentName(data: Buffer): string | null {
  let length = 0
  let pos = 0
  for (let shift = 0; ; shift += 7) {
    if (pos >= data.length || shift > 28) return null
    const b = data[pos++] as number
    length += (b & 0x7f) * 2 ** shift
    if (b < 0x80) break
  }
  return pos + length <= data.length ? data.toString('utf8', pos, pos + length) : null
}

interface Pending {
  frames: number
  bytes: number
  timer: NodeJS.Timeout
}

/**
 * One board socket's standing: document names waiting to authenticate
 * (counted and timed), authenticated ones waiting for their document to load
 * (timed), connected ones (free). Offenders are cut off and logged.
 */
export class PreAuthGate {
  /** No authenticated name yet: every byte on the socket counts. */
  private rawBytes = 0
  private everAuthenticated = false
  private everConnected = false
  private readonly pending = new Map<string, Pending>()
  /** Authenticated, document still loading. */
  private readonly admitted = new Map<string, NodeJS.Timeout>()
  private readonly connected = new Set<string>()
  private idleTimer: NodeJS.Timeout | null = null
  private closed = false

  constructor(
    private readonly ws: WebSocket,
    private readonly raw: Duplex,
    private readonly ip: string,
    private readonly limits: PreAuthLimits,
    private readonly logger: Logger,
    /** The socket connected its first document, or closed without one. */
    private readonly onSettled: () => void,
  ) {
    raw.on('data', this.countRaw)
    ws.on('message', this.onMessage)
    ws.once('close', this.dispose)
    this.startIdleTimer()
  }

  /** onAuthenticate accepted `name` on this socket: its frames no longer count. */
  authenticated(name: string): void {
    const pending = this.pending.get(name)
    if (pending) clearTimeout(pending.timer)
    this.pending.delete(name)
    if (!this.everAuthenticated) {
      this.everAuthenticated = true
      this.raw.off('data', this.countRaw)
    }
    // Its document may still be loading; if it never connects (a failed load), the name is stuck in Hocuspocus's queue.
    this.admitted.set(name, this.deadline(`document "${name.slice(0, 64)}" never connected after authentication`))
  }

  /** The `connected` hook: `name` is live on this socket. */
  connectedTo(name: string): void {
    const timer = this.admitted.get(name)
    if (timer) clearTimeout(timer)
    this.admitted.delete(name)
    this.connected.add(name)
    this.clearIdleTimer()
    if (!this.everConnected) {
      this.everConnected = true
      this.onSettled()
    }
  }

  /** The `onDisconnect` hook: `name`'s connection closed (Hocuspocus forgets it; a new auth frame starts over). */
  disconnected(name: string): void {
    this.connected.delete(name)
    if (this.connected.size === 0) this.startIdleTimer()
  }

  private readonly countRaw = (chunk: Buffer): void => {
    this.rawBytes += chunk.length
    if (this.rawBytes > this.limits.maxBytes) this.cut('flood', `${this.rawBytes} bytes before authentication`)
  }

  private readonly onMessage = (data: Buffer): void => {
    if (this.closed) return
    const name = frameDocumentName(data)
    // Not a Hocuspocus frame: Hocuspocus closes the socket itself.
    if (name === null || this.connected.has(name) || this.admitted.has(name)) return
    let pending = this.pending.get(name)
    if (!pending) {
      if (this.pending.size >= this.limits.maxPendingNames) return this.cut('flood', `more than ${this.limits.maxPendingNames} documents waiting for authentication`)
      pending = { frames: 0, bytes: 0, timer: this.deadline(`document "${name.slice(0, 64)}" not authenticated in time`) }
      this.pending.set(name, pending)
    }
    pending.frames += 1
    pending.bytes += data.length
    if (pending.frames > this.limits.maxFrames || pending.bytes > this.limits.maxBytes) {
      this.cut('flood', `${pending.frames} frames, ${pending.bytes} bytes for a document not authenticated`)
    }
  }

  private deadline(detail: string): NodeJS.Timeout {
    const timer = setTimeout(() => this.cut('timeout', detail), this.limits.timeoutMs)
    timer.unref()
    return timer
  }

  private startIdleTimer(): void {
    this.clearIdleTimer()
    this.idleTimer = this.deadline('no document connected')
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
  }

  /**
   * A flood is cut at once (terminate: nothing more is read, so nothing more
   * is queued); a timeout gets a close frame first, as an honest but slow
   * client deserves, and is cut a second later if the other end says nothing.
   */
  private cut(kind: 'flood' | 'timeout', detail: string): void {
    if (this.closed) return
    this.logger.warn('Board socket closed before authentication', { ip: this.ip, reason: kind, detail })
    this.dispose()
    if (kind === 'flood') {
      this.ws.terminate()
      return
    }
    this.ws.close(4408, 'authentication timeout')
    setTimeout(() => this.ws.terminate(), 1000).unref()
  }

  private readonly dispose = (): void => {
    if (this.closed) return
    this.closed = true
    this.raw.off('data', this.countRaw)
    this.clearIdleTimer()
    for (const { timer } of this.pending.values()) clearTimeout(timer)
    for (const timer of this.admitted.values()) clearTimeout(timer)
    this.pending.clear()
    this.admitted.clear()
    if (!this.everConnected) this.onSettled()
  }
}

/** Counts each address's sockets that have not yet connected a document, so one host cannot open them without end. */
export class PendingSockets {
  private readonly byAddress = new Map<string, number>()

  constructor(private readonly max: number) {}

  /** A slot for a new socket from `ip`, or null when that address has too many waiting. Call the release once. */
  take(ip: string): (() => void) | null {
    const count = this.byAddress.get(ip) ?? 0
    if (count >= this.max) return null
    this.byAddress.set(ip, count + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.byAddress.get(ip) ?? 1) - 1
      if (left <= 0) this.byAddress.delete(ip)
      else this.byAddress.set(ip, left)
    }
  }
}
