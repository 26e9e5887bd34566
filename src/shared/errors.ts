import { z } from 'zod'

/**
 * Every error the session server reports, by stable code: HTTP bodies, the
 * lesson socket's `error` messages and the AI answer stream all use these.
 * Clients translate the code (errors.* in en / zh-CN; a feature may phrase a
 * code its own way, e.g. ai.errors.*); `message` is an English fallback for
 * logs and tools.
 */
export const ERROR_CODES = [
  // Any route.
  'bad_request',
  'payload_too_large',
  'not_found',
  'unauthorized',
  'forbidden',
  /** The request came from a web page of an origin this server does not serve. */
  'origin_not_allowed',
  /** Creating lessons (or a tutor's practice pass) needs this server's tutor key. */
  'tutor_key_required',
  'rate_limited',
  'internal',
  // Lessons and invites.
  'invite_not_found',
  'invite_expired',
  'lesson_full',
  /** Someone else now holds this lesson's student seat, so this student token opens nothing. */
  'seat_taken',
  'lesson_ended',
  // The AI panel.
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
  /** This server allows the AI only inside lessons (or not for students outside them). */
  'ai_practice_disabled',
  // The chat.
  /** The file is not a picture, PDF or office document (judged from its bytes, not its name). */
  'chat_file_unsupported',
  // Student records.
  /** This server has no database, so it keeps no rosters or student records. */
  'records_unavailable',
  /** No student on this roster has that id (or it is another tutor's). */
  'student_not_found',
  /** The personal code is not (or no longer) a student's: the tutor may have made a new one. */
  'student_code_invalid',
  /** The student's tutor has no lesson open for them to join right now. */
  'no_lesson_open',
  'homework_not_found',
  /** The homework is already reviewed (or the action does not fit its state). */
  'homework_closed',
  'flag_not_found',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export const ErrorCodeSchema = z.enum(ERROR_CODES)

/** JSON body of every non-2xx HTTP response, whichever route answered. */
export const ApiErrorSchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string().max(500),
    /** Set with 429 (and Retry-After): when asking again can succeed. */
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
  }),
})
export type ApiError = z.infer<typeof ApiErrorSchema>
