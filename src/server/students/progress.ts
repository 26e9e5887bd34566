import { tz } from '@date-fns/tz'
import { addWeeks, startOfWeek } from 'date-fns'
import type { Homework } from '../../shared/students/homework'
import type { ScheduleChange, WeeklyPlan } from '../../shared/students/plan'
import { PROGRESS_WEEKS, type Progress, type ProgressWeek } from '../../shared/students/progress'
import { nextPlannedStart, plannedStarts } from '../../shared/students/schedule'
import type { ActivityEvent } from './activityTable'
import type { HistoryLesson } from './lessonHistory'

/** Everything known about one student's study, as progress and early warning read it. */
export interface StudyHistory {
  plan: WeeklyPlan | null
  changes: readonly ScheduleChange[]
  lessons: readonly HistoryLesson[]
  activity: readonly ActivityEvent[]
  homework: readonly Homework[]
  /** The student's time zone (their plan's, else the server's): weeks start on Monday there. */
  timeZone: string
  /** When the student was added to the roster: nothing was planned for them before. */
  addedAt: number
}

/** Monday 00:00 of the week `at` falls in, in `timeZone`. */
export function weekStartOf(at: number, timeZone: string): number {
  return startOfWeek(at, { weekStartsOn: 1, in: tz(timeZone) }).getTime()
}

const MAX_REMEMBERED = 256
const weekBounds = new Map<string, readonly number[]>()

/**
 * The start of each of the `count` weeks up to and including the one `now`
 * is in, oldest first, and the end of the last. Memoised: a recompute asks
 * the same question for every student of a zone (each answer costs a few
 * dozen Intl calls).
 */
export function weekStarts(now: number, timeZone: string, count: number): number[] {
  const key = `${now}|${timeZone}|${count}`
  let bounds = weekBounds.get(key)
  if (!bounds) {
    const zone = tz(timeZone)
    const current = startOfWeek(now, { weekStartsOn: 1, in: zone })
    bounds = Array.from({ length: count + 1 }, (_, i) => addWeeks(current, i - count + 1, { in: zone }).getTime())
    if (weekBounds.size >= MAX_REMEMBERED) weekBounds.clear()
    weekBounds.set(key, bounds)
  }
  return [...bounds]
}

/** Study minutes per week: lessons attended, practice, recordings watched again. */
export function weeklyProgress(history: StudyHistory, now: number, count = PROGRESS_WEEKS): ProgressWeek[] {
  const bounds = weekStarts(now, history.timeZone, count)
  return bounds.slice(0, -1).map((weekStart, i) => {
    const weekEnd = bounds[i + 1] as number
    const inWeek = (at: number | null): boolean => at !== null && at >= weekStart && at < weekEnd
    const lessons = history.lessons.filter((l) => l.attended && inWeek(l.startedAt))
    const practice = history.activity.filter((a) => a.kind === 'practice_question' && inWeek(a.at))
    return {
      weekStart,
      planned: plannedStarts(history.plan, history.changes, Math.max(weekStart, history.addedAt), Math.min(weekEnd, now)).length,
      attended: lessons.length,
      lessonMinutes: lessons.reduce((sum, l) => sum + l.minutes, 0),
      practiceQuestions: practice.length,
      practiceMinutes: practice.reduce((sum, a) => sum + a.minutes, 0),
      recordingMinutes: history.activity.filter((a) => a.kind === 'recording_view' && inWeek(a.at)).reduce((sum, a) => sum + a.minutes, 0),
    }
  })
}

/** The progress both sides see. */
export function progressOf(history: StudyHistory, now: number): Progress {
  const weeks = weeklyProgress(history, now)
  const from = weeks[0]?.weekStart ?? now
  const homework = history.homework.filter((h) => h.dueAt >= from || h.timing === 'pending')
  const activeWeeks = weeks.map(
    (w, i) =>
      w.attended > 0 ||
      w.practiceQuestions > 0 ||
      w.recordingMinutes > 0 ||
      history.activity.some((a) => a.at >= w.weekStart && a.at < (weeks[i + 1]?.weekStart ?? Infinity)) ||
      history.homework.some((h) => h.handedInAt !== null && h.handedInAt >= w.weekStart && h.handedInAt < (weeks[i + 1]?.weekStart ?? Infinity)),
  )
  // A streak still counts while this week has just begun: it runs up to this week or the last.
  let streak = 0
  for (let i = activeWeeks.length - 1 - (activeWeeks.at(-1) ? 0 : 1); i >= 0 && activeWeeks[i]; i--) streak++
  return {
    timeZone: history.timeZone,
    weeks,
    attended: weeks.reduce((sum, w) => sum + w.attended, 0),
    planned: weeks.reduce((sum, w) => sum + w.planned, 0),
    homework: {
      onTime: homework.filter((h) => h.timing === 'on_time').length,
      late: homework.filter((h) => h.timing === 'late').length,
      missing: homework.filter((h) => h.timing === 'missing').length,
      pending: homework.filter((h) => h.timing === 'pending').length,
    },
    practiceQuestions: weeks.reduce((sum, w) => sum + w.practiceQuestions, 0),
    recordingViews: history.activity.filter((a) => a.kind === 'recording_view' && a.at >= from).length,
    streakWeeks: streak,
    nextLessonAt: nextPlannedStart(history.plan, history.changes, now),
  }
}
