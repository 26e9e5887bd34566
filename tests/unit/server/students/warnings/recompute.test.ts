import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { lastRecomputedAt, recomputeFlags } from '../../../../../src/server/students/warnings/recompute'
import { Thresholds } from '../../../../../src/server/students/warnings/thresholds'
import { BACKENDS, suiteDatabase } from '../../../../support/databases'
import { studentRow } from '../helpers'

const DAY = 86_400_000
const NOW = Date.UTC(2030, 2, 1, 12)

describe.each(BACKENDS)('recomputing the flags (%s)', (backend) => {
  const database = suiteDatabase(backend)

  it('writes only flags that changed, and records when every student was last worked out', async () => {
    const db = database.db
    await db.insertInto('accounts').values({ id: 'li', name: 'Ms Li', role: 'tutor', created_at: 0, last_seen_at: 0 }).execute()
    await db.insertInto('students').values(studentRow('wei', 'li', 1, { createdAt: NOW - 60 * DAY })).execute()
    // Two pieces of homework still missing, five and twelve days after they were due; no lesson, no practice.
    await db
      .insertInto('homework')
      .values([5, 12].map((late) => ({ id: randomUUID(), student_id: 'wei', lesson_id: null, title: `${late} days`, body: '', assigned_at: NOW - 20 * DAY, due_at: NOW - late * DAY, status: 'assigned' as const, handed_in_at: null, reviewed_at: null })))
      .execute()
    const recompute = (at: number, only?: string[]) => recomputeFlags(db, new Thresholds(db, () => at), at, 'UTC', only)
    const written = async () => (await db.selectFrom('flags').select(['rule', 'updated_at']).orderBy('rule').execute()).map((f) => [f.rule, f.updated_at])

    expect(await lastRecomputedAt(db)).toBe(0)
    expect(await recompute(NOW)).toEqual({ students: 1, raised: 2, resolved: 0, refreshed: 0 })
    expect(await lastRecomputedAt(db)).toBe(NOW)
    expect(await written()).toEqual([
      ['inactive', NOW],
      ['late_homework', NOW],
    ])

    // The same moment again: the evidence read back from jsonb (keys in its own order) is the same, so nothing is written.
    expect(await recompute(NOW)).toEqual({ students: 1, raised: 0, resolved: 0, refreshed: 0 })
    expect(await written()).toEqual([
      ['inactive', NOW],
      ['late_homework', NOW],
    ])

    // A day later both flags' evidence changed (a day more inactive, a day later); one student's run leaves the full run's time alone.
    expect(await recompute(NOW + DAY, ['wei'])).toEqual({ students: 1, raised: 0, resolved: 0, refreshed: 2 })
    expect(await written()).toEqual([
      ['inactive', NOW + DAY],
      ['late_homework', NOW + DAY],
    ])
    expect(await lastRecomputedAt(db)).toBe(NOW)
    expect(await recompute(NOW + 2 * DAY)).toMatchObject({ refreshed: 2 })
    expect(await lastRecomputedAt(db)).toBe(NOW + 2 * DAY)
  })
})
