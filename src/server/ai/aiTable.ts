import { createHash } from 'node:crypto'
import type { Db } from '../db/schema'
import { toJson } from '../db/json'
import { WriteQueue } from '../db/writeQueue'
import { describeZodError } from '../../shared/zodError'
import type { Logger } from '../logger'
import { AiLessonRecordSchema, type AiLessonRecord, type AiRecordStore } from './store'

/** How many conversations' fingerprints are remembered (only changed ones are rewritten). */
const MAX_FINGERPRINTS = 5000

/**
 * AI records in the database: one ai_scopes row per lesson (or practice
 * pass) and one ai_conversations row per conversation. A save rewrites only
 * the conversations that changed since they were last written: a long
 * transcript is not written again for every new answer.
 */
export class AiTable implements AiRecordStore {
  private readonly queue: WriteQueue
  private readonly written = new Map<string, string>()

  constructor(
    private readonly db: Db,
    private readonly scope: 'lesson' | 'practice',
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {
    this.queue = new WriteQueue(logger, `AI record (${scope})`)
  }

  async load(id: string): Promise<AiLessonRecord | null> {
    const row = await this.db.selectFrom('ai_scopes').selectAll().where('scope', '=', this.scope).where('scope_id', '=', id).executeTakeFirst()
    if (!row) return null
    const conversations = await this.db
      .selectFrom('ai_conversations')
      .selectAll()
      .where('scope', '=', this.scope)
      .where('scope_id', '=', id)
      .orderBy('position')
      .execute()
    const parsed = AiLessonRecordSchema.safeParse({
      lessonId: id,
      studentMode: row.student_mode,
      ollama: row.ollama,
      usage: { day: row.usage_day, studentQuestions: row.usage_count },
      conversations: conversations.map((c) => ({ id: c.id, createdAt: c.created_at, owner: c.owner, revealRequests: c.reveal_requests, messages: c.messages })),
    })
    if (!parsed.success) {
      // Not trusted, not lost: the rows stay; the person starts from an empty record.
      this.logger.warn('Unreadable AI record skipped', { scope: this.scope, id, reason: describeZodError(parsed.error, 'record') })
      return null
    }
    conversations.forEach((c, position) => this.remember(c.id, fingerprint(parsed.data.conversations[position], position)))
    return parsed.data
  }

  save(record: AiLessonRecord): void {
    const snapshot = structuredClone(record)
    this.queue.enqueue(record.lessonId, () => this.write(snapshot))
  }

  flush(): Promise<void> {
    return this.queue.flush()
  }

  private async write(record: AiLessonRecord): Promise<void> {
    const changed = record.conversations
      .map((conversation, position) => ({ conversation, position, print: fingerprint(conversation, position) }))
      .filter(({ conversation, print }) => this.written.get(conversation.id) !== print)
    await this.db.transaction().execute((tx) => writeAiRecord(tx, this.scope, record, this.now(), changed))
    for (const { conversation, print } of changed) this.remember(conversation.id, print)
  }

  private remember(id: string, print: string): void {
    this.written.delete(id)
    this.written.set(id, print)
    for (const key of this.written.keys()) {
      if (this.written.size <= MAX_FINGERPRINTS) break
      this.written.delete(key)
    }
  }
}

type Changed = { conversation: AiLessonRecord['conversations'][number]; position: number }[]

/**
 * Upserts the record's settings and count and the given conversations, and
 * deletes conversations the record no longer has. `changed` defaults to all
 * of them (the JSON import writes whole records). Run it in a transaction.
 */
export async function writeAiRecord(
  tx: Db,
  scope: 'lesson' | 'practice',
  record: AiLessonRecord,
  now: number,
  changed: Changed = record.conversations.map((conversation, position) => ({ conversation, position })),
): Promise<void> {
  const settings = {
    student_mode: record.studentMode,
    ollama: toJson(record.ollama),
    usage_day: record.usage.day,
    usage_count: record.usage.studentQuestions,
    updated_at: now,
  }
  await tx
    .insertInto('ai_scopes')
    .values({ scope, scope_id: record.lessonId, ...settings })
    .onConflict((oc) => oc.columns(['scope', 'scope_id']).doUpdateSet(settings))
    .execute()
  const keep = record.conversations.map((c) => c.id)
  let gone = tx.deleteFrom('ai_conversations').where('scope', '=', scope).where('scope_id', '=', record.lessonId)
  if (keep.length > 0) gone = gone.where('id', 'not in', keep)
  await gone.execute()
  for (const { conversation, position } of changed) {
    const row = {
      position,
      created_at: conversation.createdAt,
      owner: toJson(conversation.owner),
      reveal_requests: conversation.revealRequests,
      messages: toJson(conversation.messages),
    }
    await tx
      .insertInto('ai_conversations')
      .values({ id: conversation.id, scope, scope_id: record.lessonId, ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute()
  }
}

function fingerprint(conversation: AiLessonRecord['conversations'][number] | undefined, position: number): string {
  return createHash('sha1').update(`${position}:${JSON.stringify(conversation)}`).digest('base64')
}
