import { sql, type Kysely } from 'kysely'

/** Early-warning flags, what tutors did about them, changed thresholds, and when each tutor last read the digest. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('student_id', 'text', (c) => c.notNull().references('students.id').onDelete('cascade'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('evidence', 'jsonb', (c) => c.notNull())
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('snoozed_until', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .execute()
  // One unresolved flag per student and rule; the dashboard reads open flags.
  await db.schema.createIndex('flags_unresolved').on('flags').columns(['student_id', 'rule']).unique().where(sql.ref('state'), '<>', 'resolved').execute()
  await db.schema.createIndex('flags_state').on('flags').columns(['state', 'raised_at']).execute()

  await db.schema
    .createTable('record_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('student_id', 'text', (c) => c.notNull().references('students.id').onDelete('cascade'))
    .addColumn('flag_id', 'text', (c) => c.references('flags.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('by_account', 'text', (c) => c.notNull())
    .addColumn('by_name', 'text', (c) => c.notNull())
    .addColumn('until', 'bigint')
    .execute()
  await db.schema.createIndex('record_actions_student').on('record_actions').columns(['student_id', 'at']).execute()
  await db.schema.createIndex('record_actions_flag').on('record_actions').columns(['flag_id', 'at']).execute()

  await db.schema
    .createTable('warning_settings')
    .addColumn('scope_id', 'text', (c) => c.primaryKey())
    .addColumn('thresholds', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema.alterTable('accounts').addColumn('digest_seen_at', 'bigint').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('digest_seen_at').execute()
  await db.schema.dropTable('warning_settings').execute()
  await db.schema.dropTable('record_actions').execute()
  await db.schema.dropTable('flags').execute()
}
