import { z } from 'zod'

/**
 * Every error the AI routes and the answer stream report, by stable code.
 * The panel translates the code (ai.errors.* in en / zh-CN); `message` is an
 * English fallback for logs and tools.
 */
export const AI_ERROR_CODES = [
  'bad_request',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'not_found',
  'lesson_ended',
  'rate_limited',
  'internal',
  /** No model is set up (neither in server config nor a local Ollama chosen by the tutor). */
  'ai_not_configured',
  /** The school's questions-per-student-per-day limit is used up (HTTP 429 + Retry-After). */
  'ai_daily_limit',
  /** A server policy pins the student mode; the tutor cannot change it. */
  'ai_mode_locked',
  'ai_provider_unreachable',
  'ai_provider_timeout',
  /** The provider refused the server's API key (its 401/403). */
  'ai_provider_auth',
  /** The provider's own rate limit (its 429, with its Retry-After). */
  'ai_provider_rate_limited',
  'ai_provider_error',
  /** The provider's stream ended before the answer did. */
  'ai_stream_cut',
  /** The provider sent a chunk that is not valid JSON of the expected shape. */
  'ai_bad_chunk',
  'ai_ollama_unavailable',
  /** This server allows the AI only inside lessons (config allowPractice: false). */
  'ai_practice_disabled',
] as const

export type AiErrorCode = (typeof AI_ERROR_CODES)[number]
export const AiErrorCodeSchema = z.enum(AI_ERROR_CODES)

/** JSON body of every non-2xx AI response. */
export const AiApiErrorSchema = z.object({
  error: z.object({
    code: AiErrorCodeSchema,
    message: z.string().max(500),
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
  }),
})
export type AiApiError = z.infer<typeof AiApiErrorSchema>
