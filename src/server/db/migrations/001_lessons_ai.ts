import { sql, type Kysely } from 'kysely'

/** Lessons, attendance and AI conversations: what the JSON files of dataDir held before. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('lessons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tutor_id', 'text', (c) => c.notNull())
    .addColumn('tutor_name', 'text', (c) => c.notNull())
    .addColumn('invite_code', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('invite_expires_at', 'bigint', (c) => c.notNull())
    .addColumn('tokens_valid_until', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('ended_by', 'text')
    .addColumn('seat', 'jsonb')
    .execute()
  // The registry reloads lessons still running or ended recently.
  await db.schema.createIndex('lessons_ended_at').on('lessons').column('ended_at').execute()

  await db.schema
    .createTable('attendance')
    .addColumn('lesson_id', 'text', (c) => c.notNull().references('lessons.id').onDelete('cascade'))
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addColumn('left_at', 'bigint')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('attendance_pk', ['lesson_id', 'participant_id'])
    .execute()

  await db.schema
    .createTable('data_imports')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('imported_at', 'bigint', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute()

  await db.schema
    .createTable('ai_scopes')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('student_mode', 'text')
    .addColumn('ollama', 'jsonb')
    .addColumn('usage_day', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('usage_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ai_scopes_pk', ['scope', 'scope_id'])
    .execute()

  await db.schema
    .createTable('ai_conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('owner', 'jsonb', (c) => c.notNull())
    .addColumn('reveal_requests', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('messages', 'jsonb', (c) => c.notNull())
    .addForeignKeyConstraint('ai_conversations_scope_fk', ['scope', 'scope_id'], 'ai_scopes', ['scope', 'scope_id'], (fk) => fk.onDelete('cascade'))
    .execute()
  await db.schema.createIndex('ai_conversations_scope').on('ai_conversations').columns(['scope', 'scope_id', 'position']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['ai_conversations', 'ai_scopes', 'data_imports', 'attendance', 'lessons']) await db.schema.dropTable(table).execute()
}
