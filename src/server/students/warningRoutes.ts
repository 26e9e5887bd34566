import { z } from 'zod'
import {
  DEFAULT_THRESHOLDS,
  FlagActionRequestSchema,
  WarningSettingsRequestSchema,
  type AtRiskResponse,
  type Digest,
  type WarningSettings,
} from '../../shared/students/warnings'
import { readJson } from '../http/body'
import type { Route } from '../http/routes'
import { ID, tutorRoute, type StudentsContext } from './context'
import type { Account } from './rosterTable'
import { act } from './warnings/actions'
import type { EarlyWarning } from './warnings/earlyWarning'
import { atRisk, digestFor } from './warnings/reads'
import { SCHOOL_SCOPE, type Thresholds } from './warnings/thresholds'

/** Students shown at once on the dashboard; the response says how many more are flagged. */
export const AT_RISK_PAGE = 100

const ActionBodySchema = z.object({ flagId: z.string().min(1).max(64).nullable().default(null), action: FlagActionRequestSchema })

/** The at-risk dashboard, acting on flags, thresholds and the daily digest (tutors for their roster, staff for the school). */
export function warningRoutes(ctx: StudentsContext & { warnings: EarlyWarning; thresholds: Thresholds }): Route[] {
  const { db, now, warnings, thresholds } = ctx
  // Staff set the school's thresholds (every tutor's default); a tutor sets their own.
  const scopeOf = (account: Account): string => (account.role === 'staff' ? SCHOOL_SCOPE : account.id)
  /** The thresholds in force for whoever asks, and what they fall back to (the school's for a tutor, the built-in ones for the school). */
  async function settingsOf(account: Account): Promise<WarningSettings> {
    const layers = await thresholds.all()
    return account.role === 'staff'
      ? { scope: 'school', thresholds: layers.school, defaults: DEFAULT_THRESHOLDS }
      : { scope: 'tutor', thresholds: layers.forAccount(account.id), defaults: layers.school }
  }
  return [
    tutorRoute(ctx, 'GET', /^\/api\/roster\/at-risk$/, async (req, account): Promise<AtRiskResponse> => {
      await warnings.fresh()
      const requested = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('limit'))
      const limit = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 1000) : AT_RISK_PAGE
      const school = (await thresholds.all()).school
      return atRisk(db, account, now(), limit, school.schoolAlertPercent, warnings.computedAt)
    }),
    tutorRoute(ctx, 'POST', new RegExp(`^/api/roster/${ID}/actions$`), async (req, account, [studentId = '']) => {
      const student = await ctx.access.studentFor(account, studentId)
      const { flagId, action } = await readJson(req, ActionBodySchema)
      const done = await act(ctx, account, student, flagId, action)
      ctx.logger.info('Tutor acted on a student', { studentId: student.id, kind: done.kind, flagId })
      return done
    }),
    tutorRoute(ctx, 'GET', /^\/api\/roster\/warnings\/settings$/, async (_req, account) => settingsOf(account)),
    tutorRoute(ctx, 'POST', /^\/api\/roster\/warnings\/settings$/, async (req, account) => {
      await thresholds.change(scopeOf(account), await readJson(req, WarningSettingsRequestSchema))
      void warnings.all()
      return settingsOf(account)
    }),
    tutorRoute(ctx, 'POST', /^\/api\/roster\/warnings\/settings\/reset$/, async (_req, account) => {
      // Back to the level below: a tutor follows the school's thresholds again, the school the built-in defaults.
      await db.deleteFrom('warning_settings').where('scope_id', '=', scopeOf(account)).execute()
      void warnings.all()
      return settingsOf(account)
    }),
    tutorRoute(ctx, 'GET', /^\/api\/roster\/digest$/, async (_req, account): Promise<Digest> => {
      await warnings.fresh()
      const row = await db.selectFrom('accounts').select('digest_seen_at').where('id', '=', account.id).executeTakeFirst()
      return digestFor(db, account, row?.digest_seen_at ?? null, now())
    }),
    tutorRoute(ctx, 'POST', /^\/api\/roster\/digest\/seen$/, async (_req, account) => {
      await db.updateTable('accounts').set({ digest_seen_at: now() }).where('id', '=', account.id).execute()
      return { ok: true }
    }),
  ]
}
