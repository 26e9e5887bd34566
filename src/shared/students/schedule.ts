import { TZDate, tz } from '@date-fns/tz'
import { addDays, getISODay, startOfDay } from 'date-fns'
import type { ScheduleChange, WeeklyPlan } from './plan'

/**
 * Planned lesson starts (epoch ms) in [from, to): the plan's days at its
 * local time in its time zone (so 17:00 stays 17:00 across a daylight-saving
 * change), minus lessons moved away, plus lessons moved in.
 */
export function plannedStarts(plan: WeeklyPlan | null, changes: readonly ScheduleChange[], from: number, to: number): number[] {
  const moved = new Set(changes.flatMap((c) => (c.from === null ? [] : [c.from])))
  const starts: number[] = []
  if (plan) {
    const zone = tz(plan.timeZone)
    const [hours = 0, minutes = 0] = plan.time.split(':').map(Number)
    // A day either side: a lesson late in the evening in one zone is the next day in UTC.
    for (let day = addDays(startOfDay(from, { in: zone }), -1); day.getTime() < to + 86_400_000; day = addDays(day, 1, { in: zone })) {
      if (!plan.days.includes(getISODay(day, { in: zone }))) continue
      const local = new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), hours, minutes, plan.timeZone).getTime()
      if (local >= from && local < to && !moved.has(local)) starts.push(local)
    }
  }
  for (const change of changes) if (change.to >= from && change.to < to) starts.push(change.to)
  return [...new Set(starts)].sort((a, b) => a - b)
}

/** The next planned start at or after `now` (looking up to five weeks ahead), or null. */
export function nextPlannedStart(plan: WeeklyPlan | null, changes: readonly ScheduleChange[], now: number): number | null {
  return plannedStarts(plan, changes, now, now + 35 * 86_400_000)[0] ?? null
}

/** Planned lessons per week. */
export function lessonsPerWeek(plan: WeeklyPlan | null): number {
  return plan?.days.length ?? 0
}
