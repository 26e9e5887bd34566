import { AiStreamEventSchema, type AiStreamEvent, type AskRequest } from '../../shared/ai/schema'
import { SseOverflowError, SseParser } from '../../shared/ai/sse'
import { AiRequestError, authHeaders, errorFromResponse, type AiEndpoint } from './aiApi'

/** How a streamed answer ended, as far as the panel is concerned. */
export type StreamEnd =
  | { kind: 'done'; finishReason: 'stop' | 'length' | 'stopped' }
  | { kind: 'aborted' }
  | { kind: 'error'; error: AiRequestError }

/**
 * POST /api/ai/ask and hand each event to `onEvent` as it is read (fetch +
 * ReadableStream; EventSource cannot POST or send Authorization). Aborting
 * `signal` closes the connection, which makes the server cancel the
 * provider's request at once. Never throws: every ending is a StreamEnd.
 */
export async function streamAnswer(endpoint: AiEndpoint, body: AskRequest, signal: AbortSignal, onEvent: (event: AiStreamEvent) => void): Promise<StreamEnd> {
  let response: Response
  try {
    response = await fetch(new URL('/api/ai/ask', endpoint.server), {
      method: 'POST',
      headers: { ...authHeaders(endpoint, true), Accept: 'text/event-stream' },
      body: JSON.stringify(body),
      signal,
    })
  } catch (error) {
    if (signal.aborted) return { kind: 'aborted' }
    return { kind: 'error', error: new AiRequestError('network', String(error)) }
  }
  if (!response.ok) return { kind: 'error', error: await errorFromResponse(response, endpoint.server) }
  if (!response.body) return { kind: 'error', error: new AiRequestError('ai_stream_cut', 'Empty answer') }

  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  const parser = new SseParser()
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>
    try {
      chunk = await reader.read()
    } catch (error) {
      if (signal.aborted) return { kind: 'aborted' }
      // The session server went away mid-answer (network drop, server restart).
      return { kind: 'error', error: new AiRequestError('network', String(error)) }
    }
    if (chunk.done) break
    let messages
    try {
      messages = parser.push(decoder.decode(chunk.value, { stream: true }))
    } catch (error) {
      void reader.cancel()
      return { kind: 'error', error: new AiRequestError('ai_bad_chunk', error instanceof SseOverflowError ? error.message : String(error)) }
    }
    for (const message of messages) {
      const event = parseEvent(message.data)
      if (!event) {
        void reader.cancel()
        return { kind: 'error', error: new AiRequestError('ai_bad_chunk', 'The server sent an event the panel does not understand') }
      }
      onEvent(event)
      if (event.type === 'done') return { kind: 'done', finishReason: event.finishReason }
      if (event.type === 'error') return { kind: 'error', error: new AiRequestError(event.code, event.message, event.retryAfterSeconds) }
    }
  }
  if (signal.aborted) return { kind: 'aborted' }
  return { kind: 'error', error: new AiRequestError('ai_stream_cut', 'The answer stream ended early') }
}

function parseEvent(data: string): AiStreamEvent | null {
  try {
    const parsed = AiStreamEventSchema.safeParse(JSON.parse(data))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
