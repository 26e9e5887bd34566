import type { Migration, MigrationProvider } from 'kysely/migration'
import * as m001 from './001_lessons_ai'
import * as m002 from './002_students'
import * as m003 from './003_homework_ratings'
import * as m004 from './004_warnings'
import * as m005 from './005_retired_codes'
import * as m006 from './006_chat_threads'
import * as m008 from './008_flag_recomputes'

/**
 * Every migration, in order. Listed here (not read from the folder at run
 * time) so the desktop bundle carries them; the names are what the
 * kysely_migration table records, so never rename one that has shipped.
 */
const MIGRATIONS: Record<string, Migration> = {
  '001_lessons_ai': m001,
  '002_students': m002,
  '003_homework_ratings': m003,
  '004_warnings': m004,
  '005_retired_codes': m005,
  '006_chat_threads': m006,
  '008_flag_recomputes': m008,
}

export const migrations: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
}
