import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { AttendanceSchema, DisplayNameSchema } from '../../shared/lesson/lesson'
import { InviteCodeSchema } from '../../shared/lesson/invite'
import { SECRET_BYTES, newSecret } from './tokens'
import type { Logger } from '../logger'

/** A lesson as kept in memory and on disk (one JSON file per lesson). */
export const StoredLessonSchema = z.object({
  id: z.uuid(),
  tutorId: z.string().min(1).max(64),
  tutorName: DisplayNameSchema,
  inviteCode: InviteCodeSchema,
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

/** Write to a temp file then rename, so a crash never leaves a half-written file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`
  try {
    fs.writeFileSync(tmp, data, { mode: 0o600 })
    fs.renameSync(tmp, file)
  } catch (err) {
    fs.rmSync(tmp, { force: true })
    throw err
  }
}

function moveAside(file: string, logger: Logger, reason: string): void {
  const aside = `${file}.corrupt-${Date.now()}`
  logger.warn('Unreadable data file moved aside', { file, aside, reason })
  try {
    fs.renameSync(file, aside)
  } catch (err) {
    logger.error('Could not move unreadable data file', { file, error: String(err) })
  }
}

/** Loads the token signing secret, creating it (mode 0600) on first start. */
export function loadOrCreateSecret(dataDir: string, logger: Logger): Uint8Array {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = path.join(dataDir, 'secret.key')
  if (fs.existsSync(file)) {
    const bytes = fs.readFileSync(file)
    if (bytes.length === SECRET_BYTES) return new Uint8Array(bytes)
    // A new secret invalidates old tokens, which is the safe side.
    moveAside(file, logger, `expected ${SECRET_BYTES} bytes, found ${bytes.length}`)
  }
  const secret = newSecret()
  writeFileAtomic(file, secret)
  return secret
}

export class FileLessonStore implements LessonStore {
  private readonly dir: string

  constructor(
    dataDir: string,
    private readonly logger: Logger,
  ) {
    this.dir = path.join(dataDir, 'lessons')
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 })
  }

  private fileOf(id: string): string {
    // Ids are validated UUIDs, so they are safe file names.
    return path.join(this.dir, `${z.uuid().parse(id)}.json`)
  }

  loadLessons(): StoredLesson[] {
    const out: StoredLesson[] = []
    for (const name of fs.readdirSync(this.dir)) {
      // Leftover temp files from a crash mid-write: the previous .json is intact.
      if (name.endsWith('.tmp')) fs.rmSync(path.join(this.dir, name), { force: true })
      if (!name.endsWith('.json')) continue
      const file = path.join(this.dir, name)
      try {
        const parsed = StoredLessonSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')))
        if (!parsed.success) {
          const issue = parsed.error.issues[0]
          moveAside(file, this.logger, issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid')
        } else if (`${parsed.data.id}.json` !== name) {
          moveAside(file, this.logger, 'file name does not match lesson id')
        } else {
          out.push(parsed.data)
        }
      } catch (err) {
        moveAside(file, this.logger, err instanceof Error ? err.message : String(err))
      }
    }
    return out
  }

  saveLesson(lesson: StoredLesson): void {
    try {
      writeFileAtomic(this.fileOf(lesson.id), JSON.stringify(lesson))
    } catch (err) {
      // A full disk must not take lessons down; the in-memory state stays authoritative.
      this.logger.error('Could not save lesson', { lessonId: lesson.id, error: String(err) })
    }
  }

  removeLesson(id: string): void {
    try {
      fs.rmSync(this.fileOf(id), { force: true })
    } catch (err) {
      this.logger.error('Could not remove lesson file', { lessonId: id, error: String(err) })
    }
  }
}
