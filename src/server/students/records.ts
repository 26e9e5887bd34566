import type { MyRecord, RecordLesson, StudentRecord } from '../../shared/students/record'
import { nextPlannedStart } from '../../shared/students/schedule'
import { PROGRESS_WEEKS } from '../../shared/students/progress'
import type { Db } from '../db/schema'
import type { LessonRegistry } from '../lesson/registry'
import type { ActivityTable } from './activityTable'
import type { HomeworkTable } from './homeworkTable'
import { lessonHistory } from './lessonHistory'
import { progressOf, weekStarts, type StudyHistory } from './progress'
import type { RosterTable, StudentRow } from './rosterTable'
import type { ScheduleTable } from './scheduleTable'
import { actionsOf, flagsOf, messagesFor } from './warnings/reads'

export interface RecordsDeps {
  db: Db
  registry: LessonRegistry
  roster: RosterTable
  schedule: ScheduleTable
  homework: HomeworkTable
  activity: ActivityTable
  now: () => number
  /** The server's own time zone: weeks of students without a plan are counted in it. */
  timeZone: string
}

/** The student's time zone: their plan's, else the server's. */
export function timeZoneOf(row: Pick<StudentRow, 'plan'>, fallback: string): string {
  return row.plan?.timeZone ?? fallback
}

/** Reads a student's record together (lessons, schedule, homework, activity, ratings) for both views of it. */
export class StudentRecords {
  constructor(private readonly deps: RecordsDeps) {}

  /** The study history of each student, from the start of the oldest progress week (lessons: all of them). */
  async histories(rows: readonly StudentRow[]): Promise<Map<string, StudyHistory & { lessonsAll: RecordLesson[] }>> {
    const { db, now } = this.deps
    // Lessons reach the database through the registry's write queue: read what it has written.
    await this.deps.registry.persisted()
    const ids = rows.map((r) => r.id)
    const since = Math.min(...rows.map((r) => weekStarts(now(), timeZoneOf(r, this.deps.timeZone), PROGRESS_WEEKS)[0] as number), now())
    const [lessons, activity, homework, changes, ratings] = await Promise.all([
      lessonHistory(db, ids, 0, now()),
      this.deps.activity.since(ids, since),
      this.deps.homework.ofStudents(ids),
      this.deps.schedule.changesOf(ids),
      ids.length === 0 ? [] : db.selectFrom('ratings').selectAll().where('student_id', 'in', ids).execute(),
    ])
    const ratingOf = new Map(ratings.map((r) => [r.lesson_id, { stars: r.stars, word: r.word, at: r.at }]))
    const out = new Map<string, StudyHistory & { lessonsAll: RecordLesson[] }>()
    for (const row of rows) {
      const mine = lessons.filter((l) => l.studentId === row.id)
      out.set(row.id, {
        plan: row.plan,
        changes: changes.get(row.id) ?? [],
        lessons: mine,
        activity: activity.filter((a) => a.studentId === row.id),
        homework: homework.filter((h) => h.studentId === row.id),
        timeZone: timeZoneOf(row, this.deps.timeZone),
        addedAt: row.created_at,
        lessonsAll: mine.map(({ studentId: _s, ...lesson }) => ({ ...lesson, rating: ratingOf.get(lesson.id) ?? null })),
      })
    }
    return out
  }

  async record(row: StudentRow): Promise<StudentRecord> {
    const history = (await this.histories([row])).get(row.id)
    if (!history) throw new Error('no history')
    return {
      student: this.deps.roster.toStudent(row),
      tutorName: (await this.deps.roster.accountById(row.account_id))?.name ?? '',
      lessons: history.lessonsAll,
      scheduleChanges: [...history.changes],
      nextLessonAt: nextPlannedStart(row.plan, history.changes, this.deps.now()),
      homework: [...history.homework],
      progress: progressOf(history, this.deps.now()),
      flags: await flagsOf(this.deps.db, row.id),
      actions: await actionsOf(this.deps.db, row.id),
    }
  }

  async myRecord(row: StudentRow): Promise<MyRecord> {
    const full = await this.record(row)
    const open = row.archived_at === null ? this.deps.registry.openLessonFor(row.account_id, row.id) : undefined
    return {
      student: { id: row.id, name: row.name, subject: row.subject, goal: row.goal, plan: row.plan },
      tutorName: full.tutorName,
      openLesson: open ? { lessonId: open.id } : null,
      nextLessonAt: full.nextLessonAt,
      lessons: full.lessons,
      homework: full.homework,
      progress: full.progress,
      messages: await messagesFor(this.deps.db, row),
    }
  }

  /**
   * Sets a lesson's student; resolves once the database holds it. A live
   * lesson is written only through the registry's queue: an UPDATE of our own
   * could run before the queue's first write of a new lesson had committed,
   * change no row, and leave the database without the student until the
   * queue caught up (a reader right after a join saw nobody).
   */
  async attribute(lessonId: string, studentId: string | null): Promise<void> {
    const live = this.deps.registry.get(lessonId)
    if (live) {
      this.deps.registry.attribute(live, studentId)
      await this.deps.registry.persisted()
      return
    }
    await this.deps.db.updateTable('lessons').set({ student_id: studentId }).where('id', '=', lessonId).execute()
  }
}
