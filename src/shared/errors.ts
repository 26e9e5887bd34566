import { z } from 'zod'

/**
 * Every error the session server can report, by stable code. Clients translate
 * the code (zh-CN / en); `message` is an English fallback for logs and tools.
 */
export const ERROR_CODES = [
  'bad_request',
  'payload_too_large',
  'not_found',
  'unauthorized',
  'forbidden',
  'invite_not_found',
  'invite_expired',
  'lesson_full',
  'lesson_ended',
  'rate_limited',
  'internal',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export const ErrorCodeSchema = z.enum(ERROR_CODES)

/** JSON body of every non-2xx HTTP response. */
export const ApiErrorSchema = z.object({
  error: z.object({ code: ErrorCodeSchema, message: z.string().max(500) }),
})
export type ApiError = z.infer<typeof ApiErrorSchema>
