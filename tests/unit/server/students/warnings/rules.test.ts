import { describe, expect, it } from 'vitest'
import { TZDate } from '@date-fns/tz'
import { DEFAULT_THRESHOLDS as T } from '../../../../../src/shared/students/warnings'
import { evaluate, inactive, lateHomework, lowCompletion, lowRatings, studyTimeDrop, type WarningInput } from '../../../../../src/server/students/warnings/rules'

const DAY = 86_400_000
const HOUR = 3_600_000
/** A wall-clock time in a zone: at(2030, 1, 14, 9, 0, 'Asia/Shanghai') is 09:00 on 14 January there. */
const at = (y: number, m: number, d: number, h = 12, min = 0, zone = 'UTC') => new TZDate(y, m - 1, d, h, min, zone).getTime()

/** A student added long ago who does nothing: each test adds the history it is about. */
function student(overrides: Partial<WarningInput> = {}): WarningInput {
  return {
    plan: null,
    changes: [],
    timeZone: 'UTC',
    addedAt: at(2029, 6, 1),
    lastLessonAt: null,
    lastPracticeAt: null,
    lessons: [],
    activity: [],
    homework: [],
    ratings: [],
    ...overrides,
  }
}
const lesson = (startedAt: number, minutes = 60) => ({ startedAt, attended: true, minutes })

describe('no lesson and no practice for 7 days', () => {
  const now = at(2030, 1, 14, 12) // a Monday

  it('fires on the seventh calendar day, with the evidence, and not on the sixth', () => {
    const plan = { days: [2, 4], time: '17:00', minutes: 60, timeZone: 'UTC' }
    const seven = inactive(student({ plan, lastLessonAt: at(2030, 1, 7, 18) }), T, now)
    expect(seven).toEqual({ rule: 'inactive', days: 7, lastLessonAt: at(2030, 1, 7, 18), lastPracticeAt: null, plannedPerWeek: 2 })
    expect(inactive(student({ plan, lastLessonAt: at(2030, 1, 8, 0, 30) }), T, now)).toBeNull()
  })

  it('practice between lessons counts as activity; the newer of the two decides', () => {
    expect(inactive(student({ lastLessonAt: at(2029, 12, 1), lastPracticeAt: at(2030, 1, 12) }), T, now)).toBeNull()
    expect(inactive(student({ lastLessonAt: at(2030, 1, 1), lastPracticeAt: at(2030, 1, 3) }), T, now)).toMatchObject({ days: 11 })
  })

  it('counts days in the student’s time zone: the same instants are 6 days apart in Shanghai and 7 in New York', () => {
    // 2030-01-07 16:30 UTC is 00:30 on the 8th in Shanghai, 11:30 on the 7th in New York.
    const last = Date.UTC(2030, 0, 7, 16, 30)
    const later = Date.UTC(2030, 0, 14, 15, 0) // 23:00 on the 14th in Shanghai, 10:00 on the 14th in New York
    expect(inactive(student({ lastLessonAt: last, timeZone: 'Asia/Shanghai' }), T, later)).toBeNull()
    expect(inactive(student({ lastLessonAt: last, timeZone: 'America/New_York' }), T, later)).toMatchObject({ days: 7 })
  })

  it('a student added recently is not inactive before their first week is out; a changed threshold applies', () => {
    expect(inactive(student({ addedAt: at(2030, 1, 10) }), T, now)).toBeNull()
    expect(inactive(student({ addedAt: at(2030, 1, 10) }), { ...T, inactiveDays: 3 }, now)).toMatchObject({ days: 4 })
    expect(inactive(student({ addedAt: at(2030, 1, 1) }), T, now)).toMatchObject({ days: 13, lastLessonAt: null })
  })
})

describe('completion below 20 %', () => {
  // Tuesdays and Thursdays at 17:00 in Shanghai: 8 planned lessons in the 28 days before this Monday.
  const plan = { days: [2, 4], time: '17:00', minutes: 60, timeZone: 'Asia/Shanghai' }
  const now = at(2030, 2, 4, 9, 0, 'Asia/Shanghai')
  const attendedOn = (days: number[]) => days.map((d) => lesson(at(2030, 1, d, 17, 0, 'Asia/Shanghai')))

  it('fires at 1 of 8 (12.5 %), with the evidence', () => {
    expect(lowCompletion(student({ plan, timeZone: plan.timeZone, lessons: attendedOn([8]) }), T, now)).toEqual({
      rule: 'low_completion',
      attended: 1,
      planned: 8,
      percent: 12.5,
      windowDays: 28,
    })
  })

  it('does not fire at exactly 20 % (below means below) nor above', () => {
    const ten = { ...plan, days: [1, 2, 3, 4, 5] } // 20 planned in 28 days
    expect(lowCompletion(student({ plan: ten, timeZone: plan.timeZone, lessons: attendedOn([8, 9, 10, 15]) }), T, now)).toBeNull()
    expect(lowCompletion(student({ plan: ten, timeZone: plan.timeZone, lessons: attendedOn([8, 9, 10]) }), T, now)).toMatchObject({ attended: 3, planned: 20, percent: 15 })
    expect(lowCompletion(student({ plan, timeZone: plan.timeZone, lessons: attendedOn([8, 10]) }), T, now)).toBeNull()
  })

  it('a lesson moved away is not planned any more; one moved in is', () => {
    const moved = [{ id: 'm', from: at(2030, 1, 8, 17, 0, 'Asia/Shanghai'), to: at(2030, 1, 9, 17, 0, 'Asia/Shanghai'), note: '' }]
    const result = lowCompletion(student({ plan, timeZone: plan.timeZone, changes: moved, lessons: [] }), T, now)
    expect(result).toMatchObject({ planned: 8, attended: 0 })
    const away = [{ id: 'm', from: at(2030, 1, 8, 17, 0, 'Asia/Shanghai'), to: at(2030, 3, 1, 17, 0, 'Asia/Shanghai'), note: '' }]
    expect(lowCompletion(student({ plan, timeZone: plan.timeZone, changes: away, lessons: [] }), T, now)).toMatchObject({ planned: 7 })
  })

  it('judges only since the student was added, and not on fewer than 2 planned lessons; no plan, no rule', () => {
    expect(lowCompletion(student({ plan, timeZone: plan.timeZone, addedAt: at(2030, 2, 1) }), T, now)).toBeNull()
    expect(lowCompletion(student({ plan, timeZone: plan.timeZone, addedAt: at(2030, 1, 28) }), T, now)).toMatchObject({ planned: 2, attended: 0, percent: 0 })
    expect(lowCompletion(student({ plan: null }), T, now)).toBeNull()
  })
})

describe('homework more than 3 days late, twice', () => {
  const now = at(2030, 1, 31, 12)
  const due = at(2030, 1, 10, 18)

  it('fires on two pieces more than 3 days late (handed in late, or still missing)', () => {
    const homework = [
      { title: 'Fractions', dueAt: due, handedInAt: due + 4 * DAY },
      { title: 'Decimals', dueAt: at(2030, 1, 20, 18), handedInAt: null },
      { title: 'On time', dueAt: at(2030, 1, 24, 18), handedInAt: at(2030, 1, 24, 10) },
    ]
    expect(lateHomework(student({ homework }), T, now)).toEqual({
      rule: 'late_homework',
      items: [
        { title: 'Decimals', dueAt: at(2030, 1, 20, 18), daysLate: 10.7, missing: true },
        { title: 'Fractions', dueAt: due, daysLate: 4, missing: false },
      ],
    })
  })

  it('exactly 3 days late is not more than 3; once is not twice; outside the 30-day window does not count', () => {
    const threeDays = [
      { title: 'A', dueAt: due, handedInAt: due + 3 * DAY },
      { title: 'B', dueAt: due + DAY, handedInAt: due + 4 * DAY + HOUR },
    ]
    expect(lateHomework(student({ homework: threeDays }), T, now)).toBeNull()
    const old = [
      { title: 'Old', dueAt: now - 31 * DAY, handedInAt: null },
      { title: 'B', dueAt: due + DAY, handedInAt: due + 5 * DAY },
    ]
    expect(lateHomework(student({ homework: old }), T, now)).toBeNull()
    // Not due yet (or due now) is never late.
    expect(lateHomework(student({ homework: [{ title: 'Next', dueAt: now + DAY, handedInAt: null }, ...old] }), T, now)).toBeNull()
  })
})

describe('low ratings or complaints, 2 or more in a month', () => {
  const now = at(2030, 1, 31, 12)

  it('fires on two ratings of 2 stars or fewer within 30 days; a 3 is not low', () => {
    const ratings = [
      { stars: 2, word: 'too fast', at: at(2030, 1, 5) },
      { stars: 1, word: '', at: at(2030, 1, 20) },
      { stars: 3, word: 'ok', at: at(2030, 1, 25) },
    ]
    expect(lowRatings(student({ ratings }), T, now)).toEqual({
      rule: 'low_ratings',
      items: [
        { stars: 1, word: '', at: at(2030, 1, 20) },
        { stars: 2, word: 'too fast', at: at(2030, 1, 5) },
      ],
    })
    expect(lowRatings(student({ ratings: ratings.slice(1) }), T, now)).toBeNull()
  })

  it('the month is 30 days back from now, edge included', () => {
    const edge = [
      { stars: 1, word: '', at: now - 30 * DAY },
      { stars: 2, word: '', at: now - DAY },
    ]
    expect(lowRatings(student({ ratings: edge }), T, now)).not.toBeNull()
    expect(lowRatings(student({ ratings: [{ ...edge[0], at: now - 30 * DAY - 1 } as (typeof edge)[0], edge[1] as (typeof edge)[0]] }), T, now)).toBeNull()
  })
})

describe('study minutes down 50 % week over week, two weeks running', () => {
  // Monday 18 March 2030, 10:00 in Berlin; the complete weeks before start on 25 Feb, 4 and 11 March.
  const zone = 'Europe/Berlin'
  const now = at(2030, 3, 18, 10, 0, zone)
  const weekOf = (day: number, minutes: number, month = 3) => lesson(at(2030, month, day, 17, 0, zone), minutes)

  it('fires on 120 → 60 → 30 (each at least halved), with the weeks as evidence', () => {
    const lessons = [weekOf(26, 120, 2), weekOf(5, 60), weekOf(12, 30)]
    expect(studyTimeDrop(student({ timeZone: zone, lessons }), T, now)).toEqual({
      rule: 'study_time_drop',
      weeks: [
        { weekStart: at(2030, 2, 25, 0, 0, zone), minutes: 120 },
        { weekStart: at(2030, 3, 4, 0, 0, zone), minutes: 60 },
        { weekStart: at(2030, 3, 11, 0, 0, zone), minutes: 30 },
      ],
    })
  })

  it('does not fire when one of the two weeks fell by less than half, or after a week with nothing', () => {
    expect(studyTimeDrop(student({ timeZone: zone, lessons: [weekOf(26, 120, 2), weekOf(5, 61), weekOf(12, 30)] }), T, now)).toBeNull()
    expect(studyTimeDrop(student({ timeZone: zone, lessons: [weekOf(26, 120, 2), weekOf(5, 60), weekOf(12, 31)] }), T, now)).toBeNull()
    expect(studyTimeDrop(student({ timeZone: zone, lessons: [weekOf(5, 60), weekOf(12, 0)] }), T, now)).toBeNull()
  })

  it('counts practice and recordings too, and leaves the unfinished current week out', () => {
    const lessons = [weekOf(26, 100, 2), weekOf(5, 40)]
    const activity = [
      { at: at(2030, 3, 6, 20, 0, zone), minutes: 10 },
      { at: at(2030, 3, 13, 20, 0, zone), minutes: 25 },
      { at: at(2030, 3, 18, 9, 0, zone), minutes: 500 }, // this week: not judged
    ]
    expect(studyTimeDrop(student({ timeZone: zone, lessons, activity }), T, now)).toMatchObject({ weeks: [{ minutes: 100 }, { minutes: 50 }, { minutes: 25 }] })
  })

  it('puts Sunday 23:30 and Monday 00:30 in different weeks, in the student’s zone (not UTC)', () => {
    // Sunday 10 March 23:30 in Berlin is still the week of 4 March; in UTC it is 22:30, the same.
    // Monday 11 March 00:30 in Berlin is 23:30 on Sunday in UTC: the week of 11 March only in Berlin.
    const lessons = [weekOf(26, 120, 2), lesson(at(2030, 3, 10, 23, 30, zone), 60), lesson(at(2030, 3, 11, 0, 30, zone), 30)]
    expect(studyTimeDrop(student({ timeZone: zone, lessons }), T, now)).toMatchObject({ weeks: [{ minutes: 120 }, { minutes: 60 }, { minutes: 30 }] })
    // Read in UTC, both lessons fall in the week of 4 March: no second drop.
    expect(studyTimeDrop(student({ timeZone: 'UTC', lessons }), T, at(2030, 3, 18, 10))).toBeNull()
  })

  it('with one week running asked for, one drop is enough; a student added since has nothing to fall from', () => {
    expect(studyTimeDrop(student({ timeZone: zone, lessons: [weekOf(5, 60), weekOf(12, 30)] }), { ...T, studyDropWeeks: 1 }, now)).not.toBeNull()
    expect(studyTimeDrop(student({ timeZone: zone, addedAt: at(2030, 3, 6, 12, 0, zone), lessons: [weekOf(26, 120, 2), weekOf(5, 60), weekOf(12, 30)] }), T, now)).toBeNull()
  })
})

describe('all rules together', () => {
  it('a quiet, behind, late, unhappy student trips every rule; an engaged one trips none', () => {
    const zone = 'Asia/Shanghai'
    const plan = { days: [2, 4], time: '17:00', minutes: 60, timeZone: zone }
    const now = at(2030, 3, 18, 10, 0, zone)
    const unhappy = student({
      plan,
      timeZone: zone,
      lastLessonAt: at(2030, 3, 5, 17, 0, zone),
      lessons: [lesson(at(2030, 3, 5, 17, 0, zone), 60)],
      activity: [
        { at: at(2030, 2, 27, 20, 0, zone), minutes: 120 },
        { at: at(2030, 3, 12, 20, 0, zone), minutes: 30 },
      ],
      lastPracticeAt: at(2030, 3, 8, 20, 0, zone),
      homework: [
        { title: 'A', dueAt: at(2030, 3, 1, 18, 0, zone), handedInAt: null },
        { title: 'B', dueAt: at(2030, 3, 8, 18, 0, zone), handedInAt: null },
      ],
      ratings: [
        { stars: 1, word: 'boring', at: at(2030, 3, 1, 19, 0, zone) },
        { stars: 2, word: '', at: at(2030, 3, 5, 19, 0, zone) },
      ],
    })
    expect(evaluate(unhappy, T, now).map((r) => r.rule)).toEqual(['inactive', 'low_completion', 'late_homework', 'low_ratings', 'study_time_drop'])

    const engaged = student({
      plan,
      timeZone: zone,
      lastLessonAt: at(2030, 3, 14, 17, 0, zone),
      lessons: [
        [2, 19],
        [2, 21],
        [2, 26],
        [2, 28],
        [3, 5],
        [3, 7],
        [3, 12],
        [3, 14],
      ].map(([month = 0, day = 0]) => lesson(at(2030, month, day, 17, 0, zone), 60)),
    })
    expect(evaluate(engaged, T, now)).toEqual([])
  })
})
