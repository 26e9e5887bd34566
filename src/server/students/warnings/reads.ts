import type { ExpressionBuilder, Selectable } from 'kysely'
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
import type { Db, Tables } from '../../db/schema'
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
 * counts as open), most flags first, then the longest flagged. Two
 * statements whatever the school's size: the ranking (grouped in the
 * database, with how many students are flagged in all) joined to the shown
 * students' flags, names and each flag's newest action; and the roster's
 * counts (students, and for staff those the inactivity rule trips).
 */
export async function atRisk(db: Db, account: Account, now: number, limit: number, schoolAlertPercent: number, computedAt: number): Promise<AtRiskResponse> {
  const mine = account.role !== 'staff'
  const isOpen = (eb: ExpressionBuilder<Tables, 'flags'>) => eb.or([eb('flags.state', '=', 'open'), eb.and([eb('flags.state', '=', 'snoozed'), eb('flags.snoozed_until', '<=', now)])])
  const flags = await db
    .with('ranked', (qc) =>
      qc
        .selectFrom('flags')
        .innerJoin('students', 'students.id', 'flags.student_id')
        .select((eb) => [
          'flags.student_id',
          eb.fn.countAll<number>().as('open_count'),
          eb.fn.min('flags.raised_at').as('first_raised'),
          // Computed over the groups before the limit: every flagged student.
          eb.fn.countAll<number>().over().as('flagged'),
        ])
        .where('students.archived_at', 'is', null)
        .where(isOpen)
        .$if(mine, (q) => q.where('students.account_id', '=', account.id))
        .groupBy('flags.student_id')
        .orderBy('open_count', 'desc')
        .orderBy('first_raised')
        .orderBy('flags.student_id')
        .limit(limit),
    )
    .selectFrom('ranked')
    .innerJoin('flags', 'flags.student_id', 'ranked.student_id')
    .innerJoin('students', 'students.id', 'flags.student_id')
    .innerJoin('accounts', 'accounts.id', 'students.account_id')
    .leftJoinLateral(
      (eb) => eb.selectFrom('record_actions').selectAll('record_actions').whereRef('record_actions.flag_id', '=', 'flags.id').orderBy('record_actions.at', 'desc').limit(1).as('last'),
      (join) => join.onTrue(),
    )
    .select([
      'ranked.flagged',
      'flags.id',
      'flags.student_id',
      'flags.rule',
      'flags.evidence',
      'flags.raised_at',
      'flags.snoozed_until',
      'students.name',
      'students.subject',
      'accounts.name as tutor_name',
      'last.id as action_id',
      'last.kind as action_kind',
      'last.text as action_text',
      'last.at as action_at',
      'last.by_account as action_by_account',
      'last.by_name as action_by_name',
      'last.until as action_until',
    ])
    .where(isOpen)
    .orderBy('ranked.open_count', 'desc')
    .orderBy('ranked.first_raised')
    .orderBy('ranked.student_id')
    .orderBy('flags.raised_at')
    .orderBy('flags.rule')
    .execute()
  const counts = await db
    .selectFrom('students')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn
        .countAll<number>()
        .filterWhere(({ exists, selectFrom }) =>
          exists(selectFrom('flags').select('flags.id').whereRef('flags.student_id', '=', 'students.id').where('flags.rule', '=', 'inactive').where('flags.state', '<>', 'resolved')),
        )
        .as('inactive'),
    ])
    .where('archived_at', 'is', null)
    .$if(mine, (q) => q.where('account_id', '=', account.id))
    .executeTakeFirstOrThrow()

  const shown = groupBy(flags, (flag) => flag.student_id)
  const students: AtRiskStudent[] = []
  for (const [id, list] of shown) {
    const first = list[0]
    if (!first) continue
    const studentFlags = list.flatMap((f) => {
      const lastAction =
        f.action_id === null
          ? null
          : toAction({ id: f.action_id, student_id: f.student_id, flag_id: f.id, kind: f.action_kind as RecordAction['kind'], text: f.action_text ?? '', at: Number(f.action_at), by_account: f.action_by_account ?? '', by_name: f.action_by_name ?? '', until: f.action_until })
      return toFlag({ ...f, state: 'open' }, lastAction) ?? []
    })
    if (studentFlags.length > 0) students.push({ id, name: first.name, subject: first.subject, tutorName: first.tutor_name, flags: studentFlags })
  }

  const total = Number(counts.total)
  const flagged = Number(flags[0]?.flagged ?? 0)
  let school: AtRiskResponse['school'] = null
  if (!mine) {
    const inactivePercent = total === 0 ? 0 : Math.round((Number(counts.inactive) / total) * 1000) / 10
    school = { inactivePercent, alertPercent: schoolAlertPercent, alert: inactivePercent > schoolAlertPercent }
  }
  return { computedAt, total, flagged, students, more: Math.max(0, flagged - shown.size), school }
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

/** Check-ins from the school's staff, as the student sees them (their tutor's go into their thread). */
export async function messagesFor(db: Db, student: { id: string; account_id: string }, limit = 20): Promise<TutorMessage[]> {
  const rows = await db
    .selectFrom('record_actions')
    .select(['id', 'text', 'at', 'by_name'])
    .where('student_id', '=', student.id)
    .where('kind', '=', 'message')
    // The student's own tutor's messages are in their thread; these are the school staff's.
    .where('by_account', '<>', student.account_id)
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
