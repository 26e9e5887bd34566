import { randomBytes } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, inject } from 'vitest'
import { sql } from 'kysely'
import { openDatabase, type Database } from '../../src/server/db/database'
import { silentLogger, type Logger } from '../../src/server/logger'

/** Both backends the data layer runs on; suites run once per backend with describe.each(BACKENDS). */
export const BACKENDS = ['pglite', 'postgres'] as const
export type Backend = (typeof BACKENDS)[number]

/** A fresh embedded database is copied from here instead of running initdb each time (~3 s of CPU). */
export const PGLITE_TEMPLATE = path.join(os.tmpdir(), 'duet-test-pglite-template')

export interface TestDatabase extends Database {
  /** Empties every table (the schema stays). */
  reset(): Promise<void>
}

/**
 * A migrated database of the given backend: PGlite in memory, or a new
 * database on the run's PostgreSQL server (dropped again by close()).
 */
export async function openTestDatabase(backend: Backend, logger: Logger = silentLogger): Promise<TestDatabase> {
  let database: Database
  let drop = async (): Promise<void> => {}
  if (backend === 'pglite') {
    database = await openDatabase({ kind: 'pglite', dir: null, templateCache: PGLITE_TEMPLATE }, logger)
  } else {
    const server = inject('postgresUrl')
    const name = `duet_test_${randomBytes(6).toString('hex')}`
    const admin = new pg.Client({ connectionString: server })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    database = await openDatabase({ kind: 'postgres', url: server.replace(/\/[^/]*$/, `/${name}`) }, logger)
    drop = async () => {
      const client = new pg.Client({ connectionString: server })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    }
  }
  return {
    ...database,
    async reset() {
      const { rows } = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`.execute(database.db)
      if (rows.length > 0) await sql.raw(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} CASCADE`).execute(database.db)
    },
    async close() {
      await database.close()
      await drop()
    },
  }
}

/**
 * The database of a describe block on this backend: opened once before its
 * tests, emptied before each, closed after them. Its fields reach the open
 * database, so it can be handed to a server where it is declared.
 */
export function suiteDatabase(backend: Backend): TestDatabase {
  let open: TestDatabase | undefined
  const current = (): TestDatabase => {
    if (!open) throw new Error('The suite database is opened in beforeAll; use it inside a test')
    return open
  }
  beforeAll(async () => {
    open = await openTestDatabase(backend)
  }, 120_000)
  afterAll(() => open?.close())
  beforeEach(() => current().reset())
  return {
    get kind() {
      return current().kind
    },
    get db() {
      return current().db
    },
    reset: () => current().reset(),
    close: () => current().close(),
  }
}
