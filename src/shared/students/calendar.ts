import { TZDate, tzOffset } from '@date-fns/tz'

const DAY = 86_400_000

/**
 * Calendar arithmetic in a student's time zone, fast enough to run for a
 * whole school on every recompute. Each zone-aware step of date-fns/tz asks
 * Intl for an offset (several calls per step), and a month of planned
 * lessons for 2,000 students took over a second that way; here a day is a
 * plain number and Intl is asked once per instant or once per distinct
 * wall-clock time (memoised: a school's plans share a few days and times).
 */

/** The calendar day `at` falls on in `timeZone`, counted in days since 1970-01-01 (read it back with `new Date(day * DAY).getUTC…`). */
export function civilDay(at: number, timeZone: string): number {
  // Rounded to whole seconds as TZDate does, so both agree on historical offsets with seconds.
  return Math.floor((at + Math.round(tzOffset(timeZone, new Date(at)) * 60) * 1000) / DAY)
}

/** Calendar days from `earlier` to `later` in `timeZone` (as date-fns' differenceInCalendarDays in that zone). */
export function calendarDaysBetween(later: number, earlier: number, timeZone: string): number {
  return civilDay(later, timeZone) - civilDay(earlier, timeZone)
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a civil day. */
export function isoWeekday(day: number): number {
  return new Date(day * DAY).getUTCDay() || 7
}

const MAX_REMEMBERED = 4096
const instants = new Map<string, number>()

/**
 * The instant of `hours:minutes` on a civil day in `timeZone` (a time that
 * does not exist, in a daylight-saving gap, moves forward as TZDate moves it).
 */
export function wallClockInstant(day: number, hours: number, minutes: number, timeZone: string): number {
  const key = `${timeZone}|${day}|${hours}|${minutes}`
  let at = instants.get(key)
  if (at === undefined) {
    const date = new Date(day * DAY)
    at = new TZDate(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), hours, minutes, timeZone).getTime()
    // Time-zone rules do not change while the process runs; the bound only keeps memory flat.
    if (instants.size >= MAX_REMEMBERED) instants.clear()
    instants.set(key, at)
  }
  return at
}
