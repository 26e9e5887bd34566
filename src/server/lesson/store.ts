import path from 'node:path'
import { z } from 'zod'
import { AttendanceSchema, DisplayNameSchema } from '../../shared/lesson/lesson'
import { InviteCodeSchema } from '../../shared/lesson/invite'
import { JsonFileStore, loadOrCreateSecret } from '../../node/files'
import { SECRET_BYTES } from './tokens'
import type { Logger } from '../logger'

/** A lesson as kept in memory and on disk (one JSON file per lesson). */
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
})
export type StoredLesson = z.infer<typeof StoredLessonSchema>

export interface LessonStore {
  loadLessons(): StoredLesson[]
  saveLesson(lesson: StoredLesson): void
  removeLesson(id: string): void
}

export const memoryStore: LessonStore = {
  loadLessons: () => [],
  saveLesson: () => {},
  removeLesson: () => {},
}

/** Loads the token signing secret (dataDir/secret.key), creating it on first start. */
export function loadOrCreateTokenSecret(dataDir: string, logger: Logger): Uint8Array {
  return loadOrCreateSecret(path.join(dataDir, 'secret.key'), SECRET_BYTES, logger)
}

/** dataDir/lessons/<id>.json. */
export class FileLessonStore implements LessonStore {
  private readonly files: JsonFileStore<StoredLesson>

  constructor(dataDir: string, logger: Logger) {
    this.files = new JsonFileStore(path.join(dataDir, 'lessons'), StoredLessonSchema, (lesson) => lesson.id, logger)
  }

  loadLessons(): StoredLesson[] {
    return this.files.loadAll()
  }

  saveLesson(lesson: StoredLesson): void {
    this.files.save(lesson)
  }

  removeLesson(id: string): void {
    this.files.remove(id)
  }
}
