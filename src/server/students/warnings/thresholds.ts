import { DEFAULT_THRESHOLDS, WarningThresholdsSchema, type WarningThresholds } from '../../../shared/students/warnings'
import type { Db } from '../../db/schema'
import { toJson } from '../../db/json'

/** The scope id of a school's own thresholds (set by its staff) in warning_settings. */
export const SCHOOL_SCOPE = 'school'

/**
 * Thresholds in force: the defaults, then the school's changes, then the
 * tutor's own. Stored rows are read back through the schema: a value out of
 * range is dropped (the level below applies), never trusted.
 */
export class Thresholds {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  async all(): Promise<{ school: WarningThresholds; forAccount(accountId: string): WarningThresholds }> {
    const rows = await this.db.selectFrom('warning_settings').selectAll().execute()
    const layers = new Map(rows.map((r) => [r.scope_id, clean(r.thresholds)]))
    const school = { ...DEFAULT_THRESHOLDS, ...layers.get(SCHOOL_SCOPE) }
    return { school, forAccount: (accountId) => ({ ...school, ...layers.get(accountId) }) }
  }

  async forAccount(accountId: string): Promise<WarningThresholds> {
    return (await this.all()).forAccount(accountId)
  }

  async change(scopeId: string, patch: Partial<WarningThresholds>): Promise<void> {
    const row = await this.db.selectFrom('warning_settings').select('thresholds').where('scope_id', '=', scopeId).executeTakeFirst()
    const thresholds = toJson({ ...clean(row?.thresholds ?? {}), ...patch })
    await this.db
      .insertInto('warning_settings')
      .values({ scope_id: scopeId, thresholds, updated_at: this.now() })
      .onConflict((oc) => oc.column('scope_id').doUpdateSet({ thresholds, updated_at: this.now() }))
      .execute()
  }
}

function clean(stored: unknown): Partial<WarningThresholds> {
  if (typeof stored !== 'object' || stored === null) return {}
  const out: Record<string, unknown> = {}
  const shape = WarningThresholdsSchema.shape
  for (const [key, value] of Object.entries(stored)) {
    const field = shape[key as keyof typeof shape]
    if (field?.safeParse(value).success) out[key] = value
  }
  return out as Partial<WarningThresholds>
}
