import { BASE_HEADERS } from '../http/respond'

/** Headers that open a text/event-stream (CORS comes from the router); proxies must not buffer it. */
export const EVENT_STREAM_HEADERS: Record<string, string> = {
  ...BASE_HEADERS,
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
}
