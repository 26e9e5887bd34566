import { AiLessonEventSchema, type AiLessonEvent } from '../../shared/ai/schema'
import { SseParser } from '../../shared/ai/sse'
import { authHeaders, type AiEndpoint } from './aiApi'

const MAX_BACKOFF_MS = 30_000

/**
 * Keeps GET /api/ai/events open while the panel is, so the tutor's mode
 * switch shows on the student's panel at once. Reconnects with back-off
 * after a drop; gives up on 401/403/410 (no longer in the lesson).
 * Returns the function that stops listening.
 */
export function listenToLessonAi(endpoint: AiEndpoint, onEvent: (event: AiLessonEvent) => void): () => void {
  let stopped = false
  let controller: AbortController | null = null
  let backoff = 1000
  let retryTimer: ReturnType<typeof setTimeout> | null = null

  async function connect(): Promise<void> {
    controller = new AbortController()
    try {
      const response = await fetch(new URL('/api/ai/events', endpoint.server), { headers: authHeaders(endpoint), signal: controller.signal })
      if ([401, 403, 404, 410].includes(response.status)) return
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`)
      backoff = 1000
      const reader = response.body.getReader()
      const decoder = new TextDecoder()
      const parser = new SseParser(100_000)
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        for (const message of parser.push(decoder.decode(value, { stream: true }))) {
          try {
            const event = AiLessonEventSchema.safeParse(JSON.parse(message.data))
            if (event.success) onEvent(event.data)
          } catch {
            // a bad event is skipped; the next settings event corrects the state
          }
        }
      }
    } catch {
      // dropped: retry below
    }
    if (stopped) return
    retryTimer = setTimeout(() => void connect(), backoff)
    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2)
  }

  void connect()
  return () => {
    stopped = true
    if (retryTimer) clearTimeout(retryTimer)
    controller?.abort()
  }
}
