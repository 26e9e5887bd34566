import type { ServerResponse } from 'node:http'
import type { AiLessonEvent } from '../../shared/ai/schema'
import { sseData } from '../../shared/ai/sse'
import { EVENT_STREAM_HEADERS } from './http'

const KEEPALIVE_MS = 20_000
/** Open panels per lesson (two people, a few tabs); more are refused. */
const MAX_PER_LESSON = 8

/**
 * Live AI settings for open panels: each panel holds one text/event-stream,
 * and a change the tutor makes (student mode, local model) reaches both
 * people at once. A comment line every 20 s keeps idle proxies from closing it.
 */
export class AiEventHub {
  private readonly lessons = new Map<string, Set<ServerResponse>>()
  private readonly keepalive: NodeJS.Timeout

  constructor() {
    this.keepalive = setInterval(() => {
      for (const set of this.lessons.values()) for (const res of set) res.write(': keep-alive\n\n')
    }, KEEPALIVE_MS)
    this.keepalive.unref()
  }

  /** False when the lesson already has too many open streams. */
  open(lessonId: string, res: ServerResponse, first: AiLessonEvent[]): boolean {
    const set = this.lessons.get(lessonId) ?? new Set<ServerResponse>()
    if (set.size >= MAX_PER_LESSON) return false
    this.lessons.set(lessonId, set)
    set.add(res)
    res.writeHead(200, EVENT_STREAM_HEADERS)
    for (const event of first) res.write(sseData(event))
    res.on('close', () => {
      set.delete(res)
      if (set.size === 0 && this.lessons.get(lessonId) === set) this.lessons.delete(lessonId)
    })
    return true
  }

  broadcast(lessonId: string, event: AiLessonEvent): void {
    for (const res of this.lessons.get(lessonId) ?? []) res.write(sseData(event))
  }

  /** Ends the streams of a lesson (it ended) or of all lessons (shutdown). */
  close(lessonId?: string): void {
    const sets = lessonId === undefined ? [...this.lessons.values()] : [this.lessons.get(lessonId) ?? new Set<ServerResponse>()]
    for (const set of sets) for (const res of set) res.end()
    if (lessonId === undefined) clearInterval(this.keepalive)
  }
}
