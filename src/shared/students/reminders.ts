import type { MyRecord } from './record'

/** A planned lesson is announced this long before it starts. */
export const LESSON_REMINDER_MS = 10 * 60_000
/** After this long without any study the student is nudged, once per quiet spell. */
export const INACTIVE_REMINDER_MS = 7 * 86_400_000

/** A reminder the student's device shows (an OS notification). */
export interface Reminder {
  /** Stable per occasion (the lesson's start, the quiet spell's start), so one occasion is shown once. */
  id: string
  kind: 'lesson' | 'inactive'
  /** When to show it. */
  at: number
  tutorName: string
  /** lesson: when it starts; inactive: the last study before the quiet spell. */
  about: number
}

/**
 * The last time the record shows the student studying: a lesson attended,
 * homework handed in, or (to the week) practice with Ask AI or a recording
 * watched again. Null when there is none yet.
 */
export function lastStudyAt(record: Pick<MyRecord, 'lessons' | 'homework' | 'progress'>): number | null {
  const times = [
    ...record.lessons.filter((l) => l.attended).map((l) => l.endedAt ?? l.startedAt ?? l.createdAt),
    ...record.homework.flatMap((h) => (h.handedInAt === null ? [] : [h.handedInAt])),
    ...record.progress.weeks.filter((w) => w.practiceQuestions > 0 || w.recordingMinutes > 0).map((w) => w.weekStart),
  ]
  return times.length > 0 ? Math.max(...times) : null
}

/**
 * The reminders one student's record calls for from `now` on: the next
 * planned lesson (10 minutes before it; none once it has begun), and a nudge
 * a week after their last study (none before they ever studied: the first
 * lesson is the tutor's to arrange). A nudge already due is shown now.
 */
export function remindersFor(record: Pick<MyRecord, 'student' | 'tutorName' | 'nextLessonAt' | 'lessons' | 'homework' | 'progress'>, now: number): Reminder[] {
  const out: Reminder[] = []
  const next = record.nextLessonAt
  if (next !== null && next > now) {
    out.push({ id: `lesson:${record.student.id}:${next}`, kind: 'lesson', at: Math.max(now, next - LESSON_REMINDER_MS), tutorName: record.tutorName, about: next })
  }
  const last = lastStudyAt(record)
  if (last !== null) out.push({ id: `inactive:${record.student.id}:${last}`, kind: 'inactive', at: Math.max(now, last + INACTIVE_REMINDER_MS), tutorName: record.tutorName, about: last })
  return out
}
