import { sql, type Selectable } from 'kysely'
import { groupBy } from '../../../shared/groupBy'
import type { ScheduleChange } from '../../../shared/students/plan'
import type { WarningThresholds } from '../../../shared/students/warnings'
import type { Db } from '../../db/schema'
import type { StudentsTable } from '../../db/tables/students'
import { lessonHistory, type HistoryLesson } from '../lessonHistory'
import { timeZoneOf } from '../records'
import type { WarningInput } from './rules'

const DAY = 86_400_000

/** How far back the rules look with these thresholds (plus a day, and the weeks the study-time rule compares). */
export function lookBackMs(thresholds: readonly WarningThresholds[]): number {
  const days = Math.max(...thresholds.map((t) => Math.max(t.completionWindowDays, t.homeworkWindowDays, t.ratingWindowDays, (t.studyDropWeeks + 2) * 7)))
  return (days + 1) * DAY
}

export type StudentForWarnings = Pick<Selectable<StudentsTable>, 'id' | 'account_id' | 'plan' | 'created_at'>

/**
 * The rules' inputs for many students at once: a handful of set-wise
 * queries over the look-back window (not one per student), so recomputing
 * a school stays quick.
 */
export async function loadInputs(db: Db, students: readonly StudentForWarnings[], scope: 'all' | 'listed', now: number, since: number, timeZone: string): Promise<Map<string, WarningInput>> {
  const ids = students.map((s) => s.id)
  const listed = scope === 'listed'
  if (ids.length === 0) return new Map()

  const [lessons, activity, homework, ratings, changes] = await Promise.all([
    lessonHistory(db, listed ? ids : 'all', since, now),
    db
      .selectFrom('activity')
      .select(['student_id', 'at', 'minutes'])
      .where('at', '>=', since)
      .$if(listed, (q) => q.where('student_id', 'in', ids))
      .execute(),
    db
      .selectFrom('homework')
      .select(['student_id', 'title', 'due_at', 'handed_in_at'])
      .where('due_at', '>=', since)
      .where('due_at', '<', now)
      .$if(listed, (q) => q.where('student_id', 'in', ids))
      .execute(),
    db
      .selectFrom('ratings')
      .select(['student_id', 'stars', 'word', 'at'])
      .where('at', '>=', since)
      .$if(listed, (q) => q.where('student_id', 'in', ids))
      .execute(),
    db
      .selectFrom('schedule_changes')
      .select(['student_id', 'id', 'from_at', 'to_at', 'note'])
      .where((eb) => eb.or([eb('to_at', '>=', since), eb('from_at', '>=', since)]))
      .$if(listed, (q) => q.where('student_id', 'in', ids))
      .execute(),
  ])

  const byStudent = <T extends { student_id: string | null }>(rows: readonly T[]): Map<string, T[]> => groupBy(rows, (row) => row.student_id)
  const lessonsOf = groupBy(lessons, (l) => l.studentId)
  const activityOf = byStudent(activity)
  const homeworkOf = byStudent(homework)
  const ratingsOf = byStudent(ratings)
  const changesOf = byStudent(changes)
  const { lastLessonOf, lastActivityOf } = await latest(db, ids, since, lessons, activity)
  const out = new Map<string, WarningInput>()
  for (const student of students) {
    out.set(student.id, {
      plan: student.plan,
      changes: (changesOf.get(student.id) ?? []).map((c): ScheduleChange => ({ id: c.id, from: c.from_at, to: c.to_at, note: c.note })),
      timeZone: timeZoneOf(student, timeZone),
      addedAt: student.created_at,
      lastLessonAt: lastLessonOf.get(student.id) ?? null,
      lastPracticeAt: lastActivityOf.get(student.id) ?? null,
      lessons: (lessonsOf.get(student.id) ?? []).map((l) => ({ startedAt: l.startedAt, attended: l.attended, minutes: l.minutes })),
      activity: (activityOf.get(student.id) ?? []).map((a) => ({ at: a.at, minutes: a.minutes })),
      homework: (homeworkOf.get(student.id) ?? []).map((h) => ({ title: h.title, dueAt: h.due_at, handedInAt: h.handed_in_at })),
      ratings: (ratingsOf.get(student.id) ?? []).map((r) => ({ stars: r.stars, word: r.word, at: r.at })),
    })
  }
  return out
}

/**
 * Each student's newest attended lesson and newest study between lessons,
 * at any time. The look-back window holds every lesson started and every
 * activity since `since`, so its newest is the newest there is; only
 * students with none in the window are looked up further back.
 */
async function latest(
  db: Db,
  ids: readonly string[],
  since: number,
  lessons: readonly HistoryLesson[],
  activity: readonly { student_id: string; at: number }[],
): Promise<{ lastLessonOf: Map<string, number>; lastActivityOf: Map<string, number> }> {
  const lastLessonOf = new Map<string, number>()
  for (const l of lessons) {
    if (!l.attended || l.startedAt === null || l.startedAt < since) continue
    if (l.startedAt > (lastLessonOf.get(l.studentId) ?? -Infinity)) lastLessonOf.set(l.studentId, l.startedAt)
  }
  const lastActivityOf = new Map<string, number>()
  for (const a of activity) if (a.at > (lastActivityOf.get(a.student_id) ?? -Infinity)) lastActivityOf.set(a.student_id, a.at)

  const noLesson = ids.filter((id) => !lastLessonOf.has(id))
  const noActivity = ids.filter((id) => !lastActivityOf.has(id))
  const [olderLessons, olderActivity] = await Promise.all([
    noLesson.length === 0
      ? []
      : db
          .selectFrom('lessons')
          .select(['student_id', (eb) => eb.fn.max('started_at').as('at')])
          .where('student_id', 'in', noLesson)
          .where('started_at', 'is not', null)
          .where(({ exists, selectFrom }) => exists(selectFrom('attendance').select(sql.lit(1).as('one')).whereRef('attendance.lesson_id', '=', 'lessons.id').where('attendance.role', '=', 'student')))
          .groupBy('student_id')
          .execute(),
    noActivity.length === 0
      ? []
      : db
          .selectFrom('activity')
          .select(['student_id', (eb) => eb.fn.max('at').as('at')])
          .where('student_id', 'in', noActivity)
          .groupBy('student_id')
          .execute(),
  ])
  for (const r of olderLessons) if (r.at !== null) lastLessonOf.set(r.student_id as string, Number(r.at))
  for (const r of olderActivity) if (r.at !== null) lastActivityOf.set(r.student_id, Number(r.at))
  return { lastLessonOf, lastActivityOf }
}
