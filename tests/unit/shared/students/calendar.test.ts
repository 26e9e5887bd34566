import { describe, expect, it } from 'vitest'
import { TZDate, tz } from '@date-fns/tz'
import { addDays, differenceInCalendarDays, getISODay, startOfDay } from 'date-fns'
import { calendarDaysBetween, civilDay, isoWeekday, wallClockInstant } from '../../../../src/shared/students/calendar'
import { plannedStarts } from '../../../../src/shared/students/schedule'
import type { WeeklyPlan } from '../../../../src/shared/students/plan'

const DAY = 86_400_000
// Daylight saving at 02:00 and 03:00, south and north, at midnight (Santiago), by 30 minutes (Lord Howe), +5:45, none.
const ZONES = ['Europe/Berlin', 'America/Los_Angeles', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Asia/Shanghai', 'UTC']

/** plannedStarts as it was written with date-fns/tz, one zone-aware step per day: the reference the fast version must match. */
function referenceStarts(plan: WeeklyPlan, from: number, to: number): number[] {
  const zone = tz(plan.timeZone)
  const [hours = 0, minutes = 0] = plan.time.split(':').map(Number)
  const starts: number[] = []
  for (let day = addDays(startOfDay(from, { in: zone }), -1); day.getTime() < to + DAY; day = addDays(day, 1, { in: zone })) {
    if (!plan.days.includes(getISODay(day, { in: zone }))) continue
    const local = new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), hours, minutes, plan.timeZone).getTime()
    if (local >= from && local < to) starts.push(local)
  }
  return [...new Set(starts)].sort((a, b) => a - b)
}

/** Deterministic numbers, so a failure can be run again. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

describe('calendar days in a time zone', () => {
  it('name the local date and weekday of an instant', () => {
    // 2030-01-01T20:00Z is already 2 January (a Wednesday) in Shanghai, still 1 January (a Tuesday) in Los Angeles.
    const at = Date.UTC(2030, 0, 1, 20)
    expect(new Date(civilDay(at, 'Asia/Shanghai') * DAY).toISOString().slice(0, 10)).toBe('2030-01-02')
    expect(isoWeekday(civilDay(at, 'Asia/Shanghai'))).toBe(3)
    expect(new Date(civilDay(at, 'America/Los_Angeles') * DAY).toISOString().slice(0, 10)).toBe('2030-01-01')
    expect(isoWeekday(civilDay(at, 'America/Los_Angeles'))).toBe(2)
  })

  it('count calendar days between two instants as date-fns does, across daylight-saving changes', () => {
    const rnd = random(7)
    for (let i = 0; i < 2000; i++) {
      const zone = ZONES[i % ZONES.length] as string
      const earlier = Date.UTC(2029, 0, 1) + Math.floor(rnd() * 3 * 365 * DAY)
      const later = earlier + Math.floor(rnd() * 40 * DAY)
      expect(calendarDaysBetween(later, earlier, zone), `${zone} ${new Date(earlier).toISOString()} → ${new Date(later).toISOString()}`).toBe(
        differenceInCalendarDays(later, earlier, { in: tz(zone) }),
      )
    }
  })

  it('put a wall-clock time on its instant, moving one in a spring-forward gap as TZDate does', () => {
    // Berlin 2030-03-31 02:30 does not exist (clocks jump from 02:00 to 03:00).
    const day = Date.UTC(2030, 2, 31) / DAY
    expect(wallClockInstant(day, 2, 30, 'Europe/Berlin')).toBe(new TZDate(2030, 2, 31, 2, 30, 'Europe/Berlin').getTime())
    expect(wallClockInstant(day, 17, 0, 'Europe/Berlin')).toBe(Date.UTC(2030, 2, 31, 15))
  })
})

describe('planned starts from civil days', () => {
  it('match the day-by-day date-fns version for random plans, zones and windows (daylight-saving weeks included)', () => {
    const rnd = random(11)
    for (let i = 0; i < 600; i++) {
      const zone = ZONES[i % ZONES.length] as string
      const days = [1, 2, 3, 4, 5, 6, 7].filter(() => rnd() < 0.4)
      const time = `${String(Math.floor(rnd() * 24)).padStart(2, '0')}:${['00', '15', '30', '45'][Math.floor(rnd() * 4)]}`
      const plan: WeeklyPlan = { days: days.length > 0 ? days : [3], time, minutes: 60, timeZone: zone }
      // Windows in March/April and September–November 2030, when most of these zones change their clocks.
      const from = Date.UTC(2030, rnd() < 0.5 ? 2 : 8, 1) + Math.floor(rnd() * 60 * DAY) + Math.floor(rnd() * DAY)
      const to = from + Math.floor(rnd() * 45 * DAY)
      expect(plannedStarts(plan, [], from, to), `${JSON.stringify(plan)} ${new Date(from).toISOString()} → ${new Date(to).toISOString()}`).toEqual(referenceStarts(plan, from, to))
    }
  })
})
