import { z } from 'zod'
import type { ErrorCode } from '../../shared/errors'

/**
 * The parts of an OpenAI-compatible stream chunk Duet reads. Unknown keys are
 * ignored; a chunk with no choices (usage, content-filter notes) carries no text.
 */
export const ChunkSchema = z.object({
  choices: z
    .array(
      z.object({
        delta: z.object({ content: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .default([]),
})

/** Some providers report a failure inside the stream instead of with a status. */
export const ErrorChunkSchema = z.object({
  error: z.union([z.string(), z.object({ message: z.string().nullish() })]),
})

/** A provider that ignored `stream: true` and answered in one JSON body. */
export const CompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
})

export interface ProviderFailure {
  code: ErrorCode
  message: string
  retryAfterSeconds?: number
}

/** Retry-After as seconds, from either form the header may take (seconds or an HTTP date). */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Math.min(86_400, Number(trimmed))
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.min(86_400, Math.max(0, Math.ceil((date - now) / 1000)))
}

/** Anything that looks like a secret is removed before a provider's words reach a client or a log. */
export function redact(text: string, apiKey: string | undefined): string {
  let out = text
  if (apiKey) out = out.split(apiKey).join('[redacted]')
  return out.replace(/\b(sk|key|token)[-_][A-Za-z0-9_-]{8,}/gi, '[redacted]').replace(/Bearer\s+\S+/gi, 'Bearer [redacted]')
}

/** The provider's own error message from an error body (JSON or text), shortened and redacted. */
export function providerMessage(body: string, apiKey: string | undefined): string {
  let message = body
  try {
    const parsed = ErrorChunkSchema.safeParse(JSON.parse(body))
    if (parsed.success) message = typeof parsed.data.error === 'string' ? parsed.data.error : (parsed.data.error.message ?? '')
  } catch {
    // not JSON: keep the text
  }
  return redact(message.replace(/\s+/g, ' ').trim(), apiKey).slice(0, 300)
}

/** A provider's HTTP error status, as the panel explains it. */
export function failureForStatus(status: number, body: string, retryAfter: string | null, apiKey: string | undefined, now: number): ProviderFailure {
  const detail = providerMessage(body, apiKey)
  const suffix = detail ? `: ${detail}` : ''
  if (status === 401 || status === 403) {
    return { code: 'ai_provider_auth', message: `The AI provider refused the server's API key (HTTP ${status})${suffix}` }
  }
  if (status === 429) {
    return {
      code: 'ai_provider_rate_limited',
      message: `The AI provider is rate limiting requests (HTTP 429)${suffix}`,
      retryAfterSeconds: parseRetryAfter(retryAfter, now) ?? 20,
    }
  }
  if (status === 408 || status === 504) return { code: 'ai_provider_timeout', message: `The AI provider timed out (HTTP ${status})${suffix}` }
  return { code: 'ai_provider_error', message: `The AI provider answered HTTP ${status}${suffix}` }
}

/** A fetch that failed before any answer: unreachable (refused, DNS, TLS) unless it was our timeout. */
export function failureForFetchError(err: unknown): ProviderFailure {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : ''
  const text = cause instanceof Error ? cause.message : String(cause)
  return { code: 'ai_provider_unreachable', message: `Cannot reach the AI provider${code ? ` (${code})` : ''}: ${text}`.slice(0, 300) }
}

const CJK = /[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]/g

/** Rough tokens in a text: one per CJK character, one per four other characters. */
export function estimateTokens(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0
  return cjk + Math.ceil((text.length - cjk) / 4)
}

/** estimateTokens over a stream of deltas, without rescanning what came before. */
export class TokenCounter {
  private cjk = 0
  private other = 0

  add(text: string): void {
    const cjk = text.match(CJK)?.length ?? 0
    this.cjk += cjk
    this.other += text.length - cjk
  }

  get total(): number {
    return this.cjk + Math.ceil(this.other / 4)
  }
}
