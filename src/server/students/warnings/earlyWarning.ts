import type { Db } from '../../db/schema'
import type { Logger } from '../../logger'
import { recomputeFlags, type RecomputeResult } from './recompute'
import type { Thresholds } from './thresholds'

/** How often every flag is worked out again, and how old the flags may be when the dashboard opens. */
export const RECOMPUTE_INTERVAL_MS = 15 * 60_000
export const STALE_AFTER_MS = 2 * RECOMPUTE_INTERVAL_MS

/**
 * Keeps the flags current: all of them at start and every quarter of an
 * hour (so opening the dashboard only reads), one student's at once after
 * something of theirs changed, and all of them before the dashboard opens
 * if the clock says they are old (a machine that slept). Runs are queued,
 * never overlapping.
 */
export class EarlyWarning {
  /** When every flag was last worked out (the server's clock). */
  computedAt = 0
  private queue: Promise<unknown> = Promise.resolve()
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly deps: {
      db: Db
      thresholds: Thresholds
      now: () => number
      timeZone: string
      logger: Logger
      /** Resolves when lessons queued for writing are in the database (the registry's). */
      persisted(): Promise<void>
    },
  ) {}

  start(): void {
    this.all()
    this.timer = setInterval(() => this.all(), RECOMPUTE_INTERVAL_MS)
    this.timer.unref()
  }

  /** Every student, queued; resolves when done (failures are logged). */
  all(): Promise<RecomputeResult | null> {
    return this.run(undefined)
  }

  /** These students only (something of theirs changed). */
  students(ids: readonly string[]): Promise<RecomputeResult | null> {
    return this.run(ids)
  }

  /** Recomputes everything first if the flags are older than STALE_AFTER_MS. */
  async fresh(): Promise<void> {
    if (this.deps.now() - this.computedAt > STALE_AFTER_MS) await this.all()
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.queue
  }

  private run(ids: readonly string[] | undefined): Promise<RecomputeResult | null> {
    const job = this.queue.then(async () => {
      const started = this.deps.now()
      try {
        await this.deps.persisted()
        const result = await recomputeFlags(this.deps.db, this.deps.thresholds, started, this.deps.timeZone, ids)
        if (!ids) {
          this.computedAt = started
          if (result.raised > 0 || result.resolved > 0) this.deps.logger.info('Early-warning flags worked out', { ...result })
        }
        return result
      } catch (error) {
        this.deps.logger.error('Early-warning recompute failed', { error: error instanceof Error ? error.message : String(error) })
        return null
      }
    })
    this.queue = job
    return job
  }
}
