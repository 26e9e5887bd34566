import path from 'node:path'
import { z } from 'zod'
import { AttendanceSchema, DisplayNameSchema } from '../../shared/lesson/lesson'
import { InviteCodeSchema } from '../../shared/lesson/invite'
import { loadOrCreateSecret } from '../../node/files'
import { SECRET_BYTES } from './tokens'
import type { Logger } from '../logger'

/** A lesson as the registry keeps it in memory (and as older data folders kept it, one JSON file per lesson). */
export const StoredLessonSchema = z.object({
  id: z.uuid(),
  tutorId: z.string().min(1).max(64),
  tutorName: DisplayNameSchema,
  inviteCode: InviteCodeSchema,
  /**
   * Codes this lesson had before the tutor made a new invite: looking one up
   * says "this invite expired", not "no such lesson". Older files have none.
   */
  retiredCodes: z.array(InviteCodeSchema).max(8).default([]),
  createdAt: z.number(),
  inviteExpiresAt: z.number(),
  /** Latest exp of any token handed out; after it nobody can connect again. */
  tokensValidUntil: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  endedBy: z.enum(['tutor', 'expired']).nullable(),
  attendance: z.array(AttendanceSchema).max(16),
  /**
   * Who holds the student seat: the one student identity every route accepts.
   * Taken when an invite is used, kept while that student is connected (or
   * away for less than SEAT_GRACE_MS); older files have none (default null).
   */
  seat: z
    .object({
      participantId: z.string().min(1).max(64),
      connected: z.boolean(),
      /** Taken, or last connected or disconnected (epoch ms). */
      seenAt: z.number(),
      /** They pressed Leave: the seat is free for the next join at once. */
      left: z.boolean(),
    })
    .nullable()
    .default(null),
  /** The roster the lesson belongs to: the tutor's account (null: started without a key, as before rosters). */
  accountId: z.string().min(1).max(80).nullable().default(null),
  /** The student on that roster it is attributed to (their personal link, a lesson started from their record, or attached after). */
  studentId: z.string().min(1).max(64).nullable().default(null),
})
export type StoredLesson = z.infer<typeof StoredLessonSchema>

export interface LessonStore {
  /** Lessons still running, or ended at or after `endedSince` (epoch ms). */
  loadLessons(endedSince: number): Promise<StoredLesson[]>
  /** Queued, never awaited by the registry: failures are logged and memory stays authoritative. */
  saveLesson(lesson: StoredLesson): void
  /** Resolves once every queued save is written (before the database closes). */
  flush(): Promise<void>
}

/** A server without a data folder or database keeps lessons in memory only. */
export const memoryStore: LessonStore = {
  loadLessons: async () => [],
  saveLesson: () => {},
  flush: async () => {},
}

/** Loads the token signing secret (dataDir/secret.key), creating it on first start. */
export function loadOrCreateTokenSecret(dataDir: string, logger: Logger): Uint8Array {
  return loadOrCreateSecret(path.join(dataDir, 'secret.key'), SECRET_BYTES, logger)
}
