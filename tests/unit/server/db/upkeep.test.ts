import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { sql } from 'kysely'
import { startUpkeep, vacuum } from '../../../../src/server/db/upkeep'
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../support/databases'
import { memoryLogger } from '../helpers'

describe.each(BACKENDS)('database upkeep on %s', (backend) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await openTestDatabase(backend)
  }, 120_000)
  afterAll(() => database?.close())

  it('vacuums and analyzes, and says so in the log', async () => {
    const logger = memoryLogger()
    expect(await vacuum(database.db, logger)).toBe(true)
    expect(logger.lines.map((l) => l.msg)).toContain('Database vacuumed')
  })
})

describe('PGlite, which has no autovacuum', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await openTestDatabase('pglite')
    await sql`create table churn (id int primary key, payload text not null)`.execute(database.db)
  }, 120_000)
  afterAll(() => database?.close())

  /** Rewrites every row `rounds` times (as a recompute rewrites flags), vacuuming between rounds or not; returns the table's size in bytes. */
  async function churn(rounds: number, vacuumBetween: boolean): Promise<number> {
    await sql`truncate churn`.execute(database.db)
    await sql`insert into churn select i, repeat('x', 200) from generate_series(1, 2000) i`.execute(database.db)
    for (let round = 0; round < rounds; round++) {
      await sql`update churn set payload = repeat(${String(round % 10)}, 200)`.execute(database.db)
      if (vacuumBetween) await vacuum(database.db, memoryLogger())
    }
    const { rows } = await sql<{ size: number }>`select pg_relation_size('churn') as size`.execute(database.db)
    return Number(rows[0]!.size)
  }

  it('keeps a table that is rewritten again and again from growing once vacuumed', async () => {
    const once = await churn(1, true)
    const vacuumed = await churn(8, true)
    const left = await churn(8, false)
    // Vacuumed, the dead rows' space is reused: the table stays about the size of two copies.
    expect(vacuumed).toBeLessThanOrEqual(once * 1.5)
    // Left alone it holds every dead copy: nine versions of each row.
    expect(left).toBeGreaterThan(once * 3)
  })
})

describe('the upkeep schedule', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('runs first after the start-up delay, then once a day after each run ends, and never after stop', async () => {
    vi.useFakeTimers()
    const task = vi.fn(async () => {})
    const upkeep = startUpkeep(task, { firstAfterMs: 120_000, everyMs: 86_400_000 })
    await vi.advanceTimersByTimeAsync(119_999)
    expect(task).toHaveBeenCalledTimes(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(task).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(86_400_000)
    expect(task).toHaveBeenCalledTimes(2)
    upkeep.stop()
    await vi.advanceTimersByTimeAsync(3 * 86_400_000)
    expect(task).toHaveBeenCalledTimes(2)
  })

  it('keeps going after a run that failed', async () => {
    vi.useFakeTimers()
    const task = vi.fn().mockRejectedValueOnce(new Error('disk full')).mockResolvedValue(undefined)
    const upkeep = startUpkeep(task, { firstAfterMs: 10, everyMs: 100 })
    await vi.advanceTimersByTimeAsync(10)
    await vi.advanceTimersByTimeAsync(100)
    expect(task).toHaveBeenCalledTimes(2)
    upkeep.stop()
  })
})
