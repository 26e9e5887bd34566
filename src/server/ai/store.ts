import { z } from 'zod'
import { AiConversationSchema, AiModeSchema } from '../../shared/ai/conversation'
import { MAX_CONVERSATIONS_PER_LESSON } from '../../shared/ai/limits'

/**
 * The AI part of a lesson's record (or of a practice pass: `lessonId` is
 * then the pass id): the tutor's choices (student mode, a local Ollama
 * model), today's question count, and every conversation. Kept in the
 * database (aiTable.ts); older data folders held one JSON file each.
 */
export const AiLessonRecordSchema = z.object({
  lessonId: z.uuid(),
  /** null: the server config's studentMode. */
  studentMode: AiModeSchema.nullable(),
  /** A local Ollama model the tutor chose for this lesson, when no model is configured. */
  ollama: z.object({ model: z.string().min(1).max(200), vision: z.boolean() }).nullable(),
  /** Student questions on `day` (server-local YYYY-MM-DD). */
  usage: z.object({ day: z.string().max(10), studentQuestions: z.number().int().min(0) }),
  conversations: z.array(AiConversationSchema).max(MAX_CONVERSATIONS_PER_LESSON),
})
export type AiLessonRecord = z.infer<typeof AiLessonRecordSchema>

export function emptyRecord(lessonId: string): AiLessonRecord {
  return { lessonId, studentMode: null, ollama: null, usage: { day: '', studentQuestions: 0 }, conversations: [] }
}

export interface AiRecordStore {
  load(lessonId: string): Promise<AiLessonRecord | null>
  /** Queued; failures are logged and the record in memory stays authoritative. */
  save(record: AiLessonRecord): void
  /** Resolves once every queued save is written. */
  flush(): Promise<void>
}

/** Records of a server without a database; the oldest go first past MAX_MEMORY_RECORDS. */
export function memoryAiStore(): AiRecordStore {
  const records = new Map<string, string>()
  return {
    load: async (id) => {
      const text = records.get(id)
      return text === undefined ? null : AiLessonRecordSchema.parse(JSON.parse(text))
    },
    save: (record) => {
      records.delete(record.lessonId)
      records.set(record.lessonId, JSON.stringify(record))
      for (const id of records.keys()) {
        if (records.size <= MAX_MEMORY_RECORDS) break
        records.delete(id)
      }
    },
    flush: async () => {},
  }
}

const MAX_MEMORY_RECORDS = 1000
