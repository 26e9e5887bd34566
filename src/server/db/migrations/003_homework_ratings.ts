import type { Kysely } from 'kysely'

/** Homework (and its files), and students' ratings of lessons. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('homework')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('student_id', 'text', (c) => c.notNull().references('students.id').onDelete('cascade'))
    .addColumn('lesson_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('assigned_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('handed_in_at', 'bigint')
    .addColumn('submission_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reviewed_at', 'bigint')
    .addColumn('review_comment', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema.createIndex('homework_student').on('homework').columns(['student_id', 'due_at']).execute()

  await db.schema
    .createTable('homework_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('homework_id', 'text', (c) => c.notNull().references('homework.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('homework_files_homework').on('homework_files').column('homework_id').execute()

  await db.schema
    .createTable('ratings')
    .addColumn('lesson_id', 'text', (c) => c.primaryKey().references('lessons.id').onDelete('cascade'))
    .addColumn('student_id', 'text', (c) => c.notNull().references('students.id').onDelete('cascade'))
    .addColumn('stars', 'integer', (c) => c.notNull())
    .addColumn('word', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('ratings_student').on('ratings').columns(['student_id', 'at']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ratings').execute()
  await db.schema.dropTable('homework_files').execute()
  await db.schema.dropTable('homework').execute()
}
