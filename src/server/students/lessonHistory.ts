import type { RecordLesson } from '../../shared/students/record'
import type { Db } from '../db/schema'

/** A lesson attributed to a student, as progress and early warning read it. */
export interface HistoryLesson extends Omit<RecordLesson, 'rating'> {
  studentId: string
}

/** Minutes a lesson ran from its start to its end (or, still running, the student's last leave or now). */
export function lessonMinutes(row: { started_at: number | null; ended_at: number | null; left_at: unknown }, now: number): number {
  if (row.started_at === null) return 0
  const end = row.ended_at ?? (row.left_at === null || row.left_at === undefined ? now : Number(row.left_at))
  return Math.max(0, Math.round((end - row.started_at) / 60_000))
}

/**
 * The lessons attributed to these students (all of them, or those created
 * or started at or after `since`), newest first. Attendance keeps the first join and the last
 * leave per person, so a lesson's minutes run from the moment both were
 * first in it to its end (or the student's last leave while it runs).
 */
export async function lessonHistory(db: Db, studentIds: readonly string[] | 'all', since: number, now: number): Promise<HistoryLesson[]> {
  if (studentIds !== 'all' && studentIds.length === 0) return []
  let query = db
    .selectFrom('lessons')
    .leftJoin('attendance', (join) => join.onRef('attendance.lesson_id', '=', 'lessons.id').on('attendance.role', '=', 'student'))
    .select([
      'lessons.id',
      'lessons.student_id',
      'lessons.created_at',
      'lessons.started_at',
      'lessons.ended_at',
      (eb) => eb.fn.max('attendance.left_at').as('left_at'),
      (eb) => eb.fn.count('attendance.participant_id').as('students'),
    ])
    .where('lessons.student_id', 'is not', null)
    .where((eb) => eb.or([eb('lessons.created_at', '>=', since), eb('lessons.started_at', '>=', since)]))
    .groupBy(['lessons.id', 'lessons.student_id', 'lessons.created_at', 'lessons.started_at', 'lessons.ended_at'])
    .orderBy('lessons.created_at', 'desc')
  if (studentIds !== 'all') query = query.where('lessons.student_id', 'in', studentIds)
  const rows = await query.execute()
  return rows.map((row) => {
    const attended = row.started_at !== null && Number(row.students) > 0
    return {
      id: row.id,
      studentId: row.student_id as string,
      createdAt: row.created_at,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      attended,
      minutes: attended ? lessonMinutes(row, now) : 0,
    }
  })
}
