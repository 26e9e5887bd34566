import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { LessonSocket, type FatalCode, type SocketState } from '../../../../src/renderer/lesson/LessonSocket'
import { createSessionServer, type SessionServer } from '../../../../src/server/index'
import { silentLogger } from '../../../../src/server/logger'
import { CreateLessonResponseSchema, JoinResponseSchema } from '../../../../src/shared/lesson/api'
import { MAX_WS_MESSAGE_BYTES, type ServerMessage } from '../../../../src/shared/lesson/signaling'

/**
 * Node 20 has no global WebSocket; the renderer code expects the browser one.
 * ws emits 'error' as an EventEmitter event, which throws when nobody listens,
 * whereas a browser just fires a harmless event: add a no-op listener like a browser.
 */
class BrowserLikeWebSocket extends WebSocket {
  static created: BrowserLikeWebSocket[] = []
  constructor(url: string | URL) {
    super(url)
    this.on('error', () => {})
    BrowserLikeWebSocket.created.push(this)
  }
}

const g = globalThis as unknown as { WebSocket?: unknown }
const originalWebSocket = g.WebSocket
beforeAll(() => {
  g.WebSocket = BrowserLikeWebSocket
})
afterAll(() => {
  g.WebSocket = originalWebSocket
})

/** Records everything a LessonSocket reports. */
function watch(socket: LessonSocket) {
  const states: SocketState[] = []
  const messages: ServerMessage[] = []
  const fatals: { code: FatalCode; message: string }[] = []
  socket.on('state', (s) => states.push(s))
  socket.on('message', (m) => messages.push(m))
  socket.on('fatal', (f) => fatals.push(f))
  return { states, messages, fatals }
}

const sockets: LessonSocket[] = []
function lessonSocket(server: string, token: string): LessonSocket {
  const socket = new LessonSocket(server, token)
  sockets.push(socket)
  return socket
}
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close()
  BrowserLikeWebSocket.created = []
})

async function post(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(res.status).toBe(200)
  return res.json()
}

const WAIT = { timeout: 8000, interval: 20 }

describe('LessonSocket against a real session server', () => {
  let dataDir: string
  let server: SessionServer
  const start = (port = 0) =>
    createSessionServer({ port, host: '127.0.0.1', dataDir, webRoot: null, logger: silentLogger, heartbeatMs: 60_000 })

  beforeAll(async () => {
    // A data dir keeps the signing secret and lessons across a restart.
    dataDir = mkdtempSync(join(tmpdir(), 'duet-socket-'))
    server = await start()
  })
  afterAll(async () => {
    await server.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const createLesson = async () => CreateLessonResponseSchema.parse(await post(`${server.url}/api/lessons`, { tutorName: 'Ms Li' }))

  it('says hello with the pass, becomes open on welcome and can send', async () => {
    const lesson = await createLesson()
    const socket = lessonSocket(server.url, lesson.tutorToken)
    const seen = watch(socket)
    expect(socket.state).toBe('connecting')
    expect(socket.send({ type: 'ping', t: 1 })).toBe(false)

    socket.connect()
    await vi.waitFor(() => expect(socket.state).toBe('open'), WAIT)
    expect(seen.states).toEqual(['open'])
    const welcome = seen.messages.find((m) => m.type === 'welcome')
    expect(welcome).toMatchObject({ type: 'welcome', self: { role: 'tutor', name: 'Ms Li' }, peer: null, lesson: { id: lesson.lessonId } })
    expect(BrowserLikeWebSocket.created[0]?.url).toBe(`${server.url.replace('http:', 'ws:')}/ws`)

    expect(socket.send({ type: 'ping', t: 42 })).toBe(true)
    await vi.waitFor(() => expect(seen.messages).toContainEqual({ type: 'pong', t: 42 }), WAIT)

    // The student's arrival reaches the tutor's socket.
    const join = JoinResponseSchema.parse(await post(`${server.url}/api/invites/${lesson.inviteCode}/join`, { studentName: 'Wei' }))
    const student = lessonSocket(server.url, join.studentToken)
    const studentSeen = watch(student)
    student.connect()
    await vi.waitFor(() => expect(student.state).toBe('open'), WAIT)
    expect(studentSeen.messages[0]).toMatchObject({ type: 'welcome', self: { role: 'student' }, peer: { role: 'tutor' } })
    await vi.waitFor(() => expect(seen.messages.map((m) => m.type)).toContain('peer-joined'), WAIT)

    socket.close()
    expect(socket.state).toBe('closed')
    expect(socket.send({ type: 'ping', t: 2 })).toBe(false)
    await vi.waitFor(() => expect(studentSeen.messages).toContainEqual(expect.objectContaining({ type: 'peer-left' })), WAIT)
  })

  it('reports an invalid pass as fatal unauthorized and does not reconnect', async () => {
    const socket = lessonSocket(server.url, 'not-a-real-token')
    const seen = watch(socket)
    socket.connect()
    await vi.waitFor(() => expect(socket.state).toBe('closed'), WAIT)
    expect(seen.fatals).toEqual([{ code: 'unauthorized', message: expect.any(String) }])
    expect(seen.messages).toEqual([expect.objectContaining({ type: 'error', code: 'unauthorized', fatal: true })])
    expect(seen.states).toEqual(['closed'])
    // Longer than the first back-off step: still only the one attempt.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(BrowserLikeWebSocket.created).toHaveLength(1)
    expect(seen.states).toEqual(['closed'])
  })

  it('reports being replaced by a newer window (close code only) as fatal', async () => {
    const lesson = await createLesson()
    const first = lessonSocket(server.url, lesson.tutorToken)
    const firstSeen = watch(first)
    first.connect()
    await vi.waitFor(() => expect(first.state).toBe('open'), WAIT)
    const second = lessonSocket(server.url, lesson.tutorToken)
    second.connect()
    await vi.waitFor(() => expect(first.state).toBe('closed'), WAIT)
    expect(firstSeen.fatals).toEqual([{ code: 'replaced', message: 'replaced' }])
    await vi.waitFor(() => expect(second.state).toBe('open'), WAIT)
    expect(firstSeen.states).toEqual(['open', 'closed'])
  })

  it('reconnects after the server goes away and comes back on the same port', async () => {
    const lesson = await createLesson()
    const socket = lessonSocket(server.url, lesson.tutorToken)
    const seen = watch(socket)
    socket.connect()
    await vi.waitFor(() => expect(socket.state).toBe('open'), WAIT)

    const port = server.port
    await server.close()
    await vi.waitFor(() => expect(socket.state).toBe('reconnecting'), WAIT)
    // At least one attempt fails against the closed port before the restart.
    await vi.waitFor(() => expect(BrowserLikeWebSocket.created.length).toBeGreaterThanOrEqual(2), WAIT)
    server = await start(port)
    await vi.waitFor(() => expect(socket.state).toBe('open'), WAIT)

    expect(seen.fatals).toEqual([])
    expect(seen.states[0]).toBe('open')
    expect(seen.states.at(-1)).toBe('open')
    expect(seen.states).toContain('reconnecting')
    expect(seen.states.filter((s) => s !== 'open' && s !== 'reconnecting')).toEqual([])
    expect(seen.messages.filter((m) => m.type === 'welcome')).toHaveLength(2)
  })

  it('stops reconnecting after close()', async () => {
    const lesson = await createLesson()
    const socket = lessonSocket(server.url, lesson.tutorToken)
    const seen = watch(socket)
    socket.connect()
    await vi.waitFor(() => expect(socket.state).toBe('open'), WAIT)

    const port = server.port
    await server.close()
    await vi.waitFor(() => expect(socket.state).toBe('reconnecting'), WAIT)
    socket.close()
    const attempts = BrowserLikeWebSocket.created.length
    server = await start(port)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(BrowserLikeWebSocket.created).toHaveLength(attempts)
    expect(socket.state).toBe('closed')
    expect(seen.states.at(-1)).toBe('closed')
    expect(seen.fatals).toEqual([])
  })
})

describe('LessonSocket against a fake server', () => {
  let wss: WebSocketServer
  let url: string
  let onConnection: (ws: WebSocket, hello: unknown) => void = () => {}
  const paths: string[] = []

  beforeAll(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
    url = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`
    wss.on('connection', (ws, req) => {
      paths.push(req.url ?? '')
      ws.once('message', (data) => onConnection(ws, JSON.parse(String(data))))
    })
  })
  afterAll(() => new Promise<void>((resolve) => wss.close(() => resolve())))
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
  })
  afterEach(() => vi.restoreAllMocks())

  const welcome: ServerMessage = {
    type: 'welcome',
    self: { id: 't1', name: 'Ms Li', role: 'tutor' },
    peer: null,
    peerMedia: null,
    lesson: { id: 'L1', tutorName: 'Ms Li', startedAt: null },
    iceServers: [],
  }

  it('ignores malformed frames and keeps going', async () => {
    const hellos: unknown[] = []
    onConnection = (ws, hello) => {
      hellos.push(hello)
      ws.send('this is not json')
      ws.send(JSON.stringify({ type: 'welcome' }))
      ws.send(JSON.stringify({ type: 'self-destruct' }))
      ws.send(JSON.stringify({ type: 'pong', t: 'soon' }))
      ws.send(JSON.stringify({ type: 'pong', t: 1, pad: 'x'.repeat(MAX_WS_MESSAGE_BYTES) }))
      ws.send(Buffer.from(JSON.stringify({ type: 'pong', t: 2 })), { binary: true })
      ws.send(JSON.stringify(welcome))
      ws.send(JSON.stringify({ type: 'pong', t: 3 }))
    }
    const socket = lessonSocket(url, 'tok-123')
    const seen = watch(socket)
    socket.connect()
    await vi.waitFor(() => expect(seen.messages).toHaveLength(2), WAIT)
    expect(hellos).toEqual([{ type: 'hello', token: 'tok-123' }])
    expect(paths.at(-1)).toBe('/ws')
    expect(seen.messages).toEqual([welcome, { type: 'pong', t: 3 }])
    expect(socket.state).toBe('open')
    expect(seen.fatals).toEqual([])
    // Five bad text frames were reported; the binary one is silently skipped.
    expect(console.warn).toHaveBeenCalledTimes(5)
  })

  it('does not become open before the welcome', async () => {
    let server: WebSocket | null = null
    onConnection = (ws) => {
      server = ws
      ws.send(JSON.stringify({ type: 'pong', t: 9 }))
    }
    const socket = lessonSocket(url, 'tok')
    const seen = watch(socket)
    socket.connect()
    await vi.waitFor(() => expect(seen.messages).toEqual([{ type: 'pong', t: 9 }]), WAIT)
    expect(socket.state).toBe('connecting')
    server!.send(JSON.stringify(welcome))
    await vi.waitFor(() => expect(socket.state).toBe('open'), WAIT)
  })

  it('treats a non-fatal error message as a message only', async () => {
    onConnection = (ws) => {
      ws.send(JSON.stringify(welcome))
      ws.send(JSON.stringify({ type: 'error', code: 'forbidden', message: 'Only the tutor can end the lesson', fatal: false }))
    }
    const socket = lessonSocket(url, 'tok')
    const seen = watch(socket)
    socket.connect()
    await vi.waitFor(() => expect(seen.messages).toHaveLength(2), WAIT)
    expect(seen.fatals).toEqual([])
    expect(socket.state).toBe('open')
  })
})

/** A WebSocket stand-in the test drives by hand, for the reconnect schedule under fake timers. */
class StubWebSocket {
  static readonly OPEN = 1
  static instances: StubWebSocket[] = []
  readyState = 0
  sent: string[] = []
  onopen: (() => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: { code: number; reason: string }) => void) | null = null
  constructor(readonly url: URL) {
    StubWebSocket.instances.push(this)
  }
  send(data: string) {
    this.sent.push(data)
  }
  close(code = 1005) {
    this.readyState = 3
    this.onclose?.({ code, reason: '' })
  }
  // --- driven by the test ---
  serverOpen() {
    this.readyState = 1
    this.onopen?.()
  }
  serverSend(message: ServerMessage) {
    this.onmessage?.({ data: JSON.stringify(message) })
  }
  serverClose(code: number, reason = '') {
    this.readyState = 3
    this.onclose?.({ code, reason })
  }
}

describe('LessonSocket reconnect schedule (stubbed WebSocket, fake timers)', () => {
  const welcome: ServerMessage = {
    type: 'welcome',
    self: { id: 't1', name: 'Ms Li', role: 'tutor' },
    peer: null,
    peerMedia: null,
    lesson: { id: 'L1', tutorName: 'Ms Li', startedAt: null },
    iceServers: [],
  }

  beforeEach(() => {
    vi.useFakeTimers()
    StubWebSocket.instances = []
    vi.stubGlobal('WebSocket', StubWebSocket)
  })
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close()
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  const last = () => StubWebSocket.instances.at(-1)!

  function openSocket() {
    const socket = lessonSocket('https://lessons.school.edu/', 'tok')
    const seen = watch(socket)
    socket.connect()
    last().serverOpen()
    last().serverSend(welcome)
    return { socket, seen }
  }

  /** Advances time and returns after how many ms a new socket was created (or null). */
  function nextAttemptWithin(maxMs: number): number | null {
    const before = StubWebSocket.instances.length
    for (let ms = 1; ms <= maxMs; ms++) {
      vi.advanceTimersByTime(1)
      if (StubWebSocket.instances.length > before) return ms
    }
    return null
  }

  it('uses wss:// for an https server and sends hello on open', () => {
    const { socket } = openSocket()
    expect(String(last().url)).toBe('wss://lessons.school.edu/ws')
    expect(last().sent.map((s) => JSON.parse(s))).toEqual([{ type: 'hello', token: 'tok' }])
    expect(socket.state).toBe('open')
  })

  it('backs off 300 ms, 1 s, 2 s, 3 s, then 5 s', () => {
    const { socket, seen } = openSocket()
    last().serverClose(1006)
    expect(socket.state).toBe('reconnecting')
    const delays: (number | null)[] = []
    for (let i = 0; i < 6; i++) {
      delays.push(nextAttemptWithin(10_000))
      last().serverClose(1006) // the attempt fails without ever opening
    }
    expect(delays).toEqual([300, 1000, 2000, 3000, 5000, 5000])
    expect(seen.states).toEqual(['open', 'reconnecting'])
  })

  it('starts the back-off again after a connection succeeds', () => {
    const { socket, seen } = openSocket()
    last().serverClose(1006)
    expect(nextAttemptWithin(10_000)).toBe(300)
    last().serverClose(1006)
    expect(nextAttemptWithin(10_000)).toBe(1000)
    last().serverOpen()
    last().serverSend(welcome)
    expect(socket.state).toBe('open')
    last().serverClose(1001)
    expect(nextAttemptWithin(10_000)).toBe(300)
    expect(seen.states).toEqual(['open', 'reconnecting', 'open', 'reconnecting'])
  })

  it('keeps backing off when the server accepts and then drops the socket before a welcome', () => {
    const { seen } = openSocket()
    last().serverClose(1006)
    const delays: (number | null)[] = []
    for (let i = 0; i < 4; i++) {
      delays.push(nextAttemptWithin(10_000))
      // The socket opens (hello is sent) but the server closes it straight away.
      last().serverOpen()
      expect(last().sent).toHaveLength(1)
      last().serverClose(1011)
    }
    expect(delays).toEqual([300, 1000, 2000, 3000])
    expect(seen.states).toEqual(['open', 'reconnecting'])
  })

  it('close() while waiting cancels the pending attempt', () => {
    const { socket, seen } = openSocket()
    last().serverClose(1006)
    socket.close()
    expect(nextAttemptWithin(20_000)).toBeNull()
    expect(StubWebSocket.instances).toHaveLength(1)
    expect(seen.states).toEqual(['open', 'reconnecting', 'closed'])
  })

  it('close() on an open socket closes it with 1000 and does not reconnect', () => {
    const { socket, seen } = openSocket()
    const ws = last()
    socket.close()
    expect(ws.readyState).toBe(3)
    expect(nextAttemptWithin(20_000)).toBeNull()
    expect(seen.states).toEqual(['open', 'closed'])
  })

  it.each([
    [4001, 'unauthorized'],
    [4003, 'forbidden'],
    [4009, 'lesson_full'],
    [4010, 'lesson_ended'],
    [4011, 'replaced'],
  ] as const)('close code %d is fatal (%s) and ends reconnecting', (code, fatal) => {
    const { socket, seen } = openSocket()
    last().serverClose(code, 'bye')
    expect(seen.fatals).toEqual([{ code: fatal, message: 'bye' }])
    expect(socket.state).toBe('closed')
    expect(nextAttemptWithin(20_000)).toBeNull()
  })

  it('a fatal error message is reported once, even when a fatal close code follows', () => {
    const { socket, seen } = openSocket()
    last().serverSend({ type: 'error', code: 'lesson_ended', message: 'This lesson has ended', fatal: true })
    last().serverClose(4010, 'lesson ended')
    expect(seen.fatals).toEqual([{ code: 'lesson_ended', message: 'This lesson has ended' }])
    expect(socket.state).toBe('closed')
    expect(nextAttemptWithin(20_000)).toBeNull()
  })

  it('ignores close events of a socket it already replaced', () => {
    const { socket } = openSocket()
    const old = last()
    old.serverClose(1006)
    expect(nextAttemptWithin(1000)).toBe(300)
    // A late duplicate close from the old socket changes nothing.
    old.serverClose(1006)
    expect(StubWebSocket.instances).toHaveLength(2)
    last().serverOpen()
    last().serverSend(welcome)
    expect(socket.state).toBe('open')
  })
})
