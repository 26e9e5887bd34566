import { calendarDaysBetween } from '../../../shared/students/calendar'
import type { ScheduleChange, WeeklyPlan } from '../../../shared/students/plan'
import { lessonsPerWeek, plannedStarts } from '../../../shared/students/schedule'
import type { Evidence, WarningRule, WarningThresholds } from '../../../shared/students/warnings'
import { weekStarts } from '../progress'

const DAY = 86_400_000

/** What the rules read about one student. */
export interface WarningInput {
  plan: WeeklyPlan | null
  changes: readonly ScheduleChange[]
  /** The student's time zone (their plan's, else the server's): days and weeks are counted there. */
  timeZone: string
  /** When the student was added: nobody is "inactive" or "behind" from before they were on the roster. */
  addedAt: number
  /** The newest lesson they attended (any time), and their newest study between lessons (Ask AI, a recording, homework handed in). */
  lastLessonAt: number | null
  lastPracticeAt: number | null
  /** Lessons attributed to them in the last weeks (the windows below). */
  lessons: readonly { startedAt: number | null; attended: boolean; minutes: number }[]
  /** Study between lessons in the last weeks, with the minutes each counts for. */
  activity: readonly { at: number; minutes: number }[]
  /** Homework due in the last weeks, or not handed in yet. */
  homework: readonly { title: string; dueAt: number; handedInAt: number | null }[]
  ratings: readonly { stars: number; word: string; at: number }[]
}

export interface Raised {
  rule: WarningRule
  evidence: Evidence
}

/** Every rule that fires for this student now, with its evidence. */
export function evaluate(input: WarningInput, thresholds: WarningThresholds, now: number): Raised[] {
  return [inactive, lowCompletion, lateHomework, lowRatings, studyTimeDrop].flatMap((rule) => {
    const evidence = rule(input, thresholds, now)
    return evidence ? [{ rule: evidence.rule, evidence }] : []
  })
}

/** No lesson and no practice for `inactiveDays` calendar days (counted in the student's time zone). */
export function inactive(input: WarningInput, t: WarningThresholds, now: number): Evidence | null {
  const last = Math.max(input.lastLessonAt ?? -Infinity, input.lastPracticeAt ?? -Infinity, input.addedAt)
  const days = calendarDaysBetween(now, last, input.timeZone)
  if (days < t.inactiveDays) return null
  return { rule: 'inactive', days, lastLessonAt: input.lastLessonAt, lastPracticeAt: input.lastPracticeAt, plannedPerWeek: lessonsPerWeek(input.plan) }
}

/** Lessons attended / planned over the last `completionWindowDays` (since being added) below the threshold. */
export function lowCompletion(input: WarningInput, t: WarningThresholds, now: number): Evidence | null {
  const from = Math.max(now - t.completionWindowDays * DAY, input.addedAt)
  const planned = plannedStarts(input.plan, input.changes, from, now).length
  if (planned < t.completionMinPlanned) return null
  const attended = input.lessons.filter((l) => l.attended && l.startedAt !== null && l.startedAt >= from && l.startedAt < now).length
  const percent = Math.round((attended / planned) * 1000) / 10
  if (percent >= t.completionBelowPercent) return null
  return { rule: 'low_completion', attended, planned, percent, windowDays: t.completionWindowDays }
}

/** Homework more than `homeworkLateDays` late (handed in late, or still missing) `homeworkLateCount` times in the window. */
export function lateHomework(input: WarningInput, t: WarningThresholds, now: number): Evidence | null {
  const from = now - t.homeworkWindowDays * DAY
  const items = input.homework
    .filter((h) => h.dueAt >= from && h.dueAt < now)
    .map((h) => ({ title: h.title, dueAt: h.dueAt, daysLate: ((h.handedInAt ?? now) - h.dueAt) / DAY, missing: h.handedInAt === null }))
    .filter((h) => h.daysLate > t.homeworkLateDays)
    .map((h) => ({ ...h, daysLate: Math.floor(h.daysLate * 10) / 10 }))
    .sort((a, b) => b.dueAt - a.dueAt)
  if (items.length < t.homeworkLateCount) return null
  return { rule: 'late_homework', items: items.slice(0, 20) }
}

/** Ratings of `lowRatingStars` or fewer, `lowRatingCount` or more of them within the window (a month). */
export function lowRatings(input: WarningInput, t: WarningThresholds, now: number): Evidence | null {
  const from = now - t.ratingWindowDays * DAY
  const items = input.ratings
    .filter((r) => r.at >= from && r.at <= now && r.stars <= t.lowRatingStars)
    .sort((a, b) => b.at - a.at)
    .map((r) => ({ stars: r.stars, word: r.word, at: r.at }))
  if (items.length < t.lowRatingCount) return null
  return { rule: 'low_ratings', items: items.slice(0, 20) }
}

/**
 * Weekly study minutes (lessons attended, practice, recordings) down by at
 * least `studyDropPercent` week over week, `studyDropWeeks` complete weeks
 * running (weeks start on Monday in the student's time zone; the current,
 * unfinished week is not judged).
 */
export function studyTimeDrop(input: WarningInput, t: WarningThresholds, now: number): Evidence | null {
  // The complete weeks before this one: studyDropWeeks drops need one more week to compare with.
  const bounds = weekStarts(now, input.timeZone, t.studyDropWeeks + 2).slice(0, -1)
  const weeks = bounds.slice(0, -1).map((weekStart, i) => {
    const end = bounds[i + 1] as number
    const inWeek = (at: number | null): boolean => at !== null && at >= weekStart && at < end
    const minutes =
      input.lessons.filter((l) => l.attended && inWeek(l.startedAt)).reduce((sum, l) => sum + l.minutes, 0) +
      input.activity.filter((a) => inWeek(a.at)).reduce((sum, a) => sum + a.minutes, 0)
    return { weekStart, minutes: Math.round(minutes * 10) / 10 }
  })
  // Nothing to fall from if the student came onto the roster after the first week compared.
  if (input.addedAt >= (bounds[1] as number)) return null
  const factor = 1 - t.studyDropPercent / 100
  for (let i = 1; i < weeks.length; i++) {
    const before = weeks[i - 1]?.minutes ?? 0
    const after = weeks[i]?.minutes ?? 0
    if (before <= 0 || after > before * factor) return null
  }
  return { rule: 'study_time_drop', weeks }
}
