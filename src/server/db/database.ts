import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { Kysely, PostgresDialect } from 'kysely'
import { Migrator } from 'kysely/migration'
import pg from 'pg'
import type { Logger } from '../logger'
import { migrations } from './migrations'
import type { Db, Tables } from './schema'
import { startUpkeep, vacuum, type Upkeep } from './upkeep'

/**
 * Where the data lives: PGlite (PostgreSQL compiled to WebAssembly, in this
 * process) in a folder or in memory, or a PostgreSQL server. Both are reached
 * the same way: a node-postgres pool under Kysely's PostgresDialect (PGlite
 * through its own node-postgres connection, one session), so the SQL, the
 * migrations, the type parsing and the transactions are the same for both.
 */
export type DatabaseConfig =
  | {
      kind: 'pglite'
      /** The PGlite data folder; null keeps everything in memory. */
      dir: string | null
      /**
       * A folder to keep a freshly initialised PGlite cluster in, so opening
       * another empty database copies it instead of running initdb again
       * (~3 s of CPU). For tests and tools that open many databases.
       */
      templateCache?: string
    }
  | { kind: 'postgres'; url: string }

export interface Database {
  readonly kind: DatabaseConfig['kind']
  readonly db: Db
  close(): Promise<void>
}

// bigint (int8) and numeric come back as numbers: every bigint column holds
// epoch milliseconds or a count, far below 2^53.
const INT8 = 20
const NUMERIC = 1700

/** Opens the database and brings its schema up to date; throws, naming the failed migration, if it cannot. */
export async function openDatabase(config: DatabaseConfig, logger: Logger): Promise<Database> {
  const embedded = config.kind === 'pglite' ? await openPglite(config) : null
  const pool = new pg.Pool({
    ...(embedded ? createPgConfig(embedded) : { connectionString: config.kind === 'postgres' ? config.url : '', max: 10 }),
    types: { getTypeParser: typeParser },
  })
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', (error) => logger.error('Database connection error', { error: error.message }))
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) })
  let upkeep: Upkeep | null = null
  const close = async (): Promise<void> => {
    upkeep?.stop()
    await db.destroy()
    await embedded?.close()
  }
  try {
    await migrate(db, logger)
  } catch (error) {
    await close().catch(() => {})
    throw error
  }
  // A data folder that lives on is vacuumed by the server (PGlite has no autovacuum; see upkeep.ts).
  if (config.kind === 'pglite' && config.dir !== null) upkeep = startUpkeep(() => vacuum(db, logger))
  return { kind: config.kind, db, close }
}

const typeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === INT8 || oid === NUMERIC ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser

export async function migrate(db: Db, logger: Logger): Promise<void> {
  // Engineers number migrations in parallel (a branch may land 008 before another lands 006):
  // a database that already ran a later one still runs an earlier one that arrives after it.
  const migrator = new Migrator({ db, provider: migrations, allowUnorderedMigrations: true })
  const { error, results } = await migrator.migrateToLatest()
  for (const result of results ?? []) {
    if (result.status === 'Success') logger.info('Database migrated', { migration: result.migrationName })
    if (result.status === 'Error') logger.error('Database migration failed', { migration: result.migrationName })
  }
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`Database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}

async function openPglite(config: Extract<DatabaseConfig, { kind: 'pglite' }>): Promise<PGlite> {
  if (config.dir === null) return PGlite.create({ loadDataDir: await freshCluster(config.templateCache) })
  const fresh = !fs.existsSync(path.join(config.dir, 'PG_VERSION'))
  if (fresh) fs.mkdirSync(config.dir, { recursive: true, mode: 0o700 })
  return PGlite.create({ dataDir: config.dir, loadDataDir: fresh ? await freshCluster(config.templateCache) : undefined })
}

/** A dump of an empty cluster: from the template cache when there is one, else made now (undefined: PGlite runs initdb itself). */
async function freshCluster(templateCache: string | undefined): Promise<Blob | undefined> {
  if (templateCache === undefined) return undefined
  const file = path.join(templateCache, `pglite-${pgliteBuild()}-fresh.tar`)
  if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)])
  const scratch = await PGlite.create()
  const dump = await scratch.dumpDataDir('none')
  await scratch.close()
  fs.mkdirSync(templateCache, { recursive: true })
  // Several test workers may make it at once: each writes its own file and renames it into place.
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`
  fs.writeFileSync(tmp, new Uint8Array(await dump.arrayBuffer()))
  fs.renameSync(tmp, file)
  return dump
}

/** The cached cluster belongs to the PGlite build that made it (named by its WebAssembly file's size and date). */
function pgliteBuild(): string {
  const stat = fs.statSync(createRequire(import.meta.url).resolve('@electric-sql/pglite/pglite.wasm'))
  return `${stat.size}-${Math.round(stat.mtimeMs)}`
}
