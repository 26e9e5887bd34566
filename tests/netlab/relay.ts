import dgram, { type RemoteInfo, type Socket } from 'node:dgram'
import { performance } from 'node:perf_hooks'
import type { Link } from './impairment'
import { stunType } from './rtpWire'

/** The two directions of one person's link: `up` from their browser to the TURN server, `down` back. */
export interface LinkPair {
  up: Link
  down: Link
}

export interface RelayOptions {
  /** Where datagrams go (the TURN server). */
  target: { host: string; port: number }
  /** Which link a client's datagrams cross, from its address (null: not ours, dropped). */
  linkFor(client: RemoteInfo): LinkPair | null
  host?: string
  /** Sees every datagram of a client's link before the link impairs it (`up`: from the client, `down`: towards it). */
  observe?(pair: LinkPair, direction: 'up' | 'down', msg: Buffer): void
}

/** One client's way to the TURN server: its own upstream socket, as a NAT mapping. */
interface Flow {
  socket: Socket
  /** The TURN server granted an allocation on this flow. */
  allocated: boolean
  /** Replaced or forgotten: datagrams still queued for it are dropped. */
  closed: boolean
}

const ALLOCATE_REQUEST = 0x0003
const ALLOCATE_SUCCESS = 0x0103

/** A datagram waiting for its delivery time. */
interface Pending {
  at: number
  send(): void
}

/**
 * Receive buffers of 2 MiB (the kernel caps it at net.core.rmem_max): with the
 * default ~200 KiB a busy event loop lets the kernel drop datagrams while it is
 * away (RcvbufErrors), which would be loss the profile never asked for and the
 * link's counters never see.
 */
export const RELAY_RECEIVE_BUFFER = 2 * 1024 * 1024

export function relaySocket(): Socket {
  return dgram.createSocket({ type: 'udp4', recvBufferSize: RELAY_RECEIVE_BUFFER })
}

/**
 * A userspace UDP relay between browsers and a TURN server that impairs each
 * direction through a Link. Each client address gets its own upstream socket,
 * as a NAT gives it, so the TURN server's answers find their way back through
 * the same link.
 */
export class ImpairmentRelay {
  private readonly front: Socket = relaySocket()
  private readonly flows = new Map<string, Flow>()
  private readonly queues = new Map<Link, { items: Pending[]; timer: NodeJS.Timeout | null }>()
  private closed = false
  port = 0

  constructor(private readonly options: RelayOptions) {}

  async start(): Promise<number> {
    this.front.on('message', (msg, from) => this.fromClient(msg, from))
    this.front.on('error', (error) => console.warn('[netlab] relay socket error', error))
    await new Promise<void>((resolve) => this.front.bind(0, this.options.host ?? '127.0.0.1', resolve))
    this.port = this.front.address().port
    return this.port
  }

  async stop(): Promise<void> {
    this.closed = true
    for (const queue of this.queues.values()) if (queue.timer) clearTimeout(queue.timer)
    this.queues.clear()
    for (const flow of this.flows.values()) this.closeFlow(flow)
    this.flows.clear()
    await new Promise<void>((resolve) => this.front.close(() => resolve()))
  }

  /**
   * Forgets every client: their next datagrams leave from new ports. A new
   * lesson's browsers reuse the same port range, and coturn refuses an
   * Allocate from a 5-tuple that still has an allocation (437 Allocation
   * Mismatch); on a real network a new browser would come from a new address.
   */
  forgetClients(): void {
    for (const flow of this.flows.values()) this.closeFlow(flow)
    this.flows.clear()
  }

  private closeFlow(flow: Flow): void {
    flow.closed = true
    flow.socket.close()
  }

  private fromClient(msg: Buffer, from: RemoteInfo): void {
    const pair = this.options.linkFor(from)
    if (!pair) return
    const flow = this.flowFor(from, pair, stunType(msg) === ALLOCATE_REQUEST)
    this.options.observe?.(pair, 'up', msg)
    this.pass(pair.up, msg, () => {
      if (!flow.closed) flow.socket.send(msg, this.options.target.port, this.options.target.host)
    })
  }

  /**
   * The client's flow; a new one when it asks for a second allocation. Each
   * browser sends from a small port range (that is how the lab tells people
   * apart), so a new connection often gets the port a closed one just used,
   * and coturn refuses a second allocation on the same 5-tuple (437) until
   * the first times out. A new upstream port makes it a new 5-tuple, as a new
   * random port would on a real machine.
   */
  private flowFor(client: RemoteInfo, pair: LinkPair, allocating: boolean): Flow {
    const key = `${client.address}:${client.port}`
    const existing = this.flows.get(key)
    if (existing && !(allocating && existing.allocated)) return existing
    if (existing) this.closeFlow(existing)
    const flow: Flow = { socket: relaySocket(), allocated: false, closed: false }
    flow.socket.on('message', (msg) => {
      if (stunType(msg) === ALLOCATE_SUCCESS) flow.allocated = true
      this.options.observe?.(pair, 'down', msg)
      this.pass(pair.down, msg, () => {
        if (!this.closed) this.front.send(msg, client.port, client.address)
      })
    })
    flow.socket.on('error', (error) => console.warn('[netlab] upstream socket error', error))
    flow.socket.bind(0, this.options.host ?? '127.0.0.1')
    this.flows.set(key, flow)
    return flow
  }

  /** Applies the link's verdict: drop now, or send at its delivery time. */
  private pass(link: Link, msg: Buffer, send: () => void): void {
    if (this.closed) return
    const now = performance.now()
    const verdict = link.offer(msg.length, now)
    if ('drop' in verdict) return
    const deliver = () => {
      // A packet still on its way when an outage begins is lost with the link.
      if (!link.isDown(performance.now())) send()
    }
    let queue = this.queues.get(link)
    if (!queue) {
      queue = { items: [], timer: null }
      this.queues.set(link, queue)
    }
    if (verdict.deliverAt <= now && queue.items.length === 0) {
      deliver()
      return
    }
    // Delivery times of one link never decrease (it keeps order), so its queue is a FIFO with one timer.
    queue.items.push({ at: verdict.deliverAt, send: deliver })
    if (!queue.timer) this.arm(queue)
  }

  private arm(queue: { items: Pending[]; timer: NodeJS.Timeout | null }): void {
    const head = queue.items[0]
    if (!head) {
      queue.timer = null
      return
    }
    queue.timer = setTimeout(() => this.flush(queue), Math.max(0, head.at - performance.now()))
  }

  private flush(queue: { items: Pending[]; timer: NodeJS.Timeout | null }): void {
    queue.timer = null
    if (this.closed) return
    // Timers fire up to a millisecond late; anything due within half a millisecond goes now.
    const now = performance.now() + 0.5
    let sent = 0
    while (sent < queue.items.length && queue.items[sent]!.at <= now) queue.items[sent++]!.send()
    queue.items.splice(0, sent)
    this.arm(queue)
  }
}
