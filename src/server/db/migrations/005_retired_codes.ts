import { sql, type Kysely } from 'kysely'

/**
 * Invite codes a lesson's tutor replaced ("New invite"), so they still answer
 * "expired" after a restart instead of "no such invite". Lessons stored before
 * get none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('lessons')
    .addColumn('retired_codes', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('lessons').dropColumn('retired_codes').execute()
}
