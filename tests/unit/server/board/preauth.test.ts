import { EventEmitter } from 'node:events'
import type { Duplex } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type WebSocket from 'ws'
import { frameDocumentName, PendingSockets, PreAuthGate, type PreAuthLimits } from '../../../../src/server/board/preauth'
import { authFrame, updateFrame } from '../../../support/boardClient'
import { memoryLogger } from '../helpers'

const LIMITS: PreAuthLimits = { maxBytes: 1000, maxFrames: 5, maxPendingNames: 2, timeoutMs: 10_000, maxPendingSocketsPerAddress: 2 }
const DOC = '5b0a3d2e-8c55-4d0e-9d7e-6f1f7e0a0b11'

class FakeSocket extends EventEmitter {
  ended: { how: 'terminate' | 'close'; code?: number } | null = null
  terminate(): void {
    this.ended ??= { how: 'terminate' }
    this.emit('close')
  }
  close(code: number): void {
    this.ended ??= { how: 'close', code }
  }
}

function gateOn(limits = LIMITS) {
  const ws = new FakeSocket()
  const raw = new EventEmitter()
  const logger = memoryLogger()
  const settled = vi.fn()
  const gate = new PreAuthGate(ws as unknown as WebSocket, raw as unknown as Duplex, '10.0.0.9', limits, logger, settled)
  // What arrives: the raw bytes first (the TCP chunk), then the frame ws made of them.
  const send = (frame: Uint8Array) => {
    raw.emit('data', Buffer.from(frame))
    ws.emit('message', Buffer.from(frame))
  }
  return { ws, raw, logger, settled, gate, send }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('board socket before authentication', () => {
  it('reads the document name of a Hocuspocus frame, and nothing of a malformed one', () => {
    expect(frameDocumentName(Buffer.from(authFrame(DOC, 'token')))).toBe(DOC)
    expect(frameDocumentName(Buffer.from([40, 1, 2]))).toBeNull()
    expect(frameDocumentName(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBeNull()
  })

  it('cuts a socket that sends more bytes than the cap before authenticating, and logs who it was', () => {
    const { ws, logger, send, settled } = gateOn()
    send(updateFrame(DOC, new Uint8Array(600)))
    expect(ws.ended).toBeNull()
    send(updateFrame(DOC, new Uint8Array(600)))
    expect(ws.ended).toEqual({ how: 'terminate' })
    expect(logger.lines).toContainEqual({ level: 'warn', msg: 'Board socket closed before authentication', fields: expect.objectContaining({ ip: '10.0.0.9', reason: 'flood' }) })
    expect(settled).toHaveBeenCalledTimes(1)
  })

  it('counts the bytes of a frame still arriving (ws holds it until it is whole)', () => {
    const { ws, raw } = gateOn()
    for (let i = 0; i < 3; i++) raw.emit('data', Buffer.alloc(400))
    expect(ws.ended).toEqual({ how: 'terminate' })
  })

  it('cuts a socket that sends more frames than the cap for a name not authenticated', () => {
    const { ws, send } = gateOn()
    for (let i = 0; i < LIMITS.maxFrames; i++) send(updateFrame(DOC, new Uint8Array(2)))
    expect(ws.ended).toBeNull()
    send(updateFrame(DOC, new Uint8Array(2)))
    expect(ws.ended).toEqual({ how: 'terminate' })
  })

  it('cuts a socket that opens more document names than the cap', () => {
    const { ws, send } = gateOn()
    send(authFrame('a', 'x'))
    send(authFrame('b', 'x'))
    expect(ws.ended).toBeNull()
    send(authFrame('c', 'x'))
    expect(ws.ended).toEqual({ how: 'terminate' })
  })

  it('closes a socket that never authenticates, and one whose name never gets past authentication', () => {
    const silent = gateOn()
    vi.advanceTimersByTime(LIMITS.timeoutMs - 1)
    expect(silent.ws.ended).toBeNull()
    vi.advanceTimersByTime(1)
    expect(silent.ws.ended).toEqual({ how: 'close', code: 4408 })
    // A peer that does not answer the close frame is cut a second later.
    vi.advanceTimersByTime(1000)
    expect(silent.logger.lines.filter((l) => l.msg === 'Board socket closed before authentication')).toHaveLength(1)

    const stuck = gateOn()
    stuck.send(authFrame(DOC, 'token'))
    stuck.gate.authenticated(DOC)
    vi.advanceTimersByTime(LIMITS.timeoutMs)
    expect(stuck.ws.ended).toEqual({ how: 'close', code: 4408 })
  })

  it('leaves an authenticated, connected document alone: its frames are not counted, it never times out', () => {
    const { ws, gate, send, settled } = gateOn()
    send(authFrame(DOC, 'token'))
    gate.authenticated(DOC)
    gate.connectedTo(DOC)
    expect(settled).toHaveBeenCalledTimes(1)
    for (let i = 0; i < 50; i++) send(updateFrame(DOC, new Uint8Array(900)))
    vi.advanceTimersByTime(10 * LIMITS.timeoutMs)
    expect(ws.ended).toBeNull()
    // Another name on the same socket is counted on its own.
    for (let i = 0; i <= LIMITS.maxFrames; i++) send(updateFrame('other', new Uint8Array(2)))
    expect(ws.ended).toEqual({ how: 'terminate' })
  })

  it('closes a socket left with no document once its last one disconnects', () => {
    const { ws, gate, send } = gateOn()
    send(authFrame(DOC, 'token'))
    gate.authenticated(DOC)
    gate.connectedTo(DOC)
    gate.disconnected(DOC)
    vi.advanceTimersByTime(LIMITS.timeoutMs)
    expect(ws.ended).toEqual({ how: 'close', code: 4408 })
  })

  it('stops its timers when the socket closes', () => {
    const { ws, logger, settled } = gateOn()
    ws.emit('close')
    vi.advanceTimersByTime(2 * LIMITS.timeoutMs)
    expect(ws.ended).toBeNull()
    expect(logger.lines).toEqual([])
    expect(settled).toHaveBeenCalledTimes(1)
  })
})

describe('sockets waiting for authentication, per address', () => {
  it('gives each address a bounded number of slots and takes each back once', () => {
    const sockets = new PendingSockets(2)
    const a = sockets.take('1.1.1.1')
    const b = sockets.take('1.1.1.1')
    expect(a && b).toBeTruthy()
    expect(sockets.take('1.1.1.1')).toBeNull()
    expect(sockets.take('2.2.2.2')).not.toBeNull()
    a?.()
    a?.()
    expect(sockets.take('1.1.1.1')).not.toBeNull()
    expect(sockets.take('1.1.1.1')).toBeNull()
  })
})
