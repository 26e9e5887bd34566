import path from 'node:path'
import { z } from 'zod'
import { AiConversationSchema, AiModeSchema } from '../../shared/ai/conversation'
import { MAX_CONVERSATIONS_PER_LESSON } from '../../shared/ai/limits'
import type { Logger } from '../logger'
import { JsonFileStore } from '../../node/files'

/**
 * The AI part of a lesson's record: the tutor's choices (student mode, a
 * local Ollama model), today's question count, and every conversation.
 * One JSON file per lesson next to the lesson files.
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
  load(lessonId: string): AiLessonRecord | null
  save(record: AiLessonRecord): void
  remove(lessonId: string): void
  lessonIds(): string[]
}

export function memoryAiStore(): AiRecordStore {
  const records = new Map<string, string>()
  return {
    load: (id) => {
      const text = records.get(id)
      return text === undefined ? null : AiLessonRecordSchema.parse(JSON.parse(text))
    },
    save: (record) => void records.set(record.lessonId, JSON.stringify(record)),
    remove: (id) => void records.delete(id),
    lessonIds: () => [...records.keys()],
  }
}

/** dataDir/ai/<lessonId>.json (practice: dataDir/ai-practice/<passId>.json). */
export class FileAiStore implements AiRecordStore {
  private readonly files: JsonFileStore<AiLessonRecord>

  constructor(dataDir: string, logger: Logger, folder = 'ai') {
    this.files = new JsonFileStore(path.join(dataDir, folder), AiLessonRecordSchema, (record) => record.lessonId, logger)
  }

  load(lessonId: string): AiLessonRecord | null {
    return this.files.load(lessonId)
  }

  save(record: AiLessonRecord): void {
    this.files.save(record)
  }

  remove(lessonId: string): void {
    this.files.remove(lessonId)
  }

  lessonIds(): string[] {
    return this.files.ids()
  }
}
