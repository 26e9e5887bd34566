import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { Database } from '@hocuspocus/extension-database'
import { Hocuspocus, type Document } from '@hocuspocus/server'
import { WebSocketServer } from 'ws'
import * as Y from 'yjs'
import { MAX_DOC_BYTES, MAX_FRAME_BYTES } from '../../shared/board/limits'
import { BoardClientMessageSchema, parseStateless, type BoardRejectReason, type BoardServerMessage } from '../../shared/board/schema'
import type { Logger } from '../logger'
import type { LessonRegistry } from '../lesson/registry'
import { RateLimiter } from '../http/rateLimit'
import type { LessonAuth } from '../lesson/auth'
import type { Route } from '../http/routes'
import { assetRoutes } from './assetsHttp'
import { BoardAuthError, authenticateBoard } from './auth'
import { inspectMessage } from './guard'
import { BoardLocks, principalOf, stateMessage, type BoardConnectionContext } from './locks'
import { gateOf, PendingSockets, PREAUTH_LIMITS, PreAuthGate, type GateContext } from './preauth'
import { FileBoardStore, memoryBoardStore, type BoardStore } from './store'

export interface BoardServiceOptions {
  registry: LessonRegistry
  auth: LessonAuth
  logger: Logger
  now: () => number
  /** null = boards live in memory only. */
  dataDir: string | null
  /** Compact a changed board's log into its saved state this long after the last change (Hocuspocus debounce). */
  saveDebounceMs?: number
}

export interface BoardService {
  /** The course-material asset routes. */
  routes: Route[]
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void
  close(): Promise<void>
}

const SWEEP_INTERVAL_MS = 60_000
/**
 * Every accepted update is in the board's log before anyone sees it, so the
 * saved state is only a compaction: it need not keep up with the drawing.
 * Encoding a dense board's whole state costs the event loop tens of ms, which
 * every stroke in flight then waits out; while someone draws, that happens
 * once every 30 s instead of every 5.
 */
const COMPACT_DEBOUNCE_MS = 2000
const COMPACT_MAX_DEBOUNCE_MS = 30_000

/**
 * The lesson board: a Hocuspocus (Yjs) server on the session server's port,
 * one document per lesson (named by lesson id), with lesson-token auth, the
 * server-side student lock, update checks and persistence.
 */
export function createBoardService(opts: BoardServiceOptions): BoardService {
  const { logger, registry } = opts
  const store: BoardStore = opts.dataDir === null ? memoryBoardStore() : new FileBoardStore(opts.dataDir, logger)
  const locks = new BoardLocks(store)
  /** Approximate encoded size per loaded board: exact after each save, plus accepted updates since. */
  const docBytes = new Map<string, number>()
  const pendingSockets = new PendingSockets(PREAUTH_LIMITS.maxPendingSocketsPerAddress)
  /** Lessons whose log could not be written: said once, not per stroke. */
  const logFailing = new Set<string>()

  /** Into the board's log before Hocuspocus applies and broadcasts it. */
  function keep(name: string, update: Uint8Array): void {
    try {
      store.appendUpdate(name, update)
      logFailing.delete(name)
    } catch (err) {
      // As with a failed save: the lesson goes on; the clients hold the board and resend it after a crash.
      if (!logFailing.has(name)) logger.error('Could not write the board log', { lessonId: name, error: String(err) })
      logFailing.add(name)
    }
  }

  async function save(name: string, state: Uint8Array): Promise<void> {
    try {
      await store.saveDoc(name, state)
      docBytes.set(name, state.length)
    } catch (err) {
      // A full disk must not take the lesson down; clients still hold the board and resend it.
      logger.error('Could not save board', { lessonId: name, error: String(err) })
    }
  }

  const refuse = (reason: BoardRejectReason): { code: number; reason: string } => ({ code: 4400, reason })
  const send = (connection: { sendStateless(p: string): void }, msg: BoardServerMessage): void => connection.sendStateless(JSON.stringify(msg))

  const hocuspocus = new Hocuspocus({
    name: 'duet-board',
    quiet: true,
    debounce: opts.saveDebounceMs ?? COMPACT_DEBOUNCE_MS,
    maxDebounce: COMPACT_MAX_DEBOUNCE_MS,
    extensions: [
      new Database({
        fetch: async ({ documentName }) => {
          const state = store.loadDoc(documentName)
          docBytes.set(documentName, state?.length ?? 0)
          return state
        },
        store: ({ documentName, state }) => save(documentName, new Uint8Array(state)),
      }),
    ],
    async onAuthenticate({ token, documentName, connectionConfig, request, context }) {
      try {
        const principal = await authenticateBoard(opts.auth, token, documentName)
        connectionConfig.readOnly = principal.role === 'student' && locks.isLocked(documentName)
        gateOf(context)?.authenticated(documentName)
        return { principal } satisfies BoardConnectionContext
      } catch (err) {
        const reason = err instanceof BoardAuthError ? err.reason : 'unauthorized'
        logger.warn('Board connection refused', { lessonId: documentName.slice(0, 64), reason, ip: request.socket.remoteAddress })
        throw err instanceof BoardAuthError ? err : new BoardAuthError('unauthorized')
      }
    },
    async connected({ connection, documentName, context }) {
      gateOf(context)?.connectedTo(documentName)
      connection.sendStateless(stateMessage(locks.isLocked(documentName)))
    },
    async onDisconnect({ documentName, context }) {
      gateOf(context)?.disconnected(documentName)
    },
    async afterUnloadDocument({ documentName }) {
      store.closeDoc(documentName)
      docBytes.delete(documentName)
    },
    async beforeHandleMessage({ connection, document, update, documentName }) {
      const verdict = inspectMessage(update, document, connection.readOnly)
      const size = (docBytes.get(documentName) ?? 0) + (verdict.ok ? (verdict.update?.length ?? 0) : 0)
      if (verdict.ok && size <= MAX_DOC_BYTES) {
        docBytes.set(documentName, size)
        if (verdict.update) keep(documentName, verdict.update)
        return
      }
      const reason: BoardRejectReason = verdict.ok ? 'board_full' : verdict.reason
      logger.warn('Board update refused', { lessonId: documentName, reason, detail: verdict.ok ? `${size} bytes` : verdict.detail })
      send(connection, { type: 'rejected', reason })
      // Hocuspocus closes this document's connection on a rejected hook; nothing was applied.
      throw refuse(reason)
    },
    async onStateless({ connection, document, payload }) {
      const msg = parseStateless(BoardClientMessageSchema, payload)
      const who = principalOf(connection.context)
      if (!msg || !who) return
      if (who.role !== 'tutor') {
        send(connection, { type: 'rejected', reason: 'forbidden' })
        return
      }
      locks.set(document, msg.locked)
      logger.info('Board lock changed', { lessonId: document.name, locked: msg.locked })
    },
  })

  // Connections of an ended lesson close; its board stays stored until the lesson is dropped.
  registry.onEnded((lesson) => hocuspocus.closeConnections(lesson.id))
  // A student whose seat went to someone else is cut off at once, not at their next reconnect.
  registry.onSeatChanged((lesson, previous) => {
    const document = hocuspocus.documents.get(lesson.id)
    for (const connection of document?.getConnections() ?? []) {
      if (principalOf(connection.context)?.participantId === previous) connection.close({ code: 4403, reason: 'seat_taken' })
    }
  })

  /** Boards whose lesson the registry no longer knows (dropped after retention) are deleted. */
  function sweep(): void {
    try {
      for (const id of store.lessonIds()) {
        if (registry.get(id) || hocuspocus.documents.has(id)) continue
        store.remove(id)
        locks.forget(id)
        logger.info('Board of a dropped lesson removed', { lessonId: id })
      }
    } catch (err) {
      logger.error('Board sweep failed', { error: String(err) })
    }
  }
  sweep()
  const sweepTimer = setInterval(sweep, SWEEP_INTERVAL_MS)
  sweepTimer.unref()

  // Frames just over MAX_UPDATE_BYTES get a polite "rejected"; past MAX_FRAME_BYTES ws closes with 1009.
  // No permessage-deflate: ws compresses and inflates on libuv's thread pool, one hop there and back
  // per message, and on a busy machine each hop waits its turn. Measured over a lesson with both
  // cameras on: page-to-page delivery of a board message 10-22 ms median (p90 28-39) with it,
  // 6-8 ms (p90 13-18) without. It saved bytes (1,000 strokes 1.5 MB -> 0.65 MB), but ink arriving
  // sooner matters more than 1 MB an hour beside a video call.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false })
  const routes = assetRoutes({ store, locks, auth: opts.auth, logger, limiter: new RateLimiter({ perMinute: 60, now: opts.now }) })

  return {
    routes,
    handleUpgrade(req, socket, head) {
      const ip = req.socket.remoteAddress ?? ''
      const release = pendingSockets.take(ip)
      if (!release) {
        logger.warn('Board socket refused: too many unauthenticated sockets from one address', { ip })
        socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
        return
      }
      // A handshake ws refuses never reaches the callback.
      socket.once('close', release)
      wss.handleUpgrade(req, socket, head, (ws) => {
        // Hocuspocus adds no error listener; an oversized frame (1009) would otherwise be an uncaught error.
        ws.on('error', (err) => logger.warn('Board socket error', { ip, error: err.message }))
        // Before Hocuspocus's listeners, so the gate sees each frame first.
        const gate = new PreAuthGate(ws, socket, ip, PREAUTH_LIMITS, logger, release)
        hocuspocus.handleConnection(ws, req, { gate } satisfies GateContext)
      })
    },
    async close() {
      clearInterval(sweepTimer)
      // Save now rather than wait for the debounce: a restart must lose nothing.
      await Promise.all([...(hocuspocus.documents as Map<string, Document>)].map(([name, document]) => save(name, Y.encodeStateAsUpdate(document))))
      hocuspocus.closeConnections()
      for (const ws of wss.clients) ws.close(1001, 'server shutting down')
      const cut = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate()
      }, 1000)
      cut.unref()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      clearTimeout(cut)
    },
  }
}
