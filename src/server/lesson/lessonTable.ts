import type { Db } from '../db/schema'
import { groupBy } from '../../shared/groupBy'
import { toJson } from '../db/json'
import { WriteQueue } from '../db/writeQueue'
import { describeZodError } from '../../shared/zodError'
import type { Logger } from '../logger'
import { StoredLessonSchema, type LessonStore, type StoredLesson } from './store'

/**
 * Lessons and their attendance in the database. The registry keeps live
 * lessons in memory and hands every change here; a lesson it forgets (long
 * ended) stays in the database as the history student records are made of.
 */
export class LessonTable implements LessonStore {
  private readonly queue: WriteQueue

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {
    this.queue = new WriteQueue(logger, 'lesson')
  }

  async loadLessons(endedSince: number): Promise<StoredLesson[]> {
    const rows = await this.db
      .selectFrom('lessons')
      .selectAll()
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', endedSince)]))
      .execute()
    if (rows.length === 0) return []
    const attendance = await this.db
      .selectFrom('attendance')
      .selectAll()
      .where('lesson_id', 'in', rows.map((r) => r.id))
      .orderBy('lesson_id')
      .orderBy('position')
      .execute()
    const byLesson = groupBy(attendance, (a) => a.lesson_id)
    const lessons: StoredLesson[] = []
    for (const row of rows) {
      // Rows are read back from outside this process's memory: checked like the files were.
      const parsed = StoredLessonSchema.safeParse({
        id: row.id,
        tutorId: row.tutor_id,
        tutorName: row.tutor_name,
        inviteCode: row.invite_code,
        retiredCodes: row.retired_codes,
        createdAt: row.created_at,
        inviteExpiresAt: row.invite_expires_at,
        tokensValidUntil: row.tokens_valid_until,
        startedAt: row.started_at,
        endedAt: row.ended_at,
        endedBy: row.ended_by,
        attendance: (byLesson.get(row.id) ?? []).map((a) => ({ id: a.participant_id, name: a.name, role: a.role, joinedAt: a.joined_at, leftAt: a.left_at })),
        seat: row.seat,
        accountId: row.account_id,
        studentId: row.student_id,
      })
      if (parsed.success) lessons.push(parsed.data)
      else this.logger.warn('Unreadable lesson row skipped', { lessonId: row.id, reason: describeZodError(parsed.error, 'lesson') })
    }
    return lessons
  }

  saveLesson(lesson: StoredLesson): void {
    const snapshot = structuredClone(lesson)
    this.queue.enqueue(lesson.id, () => this.db.transaction().execute((tx) => writeLesson(tx, snapshot)))
  }

  flush(): Promise<void> {
    return this.queue.flush()
  }
}

/** Upserts the lesson and replaces its attendance; run it in a transaction (the JSON import runs many in one). */
export async function writeLesson(tx: Db, lesson: StoredLesson): Promise<void> {
  const row = {
    id: lesson.id,
    tutor_id: lesson.tutorId,
    tutor_name: lesson.tutorName,
    invite_code: lesson.inviteCode,
    retired_codes: toJson(lesson.retiredCodes),
    created_at: lesson.createdAt,
    invite_expires_at: lesson.inviteExpiresAt,
    tokens_valid_until: lesson.tokensValidUntil,
    started_at: lesson.startedAt,
    ended_at: lesson.endedAt,
    ended_by: lesson.endedBy,
    seat: toJson(lesson.seat),
    account_id: lesson.accountId,
    student_id: lesson.studentId,
  }
  const { id: _id, ...changes } = row
  await tx.insertInto('lessons').values(row).onConflict((oc) => oc.column('id').doUpdateSet(changes)).execute()
  await tx.deleteFrom('attendance').where('lesson_id', '=', lesson.id).execute()
  if (lesson.attendance.length > 0) {
    await tx
      .insertInto('attendance')
      .values(
        lesson.attendance.map((a, position) => ({
          lesson_id: lesson.id,
          participant_id: a.id,
          name: a.name,
          role: a.role,
          joined_at: a.joinedAt,
          left_at: a.leftAt,
          position,
        })),
      )
      .execute()
  }
}
