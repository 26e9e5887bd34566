import { randomBytes, randomUUID } from 'node:crypto'
import path from 'node:path'
import type { AiConversation } from '../../shared/ai/conversation'
import type { RecordingPolicy } from '../../shared/recording/state'
import { LessonRecordStore } from '../../shared/recording/lessonRecordStore'
import { RecordingManager } from '../../shared/recording/manager'
import type { Logger } from '../logger'
import type { Route } from '../http/routes'
import type { LessonRegistry } from '../lesson/registry'
import { loadOrCreateSecret } from '../../node/files'
import type { LessonAuth } from '../lesson/auth'
import { LibraryKeys } from './accessKeys'
import { libraryRoutes } from './libraryRoutes'
import { nodeRecordingFs } from '../../node/recordingFs'
import { RecordingRooms } from './rooms'
import { fileSavedRooms } from './savedRooms'
import { lessonMeta, uploadRoutes } from './uploadRoutes'

export interface RecordingServiceOptions {
  registry: LessonRegistry
  auth: LessonAuth
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
  /** The lesson's AI conversations for its record (the AI service keeps them). */
  aiConversations: (lessonId: string) => Promise<readonly AiConversation[]>
  /** Someone watched a recording of the lesson in the web library (a student watching again counts in their record). */
  watched?(lessonId: string, role: 'tutor' | 'student', seconds: number): void
}

export interface RecordingService {
  rooms: RecordingRooms
  routes: Route[]
  close(): Promise<void>
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
  const keys = new LibraryKeys(root === null ? new Uint8Array(randomBytes(32)) : loadOrCreateSecret(path.join(root, 'library.key'), 32, logger), opts.now)
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
    saved: root === null ? undefined : fileSavedRooms(path.join(root, 'rooms.json'), logger),
  })
  rooms.restore((lessonId) => registry.get(lessonId)?.endedAt === null)

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

  const routes: Route[] = [
    ...uploadRoutes({ registry, auth: opts.auth, rooms, manager, store, publicUrl: opts.publicUrl }),
    ...libraryRoutes({
      registry,
      auth: opts.auth,
      keys,
      now: opts.now,
      store,
      manager,
      fs: nodeRecordingFs,
      publicUrl: opts.publicUrl,
      aiConversations: opts.aiConversations,
      watched: opts.watched ?? (() => {}),
    }),
  ]

  return {
    rooms,
    routes,
    async close() {
      rooms.close()
      for (const timer of timers) clearTimeout(timer)
      // Quitting never waits for a rewrite: files stay marked in progress and are finalized on the next start.
      await manager?.suspendAll()
    },
  }
}
