import type { Db } from '../../db/schema'
import type { Logger } from '../../logger'
import { lastRecomputedAt, recomputeFlags, type RecomputeResult } from './recompute'
import type { Thresholds } from './thresholds'

/** How often every flag is worked out again, and how old the flags may be when the dashboard opens. */
export const RECOMPUTE_INTERVAL_MS = 15 * 60_000
export const STALE_AFTER_MS = 2 * RECOMPUTE_INTERVAL_MS

/**
 * Keeps the flags current: all of them every quarter of an hour (so opening
 * the dashboard only reads), one student's at once after something of
 * theirs changed, and all of them before the dashboard opens if they are
 * older than STALE_AFTER_MS (a machine that slept, a server that was off).
 * At start the flags in the database are used as they are when their last
 * run is recent (when it was is stored with them); older ones are worked
 * out again in the background, and a request only waits for that when they
 * are stale. Runs are queued, never overlapping.
 */
export class EarlyWarning {
  /** When every flag was last worked out (the server's clock; restored at start). */
  computedAt = 0
  private queue: Promise<unknown> = Promise.resolve()
  private timer: NodeJS.Timeout | null = null
  private restored: Promise<void> = Promise.resolve()
  /** A run for every student, queued or running. */
  private fullRun: Promise<RecomputeResult | null> | null = null
  /** A queued full run that has not started yet (a new request for one joins it). */
  private queuedFullRun: Promise<RecomputeResult | null> | null = null

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
    this.restored = lastRecomputedAt(this.deps.db).then(
      (at) => {
        this.computedAt = at
        if (this.deps.now() - at >= RECOMPUTE_INTERVAL_MS) void this.all()
      },
      (error: unknown) => {
        this.deps.logger.error('Could not read when the flags were last worked out', { error: error instanceof Error ? error.message : String(error) })
        void this.all()
      },
    )
    this.timer = setInterval(() => this.all(), RECOMPUTE_INTERVAL_MS)
    this.timer.unref()
  }

  /** Every student, queued (joining a queued run that has not started); resolves when done (failures are logged). */
  all(): Promise<RecomputeResult | null> {
    if (this.queuedFullRun) return this.queuedFullRun
    const job = this.run(undefined, () => {
      if (this.queuedFullRun === job) this.queuedFullRun = null
    })
    this.queuedFullRun = job
    this.fullRun = job
    void job.then(() => {
      if (this.fullRun === job) this.fullRun = null
    })
    return job
  }

  /** These students only (something of theirs changed). */
  students(ids: readonly string[]): Promise<RecomputeResult | null> {
    return this.run(ids)
  }

  /** Waits for flags no older than STALE_AFTER_MS: the run under way if there is one, then a new one if that was not enough. */
  async fresh(): Promise<void> {
    await this.restored
    const stale = () => this.deps.now() - this.computedAt > STALE_AFTER_MS
    if (stale() && this.fullRun) await this.fullRun
    if (stale()) await this.all()
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.restored
    await this.queue
  }

  private run(ids: readonly string[] | undefined, starting: () => void = () => {}): Promise<RecomputeResult | null> {
    const job = this.queue.then(async () => {
      starting()
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
