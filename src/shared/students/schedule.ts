import { civilDay, isoWeekday, wallClockInstant } from './calendar'
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
    const [hours = 0, minutes = 0] = plan.time.split(':').map(Number)
    // A day either side: a lesson late in the evening in one zone is the next day in UTC.
    const last = civilDay(to, plan.timeZone) + 1
    for (let day = civilDay(from, plan.timeZone) - 1; day <= last; day++) {
      if (!plan.days.includes(isoWeekday(day))) continue
      const local = wallClockInstant(day, hours, minutes, plan.timeZone)
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
