import { MAX_MESSAGE_CHARS } from '../../shared/ai/limits'
import { SseOverflowError, SseParser } from '../../shared/ai/sse'
import {
  ChunkSchema,
  CompletionSchema,
  ErrorChunkSchema,
  TokenCounter,
  failureForFetchError,
  failureForStatus,
  providerMessage,
  type ProviderFailure,
} from './upstream'

/** One message of an OpenAI-compatible chat completion request. */
export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } }
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string | ContentPart[]
}

/** Where answers come from: the server config's endpoint or a local Ollama. */
export interface ProviderTarget {
  baseUrl: string
  apiKey?: string
  model: string
  vision: boolean
}

export type StreamOutcome =
  | { kind: 'done'; finishReason: 'stop' | 'length' }
  /** The person stopped it, asked something else, or left. */
  | { kind: 'stopped' }
  | ({ kind: 'error' } & ProviderFailure)

export interface StreamRequest {
  target: ProviderTarget
  messages: ChatMessage[]
  maxTokens: number
  /** Longest wait for the first byte and between chunks. */
  timeoutMs: number
  /** Aborted when the client goes away or a newer question supersedes this one. */
  signal: AbortSignal
  onDelta(text: string): void
  now: () => number
  fetchImpl?: typeof fetch
}

/** Error bodies and non-streamed answers are read up to this size. */
const MAX_BODY_CHARS = 2_000_000
/** Providers that ignore max_tokens are cut a little past it (the estimate is rough). */
const TOKEN_SLACK = 1.2

type StopReason = 'stopped' | 'timeout' | 'length'

/**
 * One answer from an OpenAI-compatible chat-completions endpoint with
 * `stream: true`: every text delta is handed on the moment it is parsed. The
 * upstream request is cancelled at once when `signal` aborts, on timeout, or
 * when the answer passes maxTokens. Never throws: every failure is an outcome.
 */
export async function streamCompletion(req: StreamRequest): Promise<StreamOutcome> {
  const upstream = new AbortController()
  let stopReason: StopReason | null = null
  const stop = (reason: StopReason): void => {
    if (stopReason) return
    stopReason = reason
    upstream.abort(reason)
  }
  const onClientAbort = (): void => stop('stopped')
  if (req.signal.aborted) return { kind: 'stopped' }
  req.signal.addEventListener('abort', onClientAbort, { once: true })

  let timer: NodeJS.Timeout | undefined
  const arm = (): void => {
    clearTimeout(timer)
    timer = setTimeout(() => stop('timeout'), req.timeoutMs)
  }
  const timeoutFailure: ProviderFailure = { code: 'ai_provider_timeout', message: `The AI provider sent nothing for ${Math.round(req.timeoutMs / 1000)} s` }

  try {
    arm()
    let response: Response
    try {
      response = await (req.fetchImpl ?? fetch)(`${req.target.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'text/event-stream',
          ...(req.target.apiKey ? { Authorization: `Bearer ${req.target.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: req.target.model, messages: req.messages, stream: true, max_tokens: req.maxTokens }),
        signal: upstream.signal,
      })
    } catch (err) {
      if (stopReason === 'stopped') return { kind: 'stopped' }
      if (stopReason === 'timeout') return { kind: 'error', ...timeoutFailure }
      return { kind: 'error', ...failureForFetchError(err) }
    }

    if (!response.ok) {
      const body = await readText(response, 16_384).catch(() => '')
      return { kind: 'error', ...failureForStatus(response.status, body, response.headers.get('retry-after'), req.target.apiKey, req.now()) }
    }

    const contentType = response.headers.get('content-type') ?? ''
    if (contentType.includes('application/json')) return await wholeAnswer(response, req)
    if (!response.body) return { kind: 'error', code: 'ai_stream_cut', message: 'The AI provider sent an empty answer' }

    const reader = response.body.getReader()
    const decoder = new TextDecoder()
    const parser = new SseParser()
    const tokenLimit = Math.ceil(req.maxTokens * TOKEN_SLACK)
    const tokens = new TokenCounter()
    let chars = 0
    let finished: 'stop' | 'length' | null = null
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>
      try {
        chunk = await reader.read()
      } catch (err) {
        if (stopReason === 'stopped') return { kind: 'stopped' }
        if (stopReason === 'timeout') return { kind: 'error', ...timeoutFailure }
        if (stopReason === 'length') return { kind: 'done', finishReason: 'length' }
        return { kind: 'error', code: 'ai_stream_cut', message: `The AI provider's stream broke off: ${String(err)}`.slice(0, 300) }
      }
      if (chunk.done) break
      arm()
      let events
      try {
        events = parser.push(decoder.decode(chunk.value, { stream: true }))
      } catch (err) {
        stop('stopped')
        return { kind: 'error', code: 'ai_bad_chunk', message: err instanceof SseOverflowError ? err.message : 'Unreadable stream from the AI provider' }
      }
      for (const event of events) {
        const step = readEvent(event.data, req.target.apiKey)
        if (step.kind === 'failure') {
          stop('stopped')
          return { kind: 'error', ...step.failure }
        }
        if (step.kind === 'end') {
          stop('stopped') // [DONE]: release the connection even if the provider keeps it open
          return { kind: 'done', finishReason: finished ?? 'stop' }
        }
        if (step.text) {
          chars += step.text.length
          tokens.add(step.text)
          req.onDelta(step.text)
        }
        if (step.finish) finished = step.finish === 'length' ? 'length' : 'stop'
        if (tokens.total > tokenLimit || chars > MAX_MESSAGE_CHARS) {
          stop('length')
          return { kind: 'done', finishReason: 'length' }
        }
      }
    }
    // The provider closed the stream. With a finish_reason the answer is whole; without one it was cut.
    if (finished) return { kind: 'done', finishReason: finished }
    return { kind: 'error', code: 'ai_stream_cut', message: 'The AI provider ended the stream before the answer was complete' }
  } finally {
    clearTimeout(timer)
    req.signal.removeEventListener('abort', onClientAbort)
  }
}

type EventStep =
  | { kind: 'text'; text: string; finish: string | null }
  | { kind: 'end' }
  | { kind: 'failure'; failure: ProviderFailure }

/** One `data:` payload of the provider's stream, checked before use. */
function readEvent(data: string, apiKey: string | undefined): EventStep {
  if (data.trim() === '[DONE]') return { kind: 'end' }
  let json: unknown
  try {
    json = JSON.parse(data)
  } catch {
    return { kind: 'failure', failure: { code: 'ai_bad_chunk', message: 'The AI provider sent a chunk that is not JSON' } }
  }
  const error = ErrorChunkSchema.safeParse(json)
  if (error.success) {
    return { kind: 'failure', failure: { code: 'ai_provider_error', message: `The AI provider reported an error: ${providerMessage(data, apiKey)}` } }
  }
  const chunk = ChunkSchema.safeParse(json)
  if (!chunk.success) {
    return { kind: 'failure', failure: { code: 'ai_bad_chunk', message: 'The AI provider sent a chunk of an unknown shape' } }
  }
  const choice = chunk.data.choices[0]
  return { kind: 'text', text: choice?.delta?.content ?? '', finish: choice?.finish_reason ?? null }
}

/** A provider that answered `stream: true` with one JSON body: passed on as a single delta. */
async function wholeAnswer(response: Response, req: StreamRequest): Promise<StreamOutcome> {
  let parsed
  try {
    parsed = CompletionSchema.safeParse(JSON.parse(await readText(response, MAX_BODY_CHARS)))
  } catch {
    return { kind: 'error', code: 'ai_bad_chunk', message: 'The AI provider sent an answer that is not JSON' }
  }
  if (!parsed.success) return { kind: 'error', code: 'ai_bad_chunk', message: 'The AI provider sent an answer of an unknown shape' }
  const choice = parsed.data.choices[0]
  const text = choice?.message?.content ?? ''
  if (text) req.onDelta(text)
  return { kind: 'done', finishReason: choice?.finish_reason === 'length' ? 'length' : 'stop' }
}

/** A response body as text, at most `limit` characters (the rest is not read). */
async function readText(response: Response, limit: number): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
    if (text.length > limit) {
      await reader.cancel()
      return text.slice(0, limit)
    }
  }
  return text + decoder.decode()
}
