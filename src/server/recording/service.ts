import { randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import type { AiConversation } from '../../shared/ai/conversation'
import type { RecordingPolicy } from '../../shared/recording/state'
import { LessonRecordStore } from '../../shared/recording/lessonRecordStore'
import { RecordingManager } from '../../shared/recording/manager'
import type { Logger } from '../logger'
import { HttpError, sendError } from '../http/respond'
import type { LessonRegistry } from '../lesson/registry'
import { writeFileAtomic } from '../lesson/store'
import type { TokenService } from '../lesson/tokens'
import { LibraryKeys } from './accessKeys'
import { aiConversationReader } from './lessonAi'
import { libraryRoutes } from './libraryRoutes'
import { nodeRecordingFs } from '../../node/recordingFs'
import { RecordingRooms } from './rooms'
import { lessonMeta, uploadRoutes, type RouteHandler } from './uploadRoutes'

export interface RecordingServiceOptions {
  registry: LessonRegistry
  tokens: TokenService
  logger: Logger
  now: () => number
  /** null = memory only: recording state works, browsers cannot upload. */
  dataDir: string | null
  policy: RecordingPolicy
  publicUrl: () => string
  /** Broadcast a recording-state change to both people of a lesson. */
  broadcast(lessonId: string, state: ReturnType<RecordingRooms['state']>): void
  /** Default 20 s: the tutor's page may reload or reconnect meanwhile. */
  recorderGraceMs?: number
  /** After a lesson ends, the tutor's page still has this long to send its last chunk. */
  endGraceMs?: number
  /** The lesson's AI conversations for its record (default: read from the AI service's store in dataDir). */
  aiConversations?: (lessonId: string) => readonly AiConversation[]
}

export interface RecordingService {
  rooms: RecordingRooms
  ownsPath(pathname: string): boolean
  handleHttp(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void>
  close(): Promise<void>
}

// Tokens and keys travel in headers or the query, never cookies, so any origin may ask.
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization, Range',
  'Access-Control-Expose-Headers': 'Content-Range, Content-Length, Accept-Ranges',
  'Access-Control-Max-Age': '600',
}

function loadKeySecret(dir: string): Uint8Array {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = path.join(dir, 'library.key')
  if (fs.existsSync(file)) {
    const bytes = fs.readFileSync(file)
    if (bytes.length === 32) return new Uint8Array(bytes)
  }
  const secret = new Uint8Array(randomBytes(32))
  writeFileAtomic(file, secret)
  return secret
}

/**
 * Recording on the session server: the per-lesson recording state (both
 * people see it), uploads from browser tutors into dataDir/recordings (the
 * same lesson-library layout as the desktop), the web library, repair of
 * recordings cut off by a crash (at start) or by the tutor's page going away
 * (after a grace period, or when the lesson ends).
 */
export function createRecordingService(opts: RecordingServiceOptions): RecordingService {
  const { logger, registry } = opts
  const root = opts.dataDir === null ? null : path.join(opts.dataDir, 'recordings')
  const store = root === null ? null : new LessonRecordStore({ fs: nodeRecordingFs, root, now: opts.now })
  const manager = store === null ? null : new RecordingManager({ store, now: opts.now, newId: randomUUID, logger })
  const keys = new LibraryKeys(root === null ? new Uint8Array(randomBytes(32)) : loadKeySecret(root), opts.now)
  const timers = new Set<NodeJS.Timeout>()

  const finishLater = (lessonId: string, ms: number): void => {
    if (!manager || manager.recordingIds(lessonId).length === 0) return
    const timer = setTimeout(() => {
      timers.delete(timer)
      void manager.closeAll('interrupted', lessonId)
    }, ms)
    timer.unref()
    timers.add(timer)
  }

  const rooms = new RecordingRooms({
    policy: opts.policy,
    serverStorage: store !== null,
    now: opts.now,
    recorderGraceMs: opts.recorderGraceMs ?? 20_000,
    onChange: opts.broadcast,
    onRecorderLost: (lessonId) => finishLater(lessonId, 0),
    logger,
  })

  registry.onEnded((lesson) => {
    rooms.lessonEnded(lesson.id)
    finishLater(lesson.id, opts.endGraceMs ?? 10_000)
    const meta = lessonMeta(registry, lesson.id, opts.publicUrl())
    if (store && meta) {
      void store
        .readRecord(lesson.id)
        .then((record) => (record ? store.saveMeta(meta) : null))
        .catch((error: unknown) => logger.error('Could not update the lesson record', { lessonId: lesson.id, error: String(error) }))
    }
  })
  if (manager) {
    void manager.recover().catch((error: unknown) => logger.error('Recording recovery failed', { error: String(error) }))
  }

  const routes: { pattern: RegExp; handler: RouteHandler; method?: 'GET' }[] = [
    ...Object.values(uploadRoutes({ registry, tokens: opts.tokens, rooms, manager, store, publicUrl: opts.publicUrl, cors: CORS })),
    ...Object.values(libraryRoutes({
      registry,
      tokens: opts.tokens,
      keys,
      store,
      manager,
      fs: nodeRecordingFs,
      cors: CORS,
      publicUrl: opts.publicUrl,
      aiConversations: opts.aiConversations ?? (opts.dataDir === null ? () => [] : aiConversationReader(opts.dataDir, logger)),
    })),
  ]

  return {
    rooms,
    ownsPath: (pathname) => pathname.startsWith('/api/recordings') || pathname.startsWith('/api/library/'),
    async handleHttp(req, res, pathname) {
      const method = req.method ?? 'GET'
      const route = routes.find((r) => r.pattern.test(pathname))
      if (!route) return sendError(res, 404, 'not_found', `No API route ${pathname}`, CORS)
      const allowed = route.method === 'GET' ? 'GET, HEAD, OPTIONS' : 'POST, OPTIONS'
      if (method === 'OPTIONS') {
        res.writeHead(204, { ...CORS, Allow: allowed })
        res.end()
        return
      }
      const wanted = route.method === 'GET' ? ['GET', 'HEAD'] : ['POST']
      if (!wanted.includes(method)) return sendError(res, 405, 'bad_request', `Method ${method} is not allowed on ${pathname}`, { ...CORS, Allow: allowed })
      try {
        await route.handler(req, res, route.pattern.exec(pathname)?.slice(1) ?? [])
      } catch (err) {
        const close: Record<string, string> = req.complete ? {} : { Connection: 'close' }
        if (err instanceof HttpError) return sendError(res, err.status, err.code, err.message, { ...CORS, ...close, ...err.headers })
        logger.error('Recording route failed', { path: pathname, error: err instanceof Error ? err.stack : String(err) })
        sendError(res, 500, 'internal', 'Internal server error', { ...CORS, ...close })
      }
    },
    async close() {
      rooms.close()
      for (const timer of timers) clearTimeout(timer)
      // Quitting never waits for a rewrite: files stay marked in progress and are finalized on the next start.
      await manager?.suspendAll()
    },
  }
}
