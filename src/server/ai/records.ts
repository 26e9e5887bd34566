import type { Logger } from '../logger'
import { emptyRecord, type AiLessonRecord, type AiRecordStore } from './store'

/** A record larger than this loses its oldest messages first (a lesson's transcript, not an archive). */
export const MAX_RECORD_CHARS = 2_000_000
const MAX_CACHED = 300

/**
 * The AI records in use, cached in memory (least recently used first out)
 * over the store. Every change is saved at once: answers are rare, and a
 * restart must keep the transcript. Records stay in the store with their
 * lesson's history (the lesson record in the library reads them).
 */
export class AiRecords {
  private readonly cache = new Map<string, AiLessonRecord>()
  private readonly loading = new Map<string, Promise<AiLessonRecord>>()

  constructor(
    private readonly store: AiRecordStore,
    private readonly logger: Logger,
  ) {}

  async get(lessonId: string): Promise<AiLessonRecord> {
    let record = this.cache.get(lessonId)
    if (record) {
      this.cache.delete(lessonId)
    } else {
      const loading = this.loading.get(lessonId) ?? this.load(lessonId)
      this.loading.set(lessonId, loading)
      try {
        record = await loading
      } finally {
        this.loading.delete(lessonId)
      }
      // Two callers awaited the same load: both get the one object that is cached.
      record = this.cache.get(lessonId) ?? record
      this.cache.delete(lessonId)
    }
    this.cache.set(lessonId, record)
    while (this.cache.size > MAX_CACHED) {
      const oldest = this.cache.keys().next().value
      if (oldest === undefined) break
      this.cache.delete(oldest)
    }
    return record
  }

  save(record: AiLessonRecord): void {
    trimRecord(record)
    this.store.save(record)
  }

  flush(): Promise<void> {
    return this.store.flush()
  }

  private async load(lessonId: string): Promise<AiLessonRecord> {
    try {
      return (await this.store.load(lessonId)) ?? emptyRecord(lessonId)
    } catch (err) {
      this.logger.error('Could not load AI record', { lessonId, error: String(err) })
      return emptyRecord(lessonId)
    }
  }
}

/** Drops the oldest messages (then empty conversations) until the record fits. */
export function trimRecord(record: AiLessonRecord, maxChars = MAX_RECORD_CHARS): void {
  let size = JSON.stringify(record).length
  while (size > maxChars) {
    const oldest = record.conversations.find((c) => c.messages.length > 0)
    if (!oldest) break
    const dropped = oldest.messages.shift()
    size -= JSON.stringify(dropped).length + 1
    record.conversations = record.conversations.filter((c) => c.messages.length > 0 || c === record.conversations.at(-1))
  }
}
