import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MyRecord } from '../../../../src/shared/students/record'
import type { Reminder } from '../../../../src/shared/students/reminders'
import { REMINDER_REFRESH_MS, StudentReminders } from '../../../../src/renderer/records/studentReminders'
import { myRecord } from '../../shared/students/myRecord'
import { memoryStorage } from '../../../support/memoryStorage'

const MIN = 60_000
const DAY = 86_400_000
const START = Date.UTC(2030, 0, 7, 8, 0)

describe('StudentReminders on a fake clock', () => {
  let records: MyRecord[]
  let shown: { kind: Reminder['kind']; at: number }[]
  let storage: Pick<Storage, 'getItem' | 'setItem'>
  const running: StudentReminders[] = []

  function start(): StudentReminders {
    const reminders = new StudentReminders({
      now: Date.now,
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      records: async () => records,
      show: async (r) => void shown.push({ kind: r.kind, at: Date.now() }),
      storage,
    })
    running.push(reminders)
    reminders.start()
    return reminders
  }

  beforeEach(() => {
    vi.useFakeTimers({ now: START })
    shown = []
    storage = memoryStorage()
  })
  afterEach(() => {
    for (const r of running.splice(0)) r.stop()
    vi.useRealTimers()
  })

  it('shows the lesson reminder ten minutes before the lesson, once', async () => {
    records = [myRecord({ nextLessonAt: START + 2 * 60 * MIN })]
    start()
    await vi.advanceTimersByTimeAsync(109 * MIN)
    expect(shown).toEqual([])
    await vi.advanceTimersByTimeAsync(MIN)
    expect(shown).toEqual([{ kind: 'lesson', at: START + 110 * MIN }])
    await vi.advanceTimersByTimeAsync(3 * REMINDER_REFRESH_MS)
    expect(shown).toHaveLength(1)
  })

  it('follows a lesson moved between two reads of the record', async () => {
    // Timed for 8:40 at the first read; the read at 8:30 finds the lesson moved to 11:00.
    records = [myRecord({ nextLessonAt: START + 50 * MIN })]
    start()
    await vi.advanceTimersByTimeAsync(REMINDER_REFRESH_MS - MIN)
    records = [myRecord({ nextLessonAt: START + 3 * 60 * MIN })]
    await vi.advanceTimersByTimeAsync(20 * MIN)
    expect(shown).toEqual([])
    await vi.advanceTimersByTimeAsync(3 * 60 * MIN)
    expect(shown).toEqual([{ kind: 'lesson', at: START + 170 * MIN }])
  })

  it('nudges after a quiet week once, also across a restart, and again after the next quiet week', async () => {
    const lessonAt = START - 6 * DAY
    const lesson = { id: 'l', createdAt: lessonAt, startedAt: lessonAt, endedAt: lessonAt + 60 * MIN, minutes: 60, attended: true, rating: null }
    records = [myRecord({ lessons: [lesson] })]
    const first = start()
    await vi.advanceTimersByTimeAsync(DAY + 2 * REMINDER_REFRESH_MS)
    expect(shown.map((s) => [s.kind, s.at])).toEqual([['inactive', lessonAt + 60 * MIN + 7 * DAY]])
    first.stop()
    start()
    await vi.advanceTimersByTimeAsync(2 * REMINDER_REFRESH_MS)
    expect(shown).toHaveLength(1)
    const later = Date.now() - DAY
    records = [myRecord({ lessons: [{ ...lesson, id: 'l2', startedAt: later, endedAt: later, createdAt: later }] })]
    await vi.advanceTimersByTimeAsync(7 * DAY)
    expect(shown.map((s) => s.kind)).toEqual(['inactive', 'inactive'])
  })

  it('keeps going when a record cannot be read', async () => {
    let fail = true
    const reminders = new StudentReminders({
      now: Date.now,
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      records: async () => {
        if (fail) throw new Error('offline')
        return [myRecord({ nextLessonAt: START + 50 * MIN })]
      },
      show: async (r) => void shown.push({ kind: r.kind, at: Date.now() }),
      storage,
    })
    running.push(reminders)
    reminders.start()
    await vi.advanceTimersByTimeAsync(MIN)
    fail = false
    await vi.advanceTimersByTimeAsync(REMINDER_REFRESH_MS + 10 * MIN)
    expect(shown).toEqual([{ kind: 'lesson', at: START + 40 * MIN }])
  })
})
