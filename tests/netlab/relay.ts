import dgram, { type RemoteInfo, type Socket } from 'node:dgram'
import { performance } from 'node:perf_hooks'
import type { Link } from './impairment'

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
}

/** A datagram waiting for its delivery time. */
interface Pending {
  at: number
  send(): void
}

/**
 * A userspace UDP relay between browsers and a TURN server that impairs each
 * direction through a Link. Each client address gets its own upstream socket,
 * as a NAT gives it, so the TURN server's answers find their way back through
 * the same link.
 */
export class ImpairmentRelay {
  private readonly front: Socket = dgram.createSocket('udp4')
  private readonly flows = new Map<string, Socket>()
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
    for (const socket of this.flows.values()) socket.close()
    this.flows.clear()
    await new Promise<void>((resolve) => this.front.close(() => resolve()))
  }

  private fromClient(msg: Buffer, from: RemoteInfo): void {
    const pair = this.options.linkFor(from)
    if (!pair) return
    const upstream = this.upstreamFor(from, pair)
    this.pass(pair.up, msg, () => upstream.send(msg, this.options.target.port, this.options.target.host))
  }

  private upstreamFor(client: RemoteInfo, pair: LinkPair): Socket {
    const key = `${client.address}:${client.port}`
    let socket = this.flows.get(key)
    if (socket) return socket
    socket = dgram.createSocket('udp4')
    socket.on('message', (msg) => this.pass(pair.down, msg, () => this.front.send(msg, client.port, client.address)))
    socket.on('error', (error) => console.warn('[netlab] upstream socket error', error))
    socket.bind(0, this.options.host ?? '127.0.0.1')
    this.flows.set(key, socket)
    return socket
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
