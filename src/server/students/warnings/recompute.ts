import { randomUUID } from 'node:crypto'
import { setImmediate as yieldToRequests } from 'node:timers/promises'
import { isDeepStrictEqual } from 'node:util'
import { sql } from 'kysely'
import type { Evidence, WarningRule } from '../../../shared/students/warnings'
import type { Db } from '../../db/schema'
import { toJson } from '../../db/json'
import { loadInputs, lookBackMs, type StudentForWarnings } from './inputs'
import { evaluate } from './rules'
import type { Thresholds } from './thresholds'

export interface RecomputeResult {
  students: number
  raised: number
  resolved: number
  /** Flags still up whose evidence changed (or whose snooze ran out). */
  refreshed: number
}

/** Rows per statement: well below PostgreSQL's 65,535 parameters. */
const CHUNK = 500
/** Students evaluated between two turns of the event loop (a few milliseconds' work). */
const EVALUATE_SLICE = 200

/**
 * Works the rules out for every student on a roster (or the ones listed)
 * and brings the flags table in line: a rule that fires raises a flag (or
 * refreshes the evidence of the one that is up; a snooze that ran out opens
 * it again; a dismissal stands while the rule keeps firing), a rule that
 * stopped firing resolves its flag. Archived students' flags are resolved.
 * One transaction, a few set-wise statements; a run for every student
 * also records when it ran (flag_recomputes), for the next start.
 */
export async function recomputeFlags(db: Db, thresholds: Thresholds, now: number, timeZone: string, only?: readonly string[]): Promise<RecomputeResult> {
  const settings = await thresholds.all()
  let query = db.selectFrom('students').select(['id', 'account_id', 'plan', 'created_at', 'archived_at'])
  if (only) {
    if (only.length === 0) return { students: 0, raised: 0, resolved: 0, refreshed: 0 }
    query = query.where('id', 'in', only)
  }
  const rows = await query.execute()
  const active: StudentForWarnings[] = rows.filter((r) => r.archived_at === null)
  const accountsOf = new Map(active.map((s) => [s.id, s.account_id]))
  const perAccount = new Map<string, ReturnType<typeof settings.forAccount>>()
  const thresholdsOf = (accountId: string) => {
    let t = perAccount.get(accountId)
    if (!t) perAccount.set(accountId, (t = settings.forAccount(accountId)))
    return t
  }
  const since = now - lookBackMs([settings.school, ...new Set([...accountsOf.values()].map(thresholdsOf))])
  const inputs = await loadInputs(db, active, only ? 'listed' : 'all', now, since, timeZone)

  const firing = new Map<string, Map<WarningRule, Evidence>>()
  let evaluated = 0
  for (const [studentId, input] of inputs) {
    const raised = evaluate(input, thresholdsOf(accountsOf.get(studentId) as string), now)
    if (raised.length > 0) firing.set(studentId, new Map(raised.map((r) => [r.rule, r.evidence])))
    // A school's worth of rules runs in slices, so requests arriving meanwhile are answered in between.
    if (++evaluated % EVALUATE_SLICE === 0) await yieldToRequests()
  }

  return db.transaction().execute(async (tx) => {
    let current = tx.selectFrom('flags').select(['id', 'student_id', 'rule', 'state', 'evidence', 'snoozed_until']).where('state', '<>', 'resolved')
    if (only) current = current.where('student_id', 'in', only)
    const existing = await current.execute()

    const resolve: string[] = []
    const refresh: { id: string; evidence: string; state: string; snoozed_until: number | null }[] = []
    const seen = new Set<string>()
    for (const flag of existing) {
      const evidence = firing.get(flag.student_id)?.get(flag.rule)
      if (!evidence) {
        resolve.push(flag.id)
        continue
      }
      seen.add(`${flag.student_id}:${flag.rule}`)
      const wakes = flag.state === 'snoozed' && (flag.snoozed_until ?? 0) <= now
      const json = toJson(evidence)
      // jsonb gives keys back in its own order: compared as values, so a flag whose evidence is the same is not written again.
      if (wakes || !isDeepStrictEqual(flag.evidence, JSON.parse(json))) {
        refresh.push({ id: flag.id, evidence: json, state: wakes ? 'open' : flag.state, snoozed_until: wakes ? null : flag.snoozed_until })
      }
    }
    const raise = [...firing].flatMap(([studentId, rules]) =>
      [...rules].filter(([rule]) => !seen.has(`${studentId}:${rule}`)).map(([rule, evidence]) => ({
        id: randomUUID(),
        student_id: studentId,
        rule,
        state: 'open' as const,
        evidence: toJson(evidence),
        raised_at: now,
        updated_at: now,
        snoozed_until: null,
        resolved_at: null,
      })),
    )

    for (let i = 0; i < resolve.length; i += CHUNK) {
      await tx.updateTable('flags').set({ state: 'resolved', resolved_at: now, updated_at: now }).where('id', 'in', resolve.slice(i, i + CHUNK)).execute()
    }
    for (let i = 0; i < raise.length; i += CHUNK) await tx.insertInto('flags').values(raise.slice(i, i + CHUNK)).execute()
    for (let i = 0; i < refresh.length; i += CHUNK) {
      const values = sql.join(refresh.slice(i, i + CHUNK).map((r) => sql`(${r.id}, ${r.evidence}, ${r.state}, ${r.snoozed_until})`))
      await sql`update flags set evidence = v.evidence::jsonb, state = v.state, snoozed_until = v.snoozed_until::bigint, updated_at = ${now}
        from (values ${values}) as v(id, evidence, state, snoozed_until) where flags.id = v.id`.execute(tx)
    }
    if (!only) {
      await tx
        .insertInto('flag_recomputes')
        .values({ scope: 'all', computed_at: now })
        .onConflict((oc) => oc.column('scope').doUpdateSet({ computed_at: now }))
        .execute()
    }
    return { students: active.length, raised: raise.length, resolved: resolve.length, refreshed: refresh.length }
  })
}

/** When every student's flags were last worked out (0: never). */
export async function lastRecomputedAt(db: Db): Promise<number> {
  const row = await db.selectFrom('flag_recomputes').select('computed_at').where('scope', '=', 'all').executeTakeFirst()
  return row?.computed_at ?? 0
}
