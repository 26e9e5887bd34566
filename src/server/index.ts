import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { HELLO_TIMEOUT_MS, MAX_WS_MESSAGE_BYTES, WS_PATH } from '../shared/lesson/signaling'
import { DESKTOP_APP_ORIGIN } from '../shared/appOrigin'
import pkg from '../../package.json'
import { BOARD_PATH } from '../shared/board/limits'
import { THREAD_WS_PATH } from '../shared/chat/thread'
import type { AiConfigInput } from '../shared/ai/config'
import { lanAddresses } from '../node/lan'
import { createAiService } from './ai/service'
import { createBoardService } from './board/service'
import { createChatService } from './chat/service'
import { resolveOptions, type SessionServerOptions } from './config'
import { CorsPolicy } from './http/cors'
import { RateLimiter } from './http/rateLimit'
import { HttpError, sendError } from './http/respond'
import { createRouter } from './http/routes'
import { createStaticHandler } from './http/staticFiles'
import { lessonRoutes } from './lesson/api'
import { TutorKeys } from './lesson/tutorKeys'
import { LessonAuth } from './lesson/auth'
import { LessonRegistry } from './lesson/registry'
import { LessonSockets } from './lesson/sockets'
import { loadOrCreateTokenSecret, memoryStore } from './lesson/store'
import { LessonTable } from './lesson/lessonTable'
import { AiTable } from './ai/aiTable'
import { memoryAiStore } from './ai/store'
import { openDatabase, type Database } from './db/database'
import { importJsonDataDir } from './dataDirImport'
import { TokenService, newSecret } from './lesson/tokens'
import { turnCredential } from './lesson/turn'
import { createRecordingService } from './recording/service'
import { createStudentService, withoutRecords } from './students/service'

/** Invite look-ups per client address per minute: plenty for people, nothing for guessing codes. */
const INVITE_LOOKUPS_PER_MINUTE = 30

export type { SessionServerOptions } from './config'
export { silentLogger, type Logger } from './logger'
export { lanAddresses } from '../node/lan'

export interface SessionServer {
  port: number
  /** http://127.0.0.1:<port> (or the one address it is bound to) — for this machine's own app. */
  url: string
  /** Origin used in invite links. */
  publicUrl: string
  /** New AI settings for the next question (the desktop app's Settings); throws if invalid, changing nothing. */
  updateAi(config: AiConfigInput): void
  close(): Promise<void>
}

const SWEEP_INTERVAL_MS = 60_000

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === ''
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

/** Starts the session server: HTTP API, web client and lesson WebSocket on one port. */
export async function createSessionServer(options: SessionServerOptions = {}): Promise<SessionServer> {
  const opts = resolveOptions(options)
  const { logger, now } = opts

  const secret = opts.dataDir === null ? newSecret() : loadOrCreateTokenSecret(opts.dataDir, logger)
  // A Database handed in belongs to the caller; one opened here is closed with the server.
  const shared = opts.database !== null && 'db' in opts.database ? opts.database : null
  const database: Database | null = shared ?? (opts.database === null ? null : await openDatabase(opts.database as Exclude<typeof opts.database, Database>, logger))
  try {
    if (database && opts.dataDir !== null) await importJsonDataDir(database.db, opts.dataDir, logger, now)
  } catch (error) {
    if (!shared) await database?.close()
    throw error
  }
  const store = database ? new LessonTable(database.db, logger) : memoryStore
  const registry = new LessonRegistry({ store, logger, now, inviteTtlMs: opts.inviteTtlMs, tokenTtlMs: opts.tokenTtlMs })
  await registry.load()
  const tokens = new TokenService(secret, now)
  const auth = new LessonAuth({ tokens, registry })
  const tutorKeys = new TutorKeys(opts.tutorKeys)
  let publicUrl = opts.publicUrl ?? ''
  let ownOrigins: string[] = []
  const cors = new CorsPolicy([DESKTOP_APP_ORIGIN, ...opts.allowedOrigins], () => ownOrigins)

  const limiter = new RateLimiter({ perMinute: opts.postRateLimitPerMinute, now })
  const students = database
    ? createStudentService({ db: database.db, registry, tutorKeys, admit: { registry, tokens, now, tokenTtlMs: opts.tokenTtlMs }, limiter, logger, now, publicUrl: () => publicUrl, timeZone: opts.timeZone })
    : withoutRecords()

  const board = createBoardService({ registry, auth, logger, now, dataDir: opts.dataDir })
  const ai = createAiService({
    registry,
    auth,
    tutorKeys,
    logger,
    now,
    stores: database
      ? { lesson: new AiTable(database.db, 'lesson', logger, now), practice: new AiTable(database.db, 'practice', logger, now) }
      : { lesson: memoryAiStore(), practice: memoryAiStore() },
    config: opts.ai,
    secret,
    students: students.practice,
  })
  const recordings = createRecordingService({
    registry,
    auth,
    logger,
    now,
    dataDir: opts.dataDir,
    policy: opts.recording,
    publicUrl: () => publicUrl,
    broadcast: (lessonId, state) => sockets.broadcast(lessonId, { type: 'recording-state', state }),
    aiConversations: (lessonId) => ai.conversations(lessonId),
    watched: (lessonId, role, seconds) => students.watched(lessonId, role, seconds),
  })
  const chat = createChatService({
    registry,
    auth,
    logger,
    now,
    dataDir: opts.dataDir,
    db: database?.db ?? null,
    threads: students.threadDirectory
      ? { directory: students.threadDirectory, staffReadsThreads: opts.staffReadsThreads, heartbeatMs: opts.heartbeatMs, helloTimeoutMs: opts.helloTimeoutMs }
      : null,
  })
  // A tutor's check-in from the at-risk dashboard is a message in the student's thread.
  const threadSockets = chat.threads
  if (threadSockets) {
    students.postToThreadsWith(async (account, studentId, text) => {
      await threadSockets.post({ kind: 'account', accountId: account.id, name: account.name, staff: account.role === 'staff' }, studentId, text)
    })
  }
  const sockets: LessonSockets = new LessonSockets({
    registry,
    auth,
    iceServers: (participantId) => (opts.turn ? [...opts.iceServers, turnCredential(opts.turn, participantId, now())] : opts.iceServers),
    iceTransportPolicy: opts.iceTransportPolicy,
    mediaTuning: opts.mediaTuning,
    logger,
    now,
    heartbeatMs: opts.heartbeatMs,
    helloTimeoutMs: opts.helloTimeoutMs ?? HELLO_TIMEOUT_MS,
    recording: recordings.rooms,
    chat: chat.lesson,
  })
  const routes = createRouter(
    [
      ...board.routes,
      ...ai.routes,
      ...recordings.routes,
      ...chat.routes,
      ...students.routes,
      ...lessonRoutes({
        registry,
        tokens,
        auth,
        limiter,
        inviteLimiter: new RateLimiter({ perMinute: INVITE_LOOKUPS_PER_MINUTE, now }),
        logger,
        now,
        version: pkg.version,
        publicUrl: () => publicUrl,
        tokenTtlMs: opts.tokenTtlMs,
        tutorKeys,
        owners: students.owners,
        leave: (who) => sockets.leave(who),
      }),
    ],
    { cors, logger },
  )
  const serveStatic = createStaticHandler(opts.webRoot)

  const server = http.createServer((req, res) => {
    let pathname: string
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname
    } catch {
      return sendError(res, new HttpError(400, 'bad_request', 'Malformed request URL'))
    }
    routes(req, res, pathname)
      .then((handled) => {
        if (handled) return
        if (pathname === '/api' || pathname.startsWith('/api/')) return sendError(res, new HttpError(404, 'not_found', `No API route ${pathname}`))
        return serveStatic(req, res, pathname)
      })
      .catch((err: unknown) => {
        logger.error('Request failed', { path: pathname, error: err instanceof Error ? err.stack : String(err) })
        if (!res.headersSent) sendError(res, new HttpError(500, 'internal', 'Internal server error'))
        else res.destroy()
      })
  })

  // Requests here are tiny; a slow trickle of bytes should not hold a socket for minutes.
  server.requestTimeout = 30_000
  server.headersTimeout = 20_000

  // Frames between MAX_WS_MESSAGE_BYTES and this get a polite non-fatal error;
  // beyond it ws closes the socket (1009) before buffering more.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * MAX_WS_MESSAGE_BYTES })
  server.on('upgrade', (req, socket, head) => {
    let pathname = ''
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname
    } catch {
      // falls through to 404
    }
    if (pathname !== BOARD_PATH && pathname !== WS_PATH && pathname !== THREAD_WS_PATH) return refuseUpgrade(socket, '404 Not Found')
    // A page of another site must not even open a socket here (tokens are checked after, too).
    if (!cors.allows(req)) {
      logger.warn('WebSocket from a foreign origin refused', { origin: req.headers.origin, ip: req.socket.remoteAddress })
      return refuseUpgrade(socket, '403 Forbidden')
    }
    if (pathname === BOARD_PATH) return board.handleUpgrade(req, socket, head)
    if (pathname === THREAD_WS_PATH) return chat.threads ? chat.threads.handleUpgrade(req, socket, head) : refuseUpgrade(socket, '503 Service Unavailable')
    wss.handleUpgrade(req, socket, head, (ws) => sockets.attach(ws, req))
  })

  const sweepTimer = setInterval(() => {
    try {
      registry.sweep()
    } catch (err) {
      logger.error('Lesson sweep failed', { error: String(err) })
    }
  }, SWEEP_INTERVAL_MS)
  sweepTimer.unref()

  let closing: Promise<void> | null = null
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await Promise.all([board.close(), ai.close(), recordings.close()])
      clearInterval(sweepTimer)
      sockets.closeAll()
      const threadsClosed = chat.threads?.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        // Sockets that ignore the close handshake are cut after a moment.
        setTimeout(() => {
          for (const ws of wss.clients) ws.terminate()
        }, 1000).unref()
      })
      await threadsClosed
      await chat.close()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      // Everyone's leaving is written before the database closes.
      await sockets.allClosed(2000)
      await Promise.all([store.flush(), students.close()])
      if (!shared) await database?.close()
    })()
    return closing
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    // The caller may try another port: nothing of this attempt stays open (least of all the database).
    await close()
    throw error
  }
  server.on('error', (err) => logger.error('HTTP server error', { error: err.message }))

  const { port, address } = server.address() as AddressInfo
  const hostPart = (ip: string): string => (ip.includes(':') ? `[${ip}]` : ip)
  // Bound to one address (e.g. 127.0.0.1): that is the only way in.
  const ownUrl = isWildcard(address) ? `http://127.0.0.1:${port}` : `http://${hostPart(address)}:${port}`
  if (!publicUrl) publicUrl = isWildcard(address) ? (lanAddresses(port)[0] ?? ownUrl) : ownUrl
  const originOf = (url: string): string => new URL(url).origin
  ownOrigins = [...new Set([ownUrl, publicUrl, ...(isWildcard(address) ? lanAddresses(port) : [])].map(originOf))]
  if (!tutorKeys.required) logger.warn('No tutor keys are set: anyone who can reach this server can start lessons on it (set tutorKeys)')


  logger.info('Session server listening', { port, host: opts.host, publicUrl, webRoot: opts.webRoot, dataDir: opts.dataDir })

  return {
    port,
    url: ownUrl,
    publicUrl,
    updateAi: (config) => ai.setConfig(config),
    close,
  }
}
