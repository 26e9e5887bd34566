import type { Kysely } from 'kysely'

/** Accounts (tutors and staff), the roster, schedule changes, activity between lessons; lessons name their account and student. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('students')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('goal', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('plan', 'jsonb')
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('archived_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('students_account').on('students').columns(['account_id', 'archived_at']).execute()

  await db.schema.alterTable('lessons').addColumn('account_id', 'text').execute()
  await db.schema.alterTable('lessons').addColumn('student_id', 'text', (c) => c.references('students.id').onDelete('set null')).execute()
  await db.schema.createIndex('lessons_student').on('lessons').columns(['student_id', 'started_at']).execute()

  await db.schema
    .createTable('schedule_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('student_id', 'text', (c) => c.notNull().references('students.id').onDelete('cascade'))
    .addColumn('from_at', 'bigint')
    .addColumn('to_at', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('schedule_changes_student').on('schedule_changes').columns(['student_id', 'to_at']).execute()

  await db.schema
    .createTable('activity')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('student_id', 'text', (c) => c.notNull().references('students.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('minutes', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('lesson_id', 'text')
    .execute()
  await db.schema.createIndex('activity_student').on('activity').columns(['student_id', 'at']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('activity').execute()
  await db.schema.dropTable('schedule_changes').execute()
  await db.schema.dropIndex('lessons_student').execute()
  await db.schema.alterTable('lessons').dropColumn('student_id').execute()
  await db.schema.alterTable('lessons').dropColumn('account_id').execute()
  await db.schema.dropTable('students').execute()
  await db.schema.dropTable('accounts').execute()
}
