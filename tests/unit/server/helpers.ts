import { afterEach } from 'vitest'
import http from 'node:http'
import path from 'node:path'
import { PGLITE_TEMPLATE } from '../../support/databases'
import WebSocket from 'ws'
import type { z } from 'zod'
import { ServerMessageSchema, WS_PATH, type ServerMessage } from '../../../src/shared/lesson/signaling'
import { createSessionServer, type SessionServer, type SessionServerOptions } from '../../../src/server/index'
import type { Logger } from '../../../src/server/logger'
import { createLesson, joinLesson, type ServerAddress } from '../../support/lessonApi'

export type { ServerAddress } from '../../support/lessonApi'

/** Logger that remembers lines so tests can assert on warnings without console noise. */
export function memoryLogger(): Logger & { lines: { level: string; msg: string; fields?: unknown }[] } {
  const lines: { level: string; msg: string; fields?: unknown }[] = []
  return {
    lines,
    info: (msg, fields?: unknown) => lines.push({ level: 'info', msg, fields }),
    warn: (msg, fields?: unknown) => lines.push({ level: 'warn', msg, fields }),
    error: (msg, fields?: unknown) => lines.push({ level: 'error', msg, fields }),
  }
}

/** A controllable clock starting at a fixed instant. */
export function fakeClock(start = Date.UTC(2030, 0, 1, 9, 0, 0)) {
  let t = start
  return { now: () => t, advance: (ms: number) => void (t += ms), set: (v: number) => void (t = v) }
}

/** A `startServer` for one test file whose servers are all closed after each test. */
export function serversClosedAfterEach(): typeof startServer {
  let servers: SessionServer[] = []
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()))
    servers = []
  })
  return async (...args) => {
    const server = await startServer(...args)
    servers.push(server)
    return server
  }
}

/** A server with a data folder gets its embedded database there, copied from the tests' template. */
export async function startServer(opts: SessionServerOptions = {}): Promise<SessionServer> {
  const database = opts.database ?? (opts.dataDir ? { kind: 'pglite' as const, dir: path.join(opts.dataDir, 'db'), templateCache: PGLITE_TEMPLATE } : undefined)
  return createSessionServer({ port: 0, host: '127.0.0.1', webRoot: null, dataDir: null, logger: memoryLogger(), ...opts, database })
}

export { createLesson, joinLesson, postJson } from '../../support/lessonApi'

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/** A request sent exactly as written (no path normalisation), tolerant of the server closing early. */
export function rawRequest(
  server: ServerAddress,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false
    const req = http.request(
      { host: '127.0.0.1', port: server.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers, agent: false },
      (res) => {
        answered = true
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      },
    )
    req.on('error', (err) => {
      if (!answered) reject(err)
    })
    req.setTimeout(5000, () => req.destroy(new Error('request timed out')))
    if (opts.body !== undefined) req.write(opts.body)
    req.end()
  })
}

/** A real ws client that queues every server message (validated) and waits with bounds. */
/** A WebSocket client of the server's sockets: the lesson socket by default, or another path with its own server messages. */
export class TestClient<M extends { type: string } = ServerMessage> {
  readonly messages: M[] = []
  private readonly waiters: (() => void)[] = []
  readonly closed: Promise<{ code: number; reason: string }>
  private closeInfo: { code: number; reason: string } | null = null

  private constructor(
    readonly ws: WebSocket,
    schema: z.ZodType<M>,
  ) {
    ws.on('message', (data) => {
      this.messages.push(schema.parse(JSON.parse(String(data))))
      this.waiters.splice(0).forEach((w) => w())
    })
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() }
        this.waiters.splice(0).forEach((w) => w())
        resolve(this.closeInfo)
      })
    })
    ws.on('error', () => {})
  }

  static connect<M extends { type: string } = ServerMessage>(
    server: ServerAddress,
    opts: WebSocket.ClientOptions = {},
    path = WS_PATH,
    schema: z.ZodType<M> = ServerMessageSchema as unknown as z.ZodType<M>,
  ): Promise<TestClient<M>> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, opts)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('ws connect timed out')), 3000)
      ws.once('open', () => {
        clearTimeout(timer)
        resolve(new TestClient(ws, schema))
      })
      ws.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
    })
  }

  /** Connects and says hello; resolves with the welcome (or whatever came first). */
  static async join(server: ServerAddress, token: string): Promise<TestClient> {
    const client = await TestClient.connect(server)
    client.send({ type: 'hello', token })
    return client
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' || Buffer.isBuffer(msg) ? msg : JSON.stringify(msg))
  }

  /** Next message of `type`, consuming earlier messages of other types. */
  async next<T extends M['type']>(type: T, timeoutMs = 3000): Promise<Extract<M, { type: T }>> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const idx = this.messages.findIndex((m) => m.type === type)
      if (idx >= 0) {
        const [msg] = this.messages.splice(0, idx + 1).slice(-1)
        return msg as Extract<M, { type: T }>
      }
      const left = deadline - Date.now()
      if (left <= 0 || this.closeInfo) {
        throw new Error(`no "${type}" message (got ${JSON.stringify(this.messages)}, closed ${JSON.stringify(this.closeInfo)})`)
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  async closedWithin(timeoutMs = 3000): Promise<{ code: number; reason: string }> {
    return Promise.race([
      this.closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('socket did not close in time')), timeoutMs)),
    ])
  }

  /** Waits `ms` and returns every message that arrived meanwhile (consumed). */
  async drain(ms: number): Promise<M[]> {
    await new Promise((r) => setTimeout(r, ms))
    return this.messages.splice(0)
  }

  close(): void {
    this.ws.close()
  }
}

/** Tutor and student both connected and welcomed. */
export async function pairUp(server: ServerAddress) {
  const lesson = await createLesson(server)
  const tutor = await TestClient.join(server, lesson.tutorToken)
  const tutorWelcome = await tutor.next('welcome')
  const join = await joinLesson(server, lesson.inviteCode)
  const student = await TestClient.join(server, join.studentToken)
  const studentWelcome = await student.next('welcome')
  const peerJoined = await tutor.next('peer-joined')
  return { lesson, join, tutor, student, tutorWelcome, studentWelcome, peerJoined }
}
