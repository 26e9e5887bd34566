import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { HELLO_TIMEOUT_MS, MAX_WS_MESSAGE_BYTES, WS_PATH } from '../shared/lesson/signaling'
import pkg from '../../package.json'
import { BOARD_PATH } from '../shared/board/limits'
import { createBoardService } from './board/service'
import { createAiService } from './ai/service'
import type { AiConfigInput } from '../shared/ai/config'
import { resolveOptions, type SessionServerOptions } from './config'
import { createApi } from './lesson/api'
import { sendError } from './http/respond'
import { lanAddresses } from '../node/lan'
import { LessonRegistry } from './lesson/registry'
import { FileLessonStore, loadOrCreateSecret, memoryStore } from './lesson/store'
import { RateLimiter } from './http/rateLimit'
import { createStaticHandler } from './http/staticFiles'
import { TokenService, newSecret } from './lesson/tokens'
import { LessonSockets } from './lesson/sockets'
import { createRecordingService } from './recording/service'

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

  const secret = opts.dataDir === null ? newSecret() : loadOrCreateSecret(opts.dataDir, logger)
  const store = opts.dataDir === null ? memoryStore : new FileLessonStore(opts.dataDir, logger)
  const registry = new LessonRegistry({ store, logger, now, inviteTtlMs: opts.inviteTtlMs, tokenTtlMs: opts.tokenTtlMs })
  const tokens = new TokenService(secret, now)
  const limiter = new RateLimiter({ perMinute: opts.postRateLimitPerMinute, now })
  let publicUrl = opts.publicUrl ?? ''

  const api = createApi({
    registry,
    tokens,
    limiter,
    logger,
    now,
    version: pkg.version,
    iceServers: opts.iceServers,
    publicUrl: () => publicUrl,
    tokenTtlMs: opts.tokenTtlMs,
  })
  const serveStatic = createStaticHandler(opts.webRoot)
  const board = createBoardService({ registry, tokens, logger, now, dataDir: opts.dataDir })
  const ai = createAiService({ registry, tokens, logger, now, dataDir: opts.dataDir, config: opts.ai, secret })
  const recordings = createRecordingService({
    registry,
    tokens,
    logger,
    now,
    dataDir: opts.dataDir,
    policy: opts.recording,
    publicUrl: () => publicUrl,
    broadcast: (lessonId, state) => sockets.broadcast(lessonId, { type: 'recording-state', state }),
  })
  const sockets: LessonSockets = new LessonSockets({
    registry,
    tokens,
    iceServers: opts.iceServers,
    logger,
    heartbeatMs: opts.heartbeatMs,
    helloTimeoutMs: opts.helloTimeoutMs ?? HELLO_TIMEOUT_MS,
    recording: recordings.rooms,
  })

  const server = http.createServer((req, res) => {
    let pathname: string
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname
    } catch {
      return sendError(res, 400, 'bad_request', 'Malformed request URL')
    }
    const handled = board.ownsPath(pathname)
      ? board.handleHttp(req, res, pathname)
      : ai.ownsPath(pathname) ? ai.handleHttp(req, res, pathname)
      : recordings.ownsPath(pathname) ? recordings.handleHttp(req, res, pathname)
      : pathname === '/api' || pathname.startsWith('/api/') ? api(req, res, pathname) : serveStatic(req, res, pathname)
    Promise.resolve(handled).catch((err: unknown) => {
      logger.error('Request failed', { path: pathname, error: err instanceof Error ? err.stack : String(err) })
      if (!res.headersSent) sendError(res, 500, 'internal', 'Internal server error')
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
    if (pathname === BOARD_PATH) return board.handleUpgrade(req, socket, head)
    if (pathname !== WS_PATH) return refuseUpgrade(socket, '404 Not Found')
    wss.handleUpgrade(req, socket, head, (ws) => sockets.attach(ws, req))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  server.on('error', (err) => logger.error('HTTP server error', { error: err.message }))

  const { port, address } = server.address() as AddressInfo
  const hostPart = (ip: string): string => (ip.includes(':') ? `[${ip}]` : ip)
  // Bound to one address (e.g. 127.0.0.1): that is the only way in.
  const ownUrl = isWildcard(address) ? `http://127.0.0.1:${port}` : `http://${hostPart(address)}:${port}`
  if (!publicUrl) publicUrl = isWildcard(address) ? (lanAddresses(port)[0] ?? ownUrl) : ownUrl

  const sweepTimer = setInterval(() => {
    try {
      registry.sweep()
    } catch (err) {
      logger.error('Lesson sweep failed', { error: String(err) })
    }
  }, SWEEP_INTERVAL_MS)
  sweepTimer.unref()

  logger.info('Session server listening', { port, host: opts.host, publicUrl, webRoot: opts.webRoot, dataDir: opts.dataDir })

  let closing: Promise<void> | null = null
  return {
    port,
    url: ownUrl,
    publicUrl,
    updateAi: (config) => ai.setConfig(config),
    close() {
      closing ??= Promise.all([board.close(), ai.close(), recordings.close()]).then(() => new Promise<void>((resolve) => {
        clearInterval(sweepTimer)
        sockets.closeAll()
        server.close(() => resolve())
        server.closeAllConnections()
        // Sockets that ignore the close handshake are cut after a moment.
        setTimeout(() => {
          for (const ws of wss.clients) ws.terminate()
        }, 1000).unref()
      })).then(() => new Promise<void>((resolve) => wss.close(() => resolve())))
      return closing
    },
  }
}
