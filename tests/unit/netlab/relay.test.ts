import dgram, { type Socket } from 'node:dgram'
import { performance } from 'node:perf_hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { Link, seededRandom, type LinkSpec } from '../../netlab/impairment'
import { ImpairmentRelay, relaySocket } from '../../netlab/relay'

/**
 * The relay with real sockets, in bounded real-time runs: a client sends
 * numbered datagrams through the relay to an echo server and back. Checks
 * what arrives and in which order; times only against generous bounds.
 */
const sockets: Socket[] = []
const relays: ImpairmentRelay[] = []

afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.stop()
  for (const socket of sockets.splice(0)) socket.close()
})

async function bound(socket: Socket): Promise<number> {
  sockets.push(socket)
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  return socket.address().port
}

async function lab(up: LinkSpec, down: LinkSpec = {}, accept = true, observed?: { up: number; down: number }) {
  // Large receive buffers on the test's own sockets too, so that only the link loses datagrams on a loaded machine.
  const echo = relaySocket()
  echo.on('message', (msg, from) => echo.send(msg, from.port, from.address))
  const echoPort = await bound(echo)
  const links = { up: new Link(up, seededRandom(11)), down: new Link(down, seededRandom(12)) }
  const relay = new ImpairmentRelay({
    target: { host: '127.0.0.1', port: echoPort },
    linkFor: () => (accept ? links : null),
    observe: (pair, direction) => {
      if (observed && pair === links) observed[direction] += 1
    },
  })
  relays.push(relay)
  const relayPort = await relay.start()
  const client = relaySocket()
  const back = new Map<number, number>()
  client.on('message', (msg) => back.set(msg.readUInt32BE(0), performance.now()))
  await bound(client)
  const sentAt = new Map<number, number>()
  /** Sends `count` datagrams of `bytes`, `perTick` every `tickMs`. */
  const send = async (count: number, bytes: number, perTick: number, tickMs: number, onTick?: (i: number) => void) => {
    for (let i = 0; i < count; ) {
      onTick?.(i)
      for (let k = 0; k < perTick && i < count; k += 1, i += 1) {
        const msg = Buffer.alloc(bytes)
        msg.writeUInt32BE(i, 0)
        sentAt.set(i, performance.now())
        client.send(msg, relayPort, '127.0.0.1')
      }
      await new Promise((resolve) => setTimeout(resolve, tickMs))
    }
  }
  /** Waits until nothing has come back for `quietMs` (at most 5 s): a busy machine may deliver late, never early. */
  const settle = async (quietMs: number) => {
    const deadline = performance.now() + 5000
    let count = -1
    while (count !== back.size && performance.now() < deadline) {
      count = back.size
      await new Promise((resolve) => setTimeout(resolve, quietMs))
    }
  }
  return { links, relay, send, settle, back, sentAt }
}

describe('ImpairmentRelay', () => {
  it('forwards both ways and back to the right client when the link is clean', async () => {
    const { send, settle, back } = await lab({})
    await send(200, 100, 20, 5)
    await settle(100)
    expect(back.size).toBe(200)
  })

  it('drops what the link loses: measured loss matches within a few percent', async () => {
    const { send, settle, back, links } = await lab({ lossPct: 25 })
    await send(2000, 100, 50, 5)
    await settle(150)
    const measured = (1 - back.size / 2000) * 100
    expect(Math.abs(measured - 25) / 25).toBeLessThan(0.1)
    expect(links.up.counts.lost.loss).toBe(2000 - back.size)
  })

  it("lets an observer see each direction's datagrams before the link impairs them", async () => {
    const observed = { up: 0, down: 0 }
    const { send, settle, back } = await lab({}, { lossPct: 50 }, true, observed)
    await send(400, 100, 40, 5)
    await settle(150)
    expect(observed.up).toBe(400)
    // Every echo reached the relay (and the observer); about half were then lost on the way down.
    expect(observed.down).toBe(400)
    expect(back.size).toBeLessThan(300)
  })

  it('delays each direction as asked (never early) and keeps the order', async () => {
    const { send, settle, back, sentAt } = await lab({ delayMs: 40 }, { delayMs: 20 })
    await send(100, 100, 5, 10)
    await settle(200)
    expect(back.size).toBe(100)
    const rtts = [...back].map(([i, at]) => at - sentAt.get(i)!).sort((a, b) => a - b)
    expect(rtts[0]).toBeGreaterThanOrEqual(59)
    // Timers fire late on a busy machine, never early; this only catches a relay that sits on packets.
    expect(rtts[50]).toBeLessThan(60 + 500)
    const order = [...back].sort((a, b) => a[1] - b[1]).map(([i]) => i)
    expect(order).toEqual([...order].sort((a, b) => a - b))
  })

  it('delivers what the cap lets through, none before its time, and drops what its queue cannot hold', async () => {
    const { send, settle, back, links } = await lab({ rateKbps: 800, queueMs: 100 })
    const due: number[] = []
    links.up.onEvent((e) => {
      if ('deliverAt' in e.verdict) due.push(e.verdict.deliverAt)
    })
    // 1172-byte datagrams (1200 on the wire), 6 every 10 ms: 5.8 Mbit/s offered into 800 kbit/s.
    await send(600, 1172, 6, 10)
    await settle(200)
    // The model's rate and queue are measured with a fake clock (impairment.test.ts); the relay must honour them.
    expect(back.size).toBe(links.up.counts.delivered)
    expect(links.up.counts.lost.queue).toBeGreaterThan(300)
    const arrivals = [...back.values()].sort((a, b) => a - b)
    for (const [k, at] of arrivals.entries()) expect(at).toBeGreaterThanOrEqual(due[k]! - 1)
  })

  it('an outage drops everything while it lasts, then traffic flows again', async () => {
    const { send, settle, back, links, sentAt } = await lab({})
    let cutAt = 0
    await send(500, 100, 10, 10, (i) => {
      if (i === 100) {
        cutAt = performance.now()
        links.up.cutFor(200, cutAt)
        links.down.cutFor(200, cutAt)
      }
    })
    await settle(100)
    // The relay judges a datagram when it arrives, a little after it was sent: those sent in the
    // outage's last 50 ms may arrive after it on a busy machine, and are not counted either way.
    const during = [...sentAt].filter(([, at]) => at >= cutAt && at < cutAt + 150).map(([i]) => i)
    expect(during.length).toBeGreaterThan(0)
    for (const i of during) expect(back.has(i)).toBe(false)
    const after = [...sentAt].filter(([, at]) => at > cutAt + 210).map(([i]) => i)
    expect(after.length).toBeGreaterThan(0)
    expect(after.every((i) => back.has(i))).toBe(true)
  })

  it('a second allocation from the same client port reaches the TURN server from a new port (no 437 from coturn)', async () => {
    // A fake TURN server: answers Allocate requests with success and notes where each datagram came from.
    const turn = dgram.createSocket('udp4')
    const seenFrom: { port: number; type: number }[] = []
    turn.on('message', (msg, from) => {
      const type = msg.readUInt16BE(0)
      seenFrom.push({ port: from.port, type })
      if (type === 0x0003) {
        const answer = Buffer.from(msg)
        answer.writeUInt16BE(0x0103, 0)
        turn.send(answer, from.port, from.address)
      }
    })
    const turnPort = await bound(turn)
    const links = { up: new Link({}), down: new Link({}) }
    const relay = new ImpairmentRelay({ target: { host: '127.0.0.1', port: turnPort }, linkFor: () => links })
    relays.push(relay)
    const relayPort = await relay.start()
    const client = dgram.createSocket('udp4')
    await bound(client)
    const stun = (type: number) => {
      const msg = Buffer.alloc(20)
      msg.writeUInt16BE(type, 0)
      msg.writeUInt32BE(0x2112a442, 4)
      return msg
    }
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50))
    client.send(stun(0x0003), relayPort, '127.0.0.1') // Allocate
    await settle()
    client.send(stun(0x0004), relayPort, '127.0.0.1') // Refresh: same flow
    client.send(Buffer.from([0x40, 0, 0, 4, 1, 2, 3, 4]), relayPort, '127.0.0.1') // ChannelData: same flow
    await settle()
    client.send(stun(0x0003), relayPort, '127.0.0.1') // a new allocation
    await settle()
    const ports = seenFrom.map((s) => s.port)
    expect(ports).toHaveLength(4)
    expect(new Set(ports.slice(0, 3)).size).toBe(1)
    expect(ports[3]).not.toBe(ports[0])
  })

  it('ignores clients it has no link for', async () => {
    const { send, settle, back } = await lab({}, {}, false)
    await send(20, 100, 20, 5)
    await settle(50)
    expect(back.size).toBe(0)
  })
})
