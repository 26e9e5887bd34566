import { ChatFileSchema, type ChatFile } from '../../shared/chat/files'
import { ChatMessageSchema, type ChatMessage } from '../../shared/chat/schema'
import { toJson } from '../db/json'
import type { Db } from '../db/schema'
import type { Logger } from '../logger'
import { ConversationIdSchema, type ChatLog, type ChatStore } from './store'

/**
 * Conversations in the session server's database (chat_messages, chat_reads,
 * chat_files; migration 006): the store wherever a server has a database, so
 * a thread between lessons sits beside the student record it belongs to.
 * Rows are checked again when read back; one that no longer passes is
 * skipped and logged, as the data directory's torn lines are.
 */
export class ChatTable implements ChatStore {
  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  async load(conversation: string): Promise<ChatLog> {
    const id = ConversationIdSchema.parse(conversation)
    const [rows, reads] = await Promise.all([
      this.db.selectFrom('chat_messages').select('message').where('conversation', '=', id).orderBy('seq').execute(),
      this.db.selectFrom('chat_reads').select(['reader', 'seq']).where('conversation', '=', id).execute(),
    ])
    const messages: ChatMessage[] = []
    for (const row of rows) {
      const parsed = ChatMessageSchema.safeParse(row.message)
      if (parsed.success) messages.push(parsed.data)
    }
    if (messages.length < rows.length) this.logger.warn('Unreadable chat rows skipped', { conversation: id, skipped: rows.length - messages.length })
    return { messages, read: Object.fromEntries(reads.map((r) => [r.reader, r.seq])) }
  }

  async append(conversation: string, message: ChatMessage): Promise<void> {
    await this.db
      .insertInto('chat_messages')
      .values({ conversation: ConversationIdSchema.parse(conversation), seq: message.seq, id: message.id, at: message.at, message: toJson(message) })
      .execute()
  }

  async markRead(conversation: string, read: Record<string, number>): Promise<void> {
    const rows = Object.entries(read).map(([reader, seq]) => ({ conversation: ConversationIdSchema.parse(conversation), reader, seq }))
    if (rows.length === 0) return
    await this.db
      .insertInto('chat_reads')
      .values(rows)
      .onConflict((oc) => oc.columns(['conversation', 'reader']).doUpdateSet((eb) => ({ seq: eb.ref('excluded.seq') })))
      .execute()
  }

  async putFile(conversation: string, file: ChatFile, bytes: Uint8Array): Promise<void> {
    const checked = ChatFileSchema.parse(file)
    await this.db
      .insertInto('chat_files')
      .values({ conversation: ConversationIdSchema.parse(conversation), ...checked, data: bytes })
      .onConflict((oc) => oc.columns(['conversation', 'id']).doNothing())
      .execute()
  }

  async getFile(conversation: string, id: string): Promise<{ file: ChatFile; bytes: Uint8Array } | null> {
    if (!ChatFileSchema.shape.id.safeParse(id).success) return null
    const row = await this.db.selectFrom('chat_files').selectAll().where('conversation', '=', conversation).where('id', '=', id).executeTakeFirst()
    if (!row) return null
    const { data, conversation: _c, ...rest } = row
    const file = ChatFileSchema.safeParse(rest)
    return file.success ? { file: file.data, bytes: new Uint8Array(data) } : null
  }

  async files(conversation: string): Promise<ChatFile[]> {
    const rows = await this.db.selectFrom('chat_files').select(['id', 'name', 'mime', 'kind', 'bytes']).where('conversation', '=', conversation).execute()
    return rows.flatMap((row) => {
      const file = ChatFileSchema.safeParse(row)
      return file.success ? [file.data] : []
    })
  }

  async conversations(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('chat_messages')
      .select('conversation')
      .union(this.db.selectFrom('chat_files').select('conversation'))
      .execute()
    return rows.map((r) => r.conversation)
  }

  async remove(conversation: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const table of ['chat_messages', 'chat_reads', 'chat_files'] as const) await tx.deleteFrom(table).where('conversation', '=', conversation).execute()
    })
  }

  close(): void {
    // The database is the server's; it closes it.
  }
}
