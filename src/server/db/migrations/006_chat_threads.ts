import type { Kysely } from 'kysely'

/** The chat's conversations in the database: messages, read marks, files (lesson chats and threads between lessons). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_messages')
    .addColumn('conversation', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('message', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_messages_pk', ['conversation', 'seq'])
    .execute()

  await db.schema
    .createTable('chat_reads')
    .addColumn('conversation', 'text', (c) => c.notNull())
    .addColumn('reader', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_reads_pk', ['conversation', 'reader'])
    .execute()

  await db.schema
    .createTable('chat_files')
    .addColumn('conversation', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_files_pk', ['conversation', 'id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('chat_files').execute()
  await db.schema.dropTable('chat_reads').execute()
  await db.schema.dropTable('chat_messages').execute()
}
