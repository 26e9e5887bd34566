import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import { migrate } from '../../../../src/server/db/database'
import { migrations } from '../../../../src/server/db/migrations'
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../support/databases'
import { memoryLogger } from '../helpers'

describe.each(BACKENDS)('migrations on %s', (backend) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await openTestDatabase(backend)
  }, 120_000)
  afterAll(() => database?.close())

  const tables = async (): Promise<string[]> =>
    (await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public' order by tablename`.execute(database.db)).rows.map((r) => r.tablename)

  it('bring an empty database up to the latest schema, and a second run changes nothing', async () => {
    expect(await tables()).toEqual(expect.arrayContaining(['ai_conversations', 'ai_scopes', 'attendance', 'data_imports', 'lessons']))
    const logger = memoryLogger()
    await migrate(database.db, logger)
    expect(logger.lines.filter((l) => l.msg === 'Database migrated')).toEqual([])
    const applied = await database.db.selectFrom('kysely_migration' as never).select('name' as never).execute()
    expect(applied.map((r) => (r as { name: string }).name)).toEqual(Object.keys(await migrations.getMigrations()))
  })

  it('each migration can be undone and done again (down, then up, to the same tables)', async () => {
    const before = await tables()
    const migrator = new Migrator({ db: database.db, provider: migrations })
    for (;;) {
      const { error, results } = await migrator.migrateDown()
      expect(error).toBeUndefined()
      if (!results?.length) break
    }
    expect((await tables()).filter((t) => !t.startsWith('kysely_'))).toEqual([])
    await migrate(database.db, memoryLogger())
    expect(await tables()).toEqual(before)
  })

  it('takes a migration numbered below one already run (branches land in any order): a database migrated without it gets it', async () => {
    const all = await migrations.getMigrations()
    const migrator = new Migrator({ db: database.db, provider: migrations })
    for (;;) {
      const { results } = await migrator.migrateDown()
      if (!results?.length) break
    }
    const names = Object.keys(all)
    const skipped = names[names.length - 2] as string
    const without = Object.fromEntries(Object.entries(all).filter(([name]) => name !== skipped))
    const partial = await new Migrator({ db: database.db, provider: { getMigrations: async () => without } }).migrateToLatest()
    expect(partial.error).toBeUndefined()
    const logger = memoryLogger()
    await migrate(database.db, logger)
    expect(logger.lines.filter((l) => l.msg === 'Database migrated').map((l) => (l.fields as { migration: string }).migration)).toEqual([skipped])
  })
})
