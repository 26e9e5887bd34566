import type { Homework } from '../../shared/students/homework'
import type { WeeklyPlan } from '../../shared/students/plan'
import type { Progress } from '../../shared/students/progress'
import type { Evidence, RecordAction } from '../../shared/students/warnings'
import { formatDateTime } from '../ui/format'

/** vue-i18n's t, as these helpers need it (testable without a component). */
export type Translate = (key: string, values?: Record<string, unknown>) => string

/** A day's date and time, or "never". */
function when(t: Translate, at: number | null, locale: string): string {
  return at === null ? t('records.never') : formatDateTime(at, locale)
}

/** "Tue and Thu" / "周二和周四" in the user's language (ISO weekdays: 1 = Monday). */
export function weekdayNames(days: readonly number[], locale: string): string {
  // 2024-01-01 was a Monday: day d is that date plus d - 1 days.
  const name = (d: number) => new Date(Date.UTC(2024, 0, d)).toLocaleDateString(locale, { weekday: 'short', timeZone: 'UTC' })
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(days.map(name))
}

/** "Tue, Thu 17:00, 60 min", or that there is no plan. */
export function planText(t: Translate, plan: WeeklyPlan | null, locale: string): string {
  return plan ? t('records.planText', { days: weekdayNames(plan.days, locale), time: plan.time, minutes: plan.minutes }) : t('records.noPlan')
}

/** A flag's evidence as one sentence, the numbers the tutor can check ("last lesson 9 days ago; planned 2/week"). */
export function evidenceText(t: Translate, evidence: Evidence, locale: string): string {
  switch (evidence.rule) {
    case 'inactive':
      return t('records.flag.evidence.inactive', { days: evidence.days, last: when(t, evidence.lastLessonAt, locale), perWeek: evidence.plannedPerWeek })
    case 'low_completion':
      return t('records.flag.evidence.low_completion', { attended: evidence.attended, planned: evidence.planned, percent: evidence.percent, days: evidence.windowDays })
    case 'late_homework': {
      const items = evidence.items.map((item) => t(item.missing ? 'records.flag.evidence.missingItem' : 'records.flag.evidence.lateItem', { title: item.title, days: Math.floor(item.daysLate) }))
      return t('records.flag.evidence.late_homework', { n: evidence.items.length, items: items.join('; ') })
    }
    case 'low_ratings': {
      const items = evidence.items.map((item) => `${item.stars}/5${item.word ? ` “${item.word}”` : ''} (${formatDateTime(item.at, locale)})`)
      return t('records.flag.evidence.low_ratings', { n: evidence.items.length, items: items.join('; ') })
    }
    case 'study_time_drop':
      return t('records.flag.evidence.study_time_drop', { weeks: evidence.weeks.map((w) => Math.round(w.minutes)).join(' → ') })
  }
}

/**
 * Lessons attended against planned: "3 of 4 planned"; a lesson held before
 * the plan's first one (a student added the same day) or beyond the plan is
 * said as such, never "1 of 0 planned", and nothing yet is "None yet", not
 * "0 of 0 planned".
 */
export function attendedText(t: Translate, progress: Pick<Progress, 'attended' | 'planned'>): string {
  const { attended, planned } = progress
  if (attended === 0 && planned === 0) return t('records.progress.attendedNone')
  if (attended <= planned) return t('records.progress.attendedValue', { attended, planned })
  if (planned === 0) return t('records.progress.attendedNonePlanned', { attended })
  return t('records.progress.attendedExtra', { attended, planned, extra: attended - planned })
}

/** The question "Ask AI" starts with when opened on a homework item: the homework's own words are its context. */
export function homeworkQuestion(t: Translate, homework: Pick<Homework, 'title' | 'body'>): string {
  const ask = t('records.homework.askAiQuestion', { title: homework.title })
  return homework.body ? `${ask}\n\n${homework.body}` : ask
}

/** What a tutor did, as the record lists it. */
export function actionText(t: Translate, action: RecordAction, locale: string): string {
  return t(`records.actionKind.${action.kind}`, { text: action.text, when: when(t, action.until, locale) })
}
