import type { Logger } from '../logger'
import { emptyRecord, type AiLessonRecord, type AiRecordStore } from './store'

/** A record larger than this loses its oldest messages first (a lesson's transcript, not an archive). */
export const MAX_RECORD_CHARS = 2_000_000
const MAX_CACHED = 300

/**
 * The AI records of live lessons, cached in memory (least recently used
 * first out) over the store. Every change is saved at once: answers are
 * rare, and a restart must keep the transcript.
 */
export class AiRecords {
  private readonly cache = new Map<string, AiLessonRecord>()

  constructor(
    private readonly store: AiRecordStore,
    private readonly logger: Logger,
  ) {}

  get(lessonId: string): AiLessonRecord {
    let record = this.cache.get(lessonId)
    if (record) {
      this.cache.delete(lessonId)
    } else {
      try {
        record = this.store.load(lessonId) ?? emptyRecord(lessonId)
      } catch (err) {
        this.logger.error('Could not load AI record', { lessonId, error: String(err) })
        record = emptyRecord(lessonId)
      }
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

  /** Forgets the records of lessons the registry has dropped. */
  sweep(isKnown: (lessonId: string) => boolean): void {
    try {
      for (const id of this.store.lessonIds()) {
        if (isKnown(id)) continue
        this.cache.delete(id)
        this.store.remove(id)
        this.logger.info('AI record of a dropped lesson removed', { lessonId: id })
      }
    } catch (err) {
      this.logger.error('AI record sweep failed', { error: String(err) })
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
