import type { Selectable } from 'kysely'
import { groupBy } from '../../../shared/groupBy'
import {
  EvidenceSchema,
  SUGGESTED_ACTION,
  type AtRiskResponse,
  type AtRiskStudent,
  type Digest,
  type Flag,
  type RecordAction,
  type TutorMessage,
} from '../../../shared/students/warnings'
import type { Db } from '../../db/schema'
import type { FlagsTable, RecordActionsTable } from '../../db/tables/warnings'
import type { Account } from '../rosterTable'

type FlagRow = Pick<Selectable<FlagsTable>, 'id' | 'student_id' | 'rule' | 'state' | 'evidence' | 'raised_at' | 'snoozed_until'>

export function toAction(row: Selectable<RecordActionsTable>): RecordAction {
  return { id: row.id, studentId: row.student_id, flagId: row.flag_id, kind: row.kind, text: row.text, at: row.at, by: row.by_name, until: row.until }
}

/** A flag as the API shows it; evidence is read back through its schema (a row that fails is left out, not trusted). */
function toFlag(row: FlagRow, lastAction: RecordAction | null): Flag | null {
  const evidence = EvidenceSchema.safeParse(row.evidence)
  if (!evidence.success) return null
  return {
    id: row.id,
    studentId: row.student_id,
    rule: row.rule,
    state: row.state,
    evidence: evidence.data,
    suggestedAction: SUGGESTED_ACTION[row.rule],
    raisedAt: row.raised_at,
    snoozedUntil: row.snoozed_until,
    lastAction,
  }
}

/** The newest action on each of these flags. */
async function lastActions(db: Db, flagIds: readonly string[]): Promise<Map<string, RecordAction>> {
  if (flagIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('record_actions')
    .selectAll()
    .distinctOn('flag_id')
    .where('flag_id', 'in', flagIds)
    .orderBy('flag_id')
    .orderBy('at', 'desc')
    .execute()
  return new Map(rows.map((r) => [r.flag_id as string, toAction(r)]))
}

/**
 * The at-risk dashboard: students with open flags (a snooze that ran out
 * counts as open), most flags first, then the longest flagged. The ranking
 * reads only ids and times of every open flag; evidence, names and last
 * actions are read for the students shown (a school has hundreds flagged).
 */
export async function atRisk(db: Db, account: Account, now: number, limit: number, schoolAlertPercent: number, computedAt: number): Promise<AtRiskResponse> {
  const openFlags = () =>
    db
      .selectFrom('flags')
      .innerJoin('students', 'students.id', 'flags.student_id')
      .where('students.archived_at', 'is', null)
      .where((eb) => eb.or([eb('flags.state', '=', 'open'), eb.and([eb('flags.state', '=', 'snoozed'), eb('flags.snoozed_until', '<=', now)])]))
      .$if(account.role !== 'staff', (q) => q.where('students.account_id', '=', account.id))
  const keys = await openFlags().select(['flags.student_id', 'flags.raised_at']).orderBy('flags.raised_at').execute()
  const totals = await db
    .selectFrom('students')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('archived_at', 'is', null)
    .$if(account.role !== 'staff', (q) => q.where('account_id', '=', account.id))
    .executeTakeFirst()

  const byStudent = groupBy(keys, (flag) => flag.student_id)
  const ranked = [...byStudent].sort(([, a], [, b]) => b.length - a.length || (a[0]?.raised_at ?? 0) - (b[0]?.raised_at ?? 0))
  const shownIds = ranked.slice(0, limit).map(([id]) => id)
  const flags =
    shownIds.length === 0
      ? []
      : await openFlags()
          .innerJoin('accounts', 'accounts.id', 'students.account_id')
          .select(['flags.id', 'flags.student_id', 'flags.rule', 'flags.state', 'flags.evidence', 'flags.raised_at', 'flags.snoozed_until', 'students.name', 'students.subject', 'accounts.name as tutor_name'])
          .where('flags.student_id', 'in', shownIds)
          .orderBy('flags.raised_at')
          .execute()
  const flagsOfShown = groupBy(flags, (flag) => flag.student_id)
  const actions = await lastActions(db, flags.map((f) => f.id))
  const students: AtRiskStudent[] = shownIds.flatMap((id) => {
    const list = flagsOfShown.get(id) ?? []
    const first = list[0]
    if (!first) return []
    const studentFlags = list.flatMap((f) => toFlag({ ...f, state: 'open' }, actions.get(f.id) ?? null) ?? [])
    return studentFlags.length === 0 ? [] : [{ id, name: first.name, subject: first.subject, tutorName: first.tutor_name, flags: studentFlags }]
  })

  let school: AtRiskResponse['school'] = null
  if (account.role === 'staff') {
    const inactive = await db
      .selectFrom('flags')
      .innerJoin('students', 'students.id', 'flags.student_id')
      .select((eb) => eb.fn.count('flags.student_id').distinct().as('n'))
      .where('flags.rule', '=', 'inactive')
      .where('flags.state', '<>', 'resolved')
      .where('students.archived_at', 'is', null)
      .executeTakeFirst()
    const total = Number(totals?.n ?? 0)
    const inactivePercent = total === 0 ? 0 : Math.round((Number(inactive?.n ?? 0) / total) * 1000) / 10
    school = { inactivePercent, alertPercent: schoolAlertPercent, alert: inactivePercent > schoolAlertPercent }
  }
  return { computedAt, total: Number(totals?.n ?? 0), flagged: byStudent.size, students, more: Math.max(0, ranked.length - shownIds.length), school }
}

/** Unresolved flags of a student (for their record), newest first. */
export async function flagsOf(db: Db, studentId: string): Promise<Flag[]> {
  const rows = await db
    .selectFrom('flags')
    .select(['id', 'student_id', 'rule', 'state', 'evidence', 'raised_at', 'snoozed_until'])
    .where('student_id', '=', studentId)
    .where('state', '<>', 'resolved')
    .orderBy('raised_at', 'desc')
    .execute()
  const actions = await lastActions(db, rows.map((r) => r.id))
  return rows.flatMap((r) => toFlag(r, actions.get(r.id) ?? null) ?? [])
}

/** Everything done about a student, newest first. */
export async function actionsOf(db: Db, studentId: string, limit = 100): Promise<RecordAction[]> {
  const rows = await db.selectFrom('record_actions').selectAll().where('student_id', '=', studentId).orderBy('at', 'desc').limit(limit).execute()
  return rows.map(toAction)
}

/** The tutor's messages, as the student sees them. */
export async function messagesFor(db: Db, studentId: string, limit = 20): Promise<TutorMessage[]> {
  const rows = await db
    .selectFrom('record_actions')
    .select(['id', 'text', 'at', 'by_name'])
    .where('student_id', '=', studentId)
    .where('kind', '=', 'message')
    .orderBy('at', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: r.id, text: r.text, at: r.at, from: r.by_name }))
}

/** Open flags per student. */
export async function openFlagCounts(db: Db, studentIds: readonly string[]): Promise<Map<string, number>> {
  if (studentIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('flags')
    .select(['student_id', (eb) => eb.fn.countAll().as('n')])
    .where('student_id', 'in', studentIds)
    .where('state', '=', 'open')
    .groupBy('student_id')
    .execute()
  return new Map(rows.map((r) => [r.student_id, Number(r.n)]))
}

/** Flags raised since the tutor last read the digest (at most a day back the first time), by student. */
export async function digestFor(db: Db, account: Account, seenAt: number | null, now: number): Promise<Digest> {
  const since = seenAt ?? now - 86_400_000
  const rows = await db
    .selectFrom('flags')
    .innerJoin('students', 'students.id', 'flags.student_id')
    .select(['students.id', 'students.name', 'flags.rule'])
    .where('flags.raised_at', '>', since)
    .where('flags.state', '=', 'open')
    .where('students.archived_at', 'is', null)
    .$if(account.role !== 'staff', (q) => q.where('students.account_id', '=', account.id))
    .orderBy('students.name')
    .execute()
  const students = new Map<string, Digest['students'][number]>()
  for (const row of rows) {
    const entry = students.get(row.id) ?? { id: row.id, name: row.name, rules: [] }
    entry.rules.push(row.rule)
    students.set(row.id, entry)
  }
  return { since, students: [...students.values()] }
}
