import { describe, expect, it } from 'vitest'
import { toJson } from '../../../../../src/server/db/json'
import { atRisk } from '../../../../../src/server/students/warnings/reads'
import type { Evidence, WarningRule } from '../../../../../src/shared/students/warnings'
import { BACKENDS, suiteDatabase } from '../../../../support/databases'
import { studentRow } from '../helpers'

const NOW = Date.UTC(2030, 0, 7, 8)
const HOUR = 3_600_000
const LI = { id: 'li', role: 'tutor' as const, name: 'Ms Li' }
const ZHANG = { id: 'zhang', role: 'tutor' as const, name: 'Mr Zhang' }
const OFFICE = { id: 'office', role: 'staff' as const, name: 'Office' }

const EVIDENCE: Record<WarningRule, Evidence> = {
  inactive: { rule: 'inactive', days: 9, lastLessonAt: NOW - 9 * 24 * HOUR, lastPracticeAt: null, plannedPerWeek: 2 },
  low_completion: { rule: 'low_completion', attended: 1, planned: 8, percent: 12.5, windowDays: 30 },
  late_homework: { rule: 'late_homework', items: [{ title: 'Fractions', dueAt: NOW - 5 * 24 * HOUR, daysLate: 5, missing: true }] },
  low_ratings: { rule: 'low_ratings', items: [{ stars: 1, word: 'boring', at: NOW - HOUR }] },
  study_time_drop: { rule: 'study_time_drop', weeks: [] },
}

describe.each(BACKENDS)('the at-risk dashboard read (%s)', (backend) => {
  const database = suiteDatabase(backend)

  async function school(): Promise<void> {
    const db = database.db
    await db
      .insertInto('accounts')
      .values([LI, ZHANG, OFFICE].map((a) => ({ ...a, created_at: 0, last_seen_at: 0 })))
      .execute()
    const student = (id: string, account: string, n: number, archived = false) => studentRow(id, account, n, { subject: 'Maths', archivedAt: archived ? NOW - HOUR : null })
    await db.insertInto('students').values([student('a', 'li', 1), student('b', 'li', 2), student('c', 'li', 3), student('d', 'zhang', 4), student('e', 'li', 5, true), student('f', 'li', 6)]).execute()
    const flag = (id: string, studentId: string, rule: WarningRule, raisedHoursAgo: number, state: 'open' | 'snoozed' | 'dismissed' | 'resolved' = 'open', snoozedUntil: number | null = null) => ({
      id,
      student_id: studentId,
      rule,
      state,
      evidence: toJson(EVIDENCE[rule]),
      raised_at: NOW - raisedHoursAgo * HOUR,
      updated_at: NOW,
      snoozed_until: snoozedUntil,
      resolved_at: state === 'resolved' ? NOW : null,
    })
    await db
      .insertInto('flags')
      .values([
        // a: one flag, raised long ago; b: two flags; c: two flags, the older first raised 50 h ago (ranks before b);
        // d: another tutor's; e: archived; f: only a dismissed flag, a live snooze and a resolved one (not at risk).
        flag('a1', 'a', 'inactive', 100),
        flag('b1', 'b', 'low_completion', 10),
        flag('b2', 'b', 'inactive', 20),
        flag('c1', 'c', 'late_homework', 50),
        flag('c2', 'c', 'low_ratings', 1, 'snoozed', NOW - HOUR),
        flag('d1', 'd', 'inactive', 5),
        flag('e1', 'e', 'inactive', 200),
        flag('f1', 'f', 'inactive', 300, 'dismissed'),
        flag('f2', 'f', 'low_ratings', 300, 'snoozed', NOW + HOUR),
        flag('f3', 'f', 'late_homework', 300, 'resolved'),
      ])
      .execute()
    const action = (id: string, flagId: string, kind: 'message' | 'snooze', at: number) => ({ id, student_id: flagId.slice(0, 1), flag_id: flagId, kind, text: kind === 'message' ? `note ${id}` : '', at, by_account: 'li', by_name: 'Ms Li', until: kind === 'snooze' ? NOW - HOUR : null })
    await db.insertInto('record_actions').values([action('x1', 'c2', 'message', NOW - 3 * HOUR), action('x2', 'c2', 'snooze', NOW - 2 * HOUR), action('x3', 'a1', 'message', NOW - HOUR)]).execute()
  }

  it('ranks the most flags first, then the longest flagged; a snooze that ran out counts, dismissed and archived do not', async () => {
    await school()
    const seen = await atRisk(database.db, LI, NOW, 100, 5, NOW - HOUR)
    expect(seen).toMatchObject({ computedAt: NOW - HOUR, total: 4, flagged: 3, more: 0, school: null })
    expect(seen.students.map((s) => [s.id, s.flags.map((f) => f.id)])).toEqual([
      ['c', ['c1', 'c2']],
      ['b', ['b2', 'b1']],
      ['a', ['a1']],
    ])
    const c = seen.students[0]
    expect(c).toMatchObject({ name: 'Student c', subject: 'Maths', tutorName: 'Ms Li' })
    // The snooze ran out: the flag shows as open again, with its newest action and its evidence read back.
    expect(c?.flags[1]).toMatchObject({ rule: 'low_ratings', state: 'open', suggestedAction: 'escalate', evidence: EVIDENCE.low_ratings, lastAction: { id: 'x2', kind: 'snooze', by: 'Ms Li' } })
    expect(c?.flags[0]?.lastAction).toBeNull()
    expect(seen.students[2]?.flags[0]?.lastAction).toMatchObject({ id: 'x3', kind: 'message', text: 'note x3' })
  })

  it('shows at most `limit` students and says how many more are flagged; staff see the school and its inactive share', async () => {
    await school()
    const page = await atRisk(database.db, LI, NOW, 2, 5, NOW)
    expect(page.students.map((s) => s.id)).toEqual(['c', 'b'])
    expect(page).toMatchObject({ flagged: 3, more: 1 })

    const office = await atRisk(database.db, OFFICE, NOW, 100, 5, NOW)
    expect(office.students.map((s) => s.id)).toEqual(['c', 'b', 'a', 'd'])
    expect(office.students[3]?.tutorName).toBe('Mr Zhang')
    // a, b, d (and f's dismissed one: not resolved) trip the inactivity rule among 5 students on the rolls.
    expect(office).toMatchObject({ total: 5, flagged: 4, more: 0, school: { inactivePercent: 80, alertPercent: 5, alert: true } })

    const none = await atRisk(database.db, ZHANG, NOW + 1, 100, 5, NOW)
    expect(none.students.map((s) => s.id)).toEqual(['d'])
    await database.db.deleteFrom('flags').execute()
    expect(await atRisk(database.db, OFFICE, NOW, 100, 5, NOW)).toMatchObject({ total: 5, flagged: 0, more: 0, students: [], school: { inactivePercent: 0, alert: false } })
  })
})
