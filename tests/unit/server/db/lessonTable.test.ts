import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { LessonTable } from '../../../../src/server/lesson/lessonTable'
import type { StoredLesson } from '../../../../src/server/lesson/store'
import { BACKENDS, suiteDatabase } from '../../../support/databases'
import { memoryLogger } from '../helpers'

function lesson(overrides: Partial<StoredLesson> = {}): StoredLesson {
  return {
    id: randomUUID(),
    tutorId: 'tutor-1',
    tutorName: 'Ms Li',
    inviteCode: 'ABCDEFGH',
    retiredCodes: [],
    createdAt: 1_000,
    inviteExpiresAt: 2_000,
    tokensValidUntil: 3_000,
    startedAt: null,
    endedAt: null,
    endedBy: null,
    attendance: [],
    seat: null,
    accountId: null,
    studentId: null,
    ...overrides,
  }
}

describe.each(BACKENDS)('lessons in the database (%s)', (backend) => {
  const database = suiteDatabase(backend)

  it('keeps a lesson, its attendance in order of arrival, its seat and its replaced invite codes', async () => {
    const table = new LessonTable(database.db, memoryLogger())
    const stored = lesson({
      startedAt: 1_500,
      attendance: [
        { id: 'tutor-1', name: 'Ms Li', role: 'tutor', joinedAt: 1_100, leftAt: null },
        { id: 'student-1', name: 'Wei', role: 'student', joinedAt: 1_500, leftAt: 1_900 },
      ],
      seat: { participantId: 'student-1', connected: false, seenAt: 1_900, left: true },
      retiredCodes: ['JKMNPQRS', 'TUVWXYZ2'],
    })
    table.saveLesson(stored)
    await table.flush()
    expect(await table.loadLessons(0)).toEqual([stored])
  })

  it('writes changes in order, the last one winning, and replaces attendance', async () => {
    const table = new LessonTable(database.db, memoryLogger())
    const live = lesson()
    table.saveLesson(live)
    // Mutating the live object after a save must not change what that save writes.
    live.attendance.push({ id: 'tutor-1', name: 'Ms Li', role: 'tutor', joinedAt: 1_100, leftAt: null })
    table.saveLesson(live)
    live.attendance = [{ id: 'student-2', name: 'Ana', role: 'student', joinedAt: 1_200, leftAt: null }]
    live.endedAt = 2_500
    live.endedBy = 'tutor'
    table.saveLesson(live)
    await table.flush()
    const [loaded] = await table.loadLessons(0)
    expect(loaded?.attendance.map((a) => a.id)).toEqual(['student-2'])
    expect(loaded?.endedBy).toBe('tutor')
  })

  it('loads running lessons and those ended since the given time, and skips rows that fail the schema', async () => {
    const logger = memoryLogger()
    const table = new LessonTable(database.db, logger)
    const running = lesson()
    const recent = lesson({ endedAt: 10_000, endedBy: 'expired' })
    const old = lesson({ endedAt: 5_000, endedBy: 'tutor' })
    for (const l of [running, recent, old]) table.saveLesson(l)
    await table.flush()
    await database.db.updateTable('lessons').set({ tutor_name: '' }).where('id', '=', running.id).execute()
    expect((await table.loadLessons(9_000)).map((l) => l.id)).toEqual([recent.id])
    expect(logger.lines.some((l) => l.level === 'warn' && /Unreadable lesson row/.test(l.msg))).toBe(true)
  })
})
