import { describe, expect, it } from 'vitest'
import { TZDate } from '@date-fns/tz'
import { progressOf, type StudyHistory } from '../../../../src/server/students/progress'
import type { Homework } from '../../../../src/shared/students/homework'

const at = (y: number, m: number, d: number, h: number, min = 0, zone = 'Asia/Shanghai') => new TZDate(y, m - 1, d, h, min, zone).getTime()
const lesson = (startedAt: number, minutes: number) => ({ id: String(startedAt), studentId: 's', createdAt: startedAt, startedAt, endedAt: startedAt + minutes * 60_000, minutes, attended: true })
const homework = (dueAt: number, handedInAt: number | null, timing: Homework['timing']): Homework => ({
  id: String(dueAt),
  studentId: 's',
  lessonId: null,
  title: 'h',
  body: '',
  assignedAt: dueAt - 86_400_000,
  dueAt,
  status: handedInAt === null ? 'assigned' : 'submitted',
  handedInAt,
  submissionText: '',
  timing,
  daysLate: 0,
  review: null,
  files: [],
})

describe('progress', () => {
  const zone = 'Asia/Shanghai'
  const plan = { days: [2, 4], time: '17:00', minutes: 60, timeZone: zone }
  const now = at(2030, 3, 20, 12) // Wednesday

  const history: StudyHistory = {
    plan,
    changes: [],
    timeZone: zone,
    addedAt: at(2030, 1, 1, 0),
    lessons: [lesson(at(2030, 3, 5, 17), 60), lesson(at(2030, 3, 12, 17), 55), lesson(at(2030, 3, 19, 17), 50)],
    activity: [
      { studentId: 's', kind: 'practice_question', at: at(2030, 3, 13, 20), minutes: 3 },
      { studentId: 's', kind: 'practice_question', at: at(2030, 3, 14, 20), minutes: 3 },
      { studentId: 's', kind: 'recording_view', at: at(2030, 3, 15, 20), minutes: 12.5 },
    ],
    homework: [homework(at(2030, 3, 8, 18), at(2030, 3, 8, 10), 'on_time'), homework(at(2030, 3, 15, 18), null, 'missing'), homework(at(2030, 3, 22, 18), null, 'pending')],
  }

  it('counts weeks from Monday in the student’s zone, planned up to now, with minutes by kind', () => {
    const progress = progressOf(history, now)
    expect(progress.weeks).toHaveLength(12)
    const [lastWeek, thisWeek] = progress.weeks.slice(-2)
    expect(thisWeek).toEqual({ weekStart: at(2030, 3, 18, 0), planned: 1, attended: 1, lessonMinutes: 50, practiceQuestions: 0, practiceMinutes: 0, recordingMinutes: 0 })
    expect(lastWeek).toEqual({ weekStart: at(2030, 3, 11, 0), planned: 2, attended: 1, lessonMinutes: 55, practiceQuestions: 2, practiceMinutes: 6, recordingMinutes: 12.5 })
    expect(progress.homework).toEqual({ onTime: 1, late: 0, missing: 1, pending: 1 })
    expect(progress.nextLessonAt).toBe(at(2030, 3, 21, 17))
    expect(progress.recordingViews).toBe(1)
  })

  it('runs a streak of weeks with any study up to this week, or the last while this one has just begun', () => {
    expect(progressOf(history, now).streakWeeks).toBe(3)
    const quietThisWeek = { ...history, lessons: history.lessons.slice(0, 2) }
    expect(progressOf(quietThisWeek, now).streakWeeks).toBe(2)
    const gap = { ...history, lessons: [history.lessons[0], history.lessons[2]].flatMap((l) => (l ? [l] : [])), activity: [] }
    expect(progressOf(gap, now).streakWeeks).toBe(1)
  })

  it('plans nothing before the student was on the roster', () => {
    // Added on Wednesday of last week: Thursday's lesson and this week's Tuesday were planned, not the ten weeks before.
    const progress = progressOf({ ...history, addedAt: at(2030, 3, 13, 9) }, now)
    expect(progress.weeks.map((w) => w.planned)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
    expect(progress.planned).toBe(2)
  })
})
