import { describe, expect, it } from 'vitest'
import { INACTIVE_REMINDER_MS, LESSON_REMINDER_MS, lastStudyAt, remindersFor } from '../../../../src/shared/students/reminders'
import type { MyRecord } from '../../../../src/shared/students/record'
import { myRecord } from './myRecord'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const NOW = Date.UTC(2030, 0, 7, 8, 0)

const lesson = (startedAt: number, attended = true) => ({ id: `l${startedAt}`, createdAt: startedAt, startedAt, endedAt: startedAt + HOUR, minutes: 60, attended, rating: null })

describe('what a student is reminded of', () => {
  it('the next planned lesson, ten minutes before it (at once when closer; none once it began)', () => {
    const at = NOW + 2 * HOUR
    expect(remindersFor(myRecord({ nextLessonAt: at }), NOW)).toEqual([{ id: `lesson:wei:${at}`, kind: 'lesson', at: at - LESSON_REMINDER_MS, tutorName: 'Ms Li', about: at }])
    expect(remindersFor(myRecord({ nextLessonAt: NOW + 5 * 60_000 }), NOW)[0]?.at).toBe(NOW)
    expect(remindersFor(myRecord({ nextLessonAt: NOW }), NOW)).toEqual([])
  })

  it('a week after the last study: a lesson attended, homework handed in, or practice that week', () => {
    const last = NOW - 2 * DAY
    expect(remindersFor(myRecord({ lessons: [lesson(last - HOUR), lesson(NOW - DAY, false)] }), NOW)).toEqual([
      { id: `inactive:wei:${last}`, kind: 'inactive', at: last + INACTIVE_REMINDER_MS, tutorName: 'Ms Li', about: last },
    ])
    const handedIn = NOW - DAY
    expect(lastStudyAt(myRecord({ lessons: [lesson(last - HOUR)], homework: [{ handedInAt: handedIn } as MyRecord['homework'][number]] }))).toBe(handedIn)
    const week = { weekStart: NOW - 3 * DAY, planned: 0, attended: 0, lessonMinutes: 0, practiceQuestions: 2, practiceMinutes: 6, recordingMinutes: 0 }
    expect(lastStudyAt(myRecord({ progress: { ...myRecord().progress, weeks: [week] } }))).toBe(NOW - 3 * DAY)
  })

  it('a quiet week already past is due now; a student who never studied is not nudged', () => {
    expect(remindersFor(myRecord({ lessons: [lesson(NOW - 30 * DAY)] }), NOW)[0]?.at).toBe(NOW)
    expect(remindersFor(myRecord(), NOW)).toEqual([])
  })
})
