import type { Kysely } from 'kysely'

/**
 * When every student's flags were last worked out, kept across restarts: a
 * server started soon after answers the dashboard from the flags it has
 * instead of working them all out again first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flag_recomputes')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('computed_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flag_recomputes').execute()
}
