import { sql } from 'kysely'
import type { Logger } from '../logger'
import type { Db } from './schema'

/**
 * PGlite runs no autovacuum and no automatic ANALYZE (it is one session in
 * this process, with no background workers). Without them every updated or
 * deleted row leaves a dead copy behind for good, so tables and their scans
 * grow with every recompute, and the planner works without statistics. So the
 * server does what autovacuum would: VACUUM (ANALYZE) soon after it starts
 * and then once a day. A plain VACUUM takes no lock that stops reads or
 * writes on PostgreSQL; on PGlite it holds the one connection while it runs,
 * which for a tutor's or a small school's data is well under a second, and
 * nobody's request is lost: it waits in the pool's queue.
 */
export const UPKEEP = {
  /** After start-up has answered its first requests (rules, dashboard). */
  firstAfterMs: 2 * 60_000,
  everyMs: 24 * 60 * 60_000,
}

export interface Upkeep {
  stop(): void
}

/** One VACUUM (ANALYZE) of the whole database; failures are logged, never thrown (the next run tries again). */
export async function vacuum(db: Db, logger: Logger, now: () => number = Date.now): Promise<boolean> {
  const started = now()
  try {
    await sql`VACUUM (ANALYZE)`.execute(db)
    logger.info('Database vacuumed', { ms: now() - started })
    return true
  } catch (error) {
    logger.warn('Database vacuum failed', { error: error instanceof Error ? error.message : String(error) })
    return false
  }
}

/** Runs `task` (a vacuum) at `firstAfterMs`, then `everyMs` after each run ends, until stopped; the timers never keep the process alive. */
export function startUpkeep(task: () => Promise<unknown>, schedule: typeof UPKEEP = UPKEEP): Upkeep {
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  const next = (ms: number): void => {
    timer = setTimeout(() => {
      void task()
        .catch(() => {})
        .then(() => {
          if (!stopped) next(schedule.everyMs)
        })
    }, ms)
    timer.unref()
  }
  next(schedule.firstAfterMs)
  return {
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
    },
  }
}
