import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { AiConversationSchema, AiModeSchema } from '../../shared/ai/conversation'
import { MAX_CONVERSATIONS_PER_LESSON } from '../../shared/ai/limits'
import type { Logger } from '../logger'
import { writeFileAtomic } from '../lesson/store'

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

/**
 * dataDir/ai/<lessonId>.json (practice: dataDir/ai-practice/<passId>.json),
 * written atomically; unreadable files are moved aside, not trusted.
 */
export class FileAiStore implements AiRecordStore {
  private readonly dir: string

  constructor(
    dataDir: string,
    private readonly logger: Logger,
    folder = 'ai',
  ) {
    this.dir = path.join(dataDir, folder)
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 })
  }

  private fileOf(id: string): string {
    // Validated UUIDs only: safe file names, no path tricks.
    return path.join(this.dir, `${z.uuid().parse(id)}.json`)
  }

  load(lessonId: string): AiLessonRecord | null {
    const file = this.fileOf(lessonId)
    let text: string
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch {
      return null
    }
    try {
      const parsed = AiLessonRecordSchema.safeParse(JSON.parse(text))
      if (parsed.success && parsed.data.lessonId === lessonId) return parsed.data
      this.moveAside(file, parsed.success ? 'lesson id does not match' : (parsed.error.issues[0]?.message ?? 'invalid'))
    } catch (err) {
      this.moveAside(file, err instanceof Error ? err.message : String(err))
    }
    return null
  }

  save(record: AiLessonRecord): void {
    try {
      writeFileAtomic(this.fileOf(record.lessonId), JSON.stringify(record))
    } catch (err) {
      // A full disk must not break the lesson: the record stays in memory.
      this.logger.error('Could not save AI record', { lessonId: record.lessonId, error: String(err) })
    }
  }

  remove(lessonId: string): void {
    fs.rmSync(this.fileOf(lessonId), { force: true })
  }

  lessonIds(): string[] {
    return fs
      .readdirSync(this.dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .filter((id) => z.uuid().safeParse(id).success)
  }

  private moveAside(file: string, reason: string): void {
    const aside = `${file}.corrupt-${Date.now()}`
    this.logger.warn('Unreadable AI record moved aside', { file, reason })
    try {
      fs.renameSync(file, aside)
    } catch (err) {
      this.logger.error('Could not move unreadable AI record', { file, error: String(err) })
    }
  }
}
