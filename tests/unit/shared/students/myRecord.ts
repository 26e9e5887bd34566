import type { MyRecord } from '../../../../src/shared/students/record'

/** A student's own record with only what reminders read. */
export function myRecord(over: Partial<MyRecord> = {}): MyRecord {
  return {
    student: { id: 'wei', name: 'Wei', subject: '', goal: '', plan: null },
    tutorName: 'Ms Li',
    openLesson: null,
    nextLessonAt: null,
    lessons: [],
    homework: [],
    messages: [],
    progress: { timeZone: 'UTC', weeks: [], attended: 0, planned: 0, homework: { onTime: 0, late: 0, missing: 0, pending: 0 }, practiceQuestions: 0, recordingViews: 0, streakWeeks: 0, nextLessonAt: null },
    ...over,
  }
}
