import { describe, expect, it } from 'vitest'
import { TZDate } from '@date-fns/tz'
import { nextPlannedStart, plannedStarts } from '../../../../src/shared/students/schedule'
import { WeeklyPlanSchema } from '../../../../src/shared/students/plan'
import { formatStudentCode, parseStudentLink } from '../../../../src/shared/students/link'

const at = (y: number, m: number, d: number, h: number, min: number, zone: string) => new TZDate(y, m - 1, d, h, min, zone).getTime()

describe('weekly plans', () => {
  it('keep 17:00 local across a daylight-saving change (Berlin, end of March)', () => {
    const plan = { days: [2, 4], time: '17:00', minutes: 60, timeZone: 'Europe/Berlin' }
    expect(plannedStarts(plan, [], Date.UTC(2030, 2, 25), Date.UTC(2030, 3, 8)).map((t) => new Date(t).toISOString())).toEqual([
      '2030-03-26T16:00:00.000Z',
      '2030-03-28T16:00:00.000Z',
      '2030-04-02T15:00:00.000Z',
      '2030-04-04T15:00:00.000Z',
    ])
  })

  it('put a Tuesday 21:00 in Los Angeles on Wednesday in UTC, and find it from a UTC window', () => {
    const plan = { days: [2], time: '21:00', minutes: 45, timeZone: 'America/Los_Angeles' }
    expect(plannedStarts(plan, [], Date.UTC(2030, 0, 9, 0), Date.UTC(2030, 0, 9, 12))).toEqual([at(2030, 1, 8, 21, 0, 'America/Los_Angeles')])
  })

  it('drop a lesson moved away and add the one moved in; the next lesson follows', () => {
    const plan = { days: [1], time: '09:00', minutes: 60, timeZone: 'UTC' }
    const monday = Date.UTC(2030, 0, 14, 9)
    const moved = [{ id: 'x', from: monday, to: Date.UTC(2030, 0, 16, 15), note: 'dentist' }]
    expect(plannedStarts(plan, moved, Date.UTC(2030, 0, 13), Date.UTC(2030, 0, 20))).toEqual([Date.UTC(2030, 0, 16, 15)])
    expect(nextPlannedStart(plan, [], Date.UTC(2030, 0, 14, 9, 1))).toBe(Date.UTC(2030, 0, 21, 9))
    expect(nextPlannedStart(null, [], 0)).toBeNull()
  })

  it('are validated: days 1–7, a 24-hour time, a real time zone', () => {
    expect(WeeklyPlanSchema.parse({ days: [4, 2, 4], time: '07:30', minutes: 60, timeZone: 'Asia/Shanghai' }).days).toEqual([2, 4])
    expect(WeeklyPlanSchema.safeParse({ days: [8], time: '07:30', minutes: 60, timeZone: 'UTC' }).success).toBe(false)
    expect(WeeklyPlanSchema.safeParse({ days: [1], time: '24:00', minutes: 60, timeZone: 'UTC' }).success).toBe(false)
    expect(WeeklyPlanSchema.safeParse({ days: [1], time: '07:30', minutes: 60, timeZone: 'Nowhere/Else' }).success).toBe(false)
  })
})

describe('personal links', () => {
  it('read a typed code or a link; anything else is not one', () => {
    expect(parseStudentLink('k7p2-qxma-h3jd')).toEqual({ code: 'K7P2QXMAH3JD', server: null })
    expect(parseStudentLink('https://lessons.example.edu/me/K7P2QXMAH3JD')).toEqual({ code: 'K7P2QXMAH3JD', server: 'https://lessons.example.edu' })
    expect(parseStudentLink('https://lessons.example.edu/join/K7P2QXMA')).toBeNull()
    expect(parseStudentLink('K7P2QXMA')).toBeNull()
    expect(parseStudentLink('javascript:alert(1)/me/K7P2QXMAH3JD')).toBeNull()
    expect(formatStudentCode('K7P2QXMAH3JD')).toBe('K7P2-QXMA-H3JD')
  })
})
