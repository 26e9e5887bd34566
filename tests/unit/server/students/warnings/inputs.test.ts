import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { toJson } from '../../../../../src/server/db/json'
import { loadInputs } from '../../../../../src/server/students/warnings/inputs'
import { BACKENDS, suiteDatabase } from '../../../../support/databases'
import { studentRow } from '../helpers'

const DAY = 86_400_000
const NOW = Date.UTC(2030, 2, 1, 12)
const SINCE = NOW - 31 * DAY

describe.each(BACKENDS)('the rules’ inputs read from the database (%s)', (backend) => {
  const database = suiteDatabase(backend)

  async function lesson(studentId: string, createdAt: number, startedAt: number | null, studentCame: boolean): Promise<void> {
    const id = randomUUID()
    await database.db
      .insertInto('lessons')
      .values({ id, tutor_id: 'p-li', tutor_name: 'Ms Li', invite_code: 'ABCD2345', created_at: createdAt, invite_expires_at: createdAt + DAY, tokens_valid_until: createdAt + DAY, started_at: startedAt, ended_at: (startedAt ?? createdAt) + 3_600_000, ended_by: 'tutor', seat: toJson(null), retired_codes: toJson([]), account_id: 'li', student_id: studentId })
      .execute()
    const at = startedAt ?? createdAt
    await database.db.insertInto('attendance').values({ lesson_id: id, participant_id: 'p-li', name: 'Ms Li', role: 'tutor', joined_at: at, left_at: at + 3_600_000, position: 0 }).execute()
    if (studentCame) await database.db.insertInto('attendance').values({ lesson_id: id, participant_id: `s-${studentId}`, name: 'Student', role: 'student', joined_at: at, left_at: at + 3_600_000, position: 1 }).execute()
  }

  const practice = (studentId: string, at: number) => database.db.insertInto('activity').values({ id: randomUUID(), student_id: studentId, kind: 'practice_question', at, minutes: 3, lesson_id: null }).execute()

  it('find the newest attended lesson and the newest study in the window, and further back for students with none in it', async () => {
    const db = database.db
    await db.insertInto('accounts').values({ id: 'li', name: 'Ms Li', role: 'tutor', created_at: 0, last_seen_at: 0 }).execute()
    const students = ['recent', 'longAgo', 'never', 'lateStart'].map((id) => ({ id, account_id: 'li', plan: null, created_at: NOW - 100 * DAY }))
    await db
      .insertInto('students')
      .values(students.map((s, i) => studentRow(s.id, s.account_id, i, { createdAt: s.created_at })))
      .execute()

    // recent: attended 3 days ago; a newer lesson they missed (and one not started) does not count.
    await lesson('recent', NOW - 40 * DAY, NOW - 40 * DAY, true)
    await lesson('recent', NOW - 3 * DAY, NOW - 3 * DAY, true)
    await lesson('recent', NOW - DAY, NOW - DAY, false)
    await lesson('recent', NOW - DAY / 2, null, false)
    await practice('recent', NOW - 50 * DAY)
    await practice('recent', NOW - 2 * DAY)
    // longAgo: nothing in the window; their last lesson and practice are 60 and 45 days old; a newer missed lesson does not count.
    await lesson('longAgo', NOW - 70 * DAY, NOW - 70 * DAY, true)
    await lesson('longAgo', NOW - 60 * DAY, NOW - 60 * DAY, true)
    await lesson('longAgo', NOW - 50 * DAY, NOW - 50 * DAY, false)
    await practice('longAgo', NOW - 45 * DAY)
    // lateStart: a lesson made before the window (a long invite) and started inside it is their newest, and in the window.
    await lesson('lateStart', NOW - 35 * DAY, NOW - 10 * DAY, true)

    const expected = {
      recent: { lastLessonAt: NOW - 3 * DAY, lastPracticeAt: NOW - 2 * DAY },
      longAgo: { lastLessonAt: NOW - 60 * DAY, lastPracticeAt: NOW - 45 * DAY },
      never: { lastLessonAt: null, lastPracticeAt: null },
      lateStart: { lastLessonAt: NOW - 10 * DAY, lastPracticeAt: null },
    }
    for (const scope of ['all', 'listed'] as const) {
      const inputs = await loadInputs(db, students, scope, NOW, SINCE, 'UTC')
      for (const [id, last] of Object.entries(expected)) expect(inputs.get(id), `${scope} ${id}`).toMatchObject(last)
      // The window's lessons: the late-started one is in it, the 40-day-old one is not.
      expect(inputs.get('lateStart')?.lessons).toEqual([{ startedAt: NOW - 10 * DAY, attended: true, minutes: 60 }])
      expect(inputs.get('recent')?.lessons.map((l) => l.startedAt)).toEqual([null, NOW - DAY, NOW - 3 * DAY])
    }
    // One student at a time (a change of theirs) reads the same.
    expect((await loadInputs(db, students.filter((s) => s.id === 'longAgo'), 'listed', NOW, SINCE, 'UTC')).get('longAgo')).toMatchObject(expected.longAgo)
  })
})
