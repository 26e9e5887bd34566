import type { z } from 'zod'
import { ApiErrorSchema } from '../../shared/errors'
import { ApiRequestError } from './ApiRequestError'

const TIMEOUT_MS = 10_000

/**
 * One JSON call to a session server, for every typed client of its HTTP
 * API: the reply is validated against `schema`; a server error, an
 * unreachable server and a reply Duet does not understand each become an
 * ApiRequestError the UI can translate. `bearer`: a tutor key, a lesson
 * token or a student's personal code.
 */
export async function apiRequest<T>(
  server: string,
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
  schema: z.ZodType<T>,
  bearer?: string | null,
  /** `keepalive`: the request outlives the page (a Leave as the window closes). `timeoutMs`: 10 s unless said. */
  options: { keepalive?: boolean; timeoutMs?: number } = {},
): Promise<T> {
  let response: Response
  try {
    response = await fetch(new URL(path, server), {
      method,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
      keepalive: options.keepalive ?? false,
    })
  } catch (error) {
    throw new ApiRequestError('network', String(error), server)
  }
  if (!response.ok) throw await errorFromResponse(response, server)
  const json: unknown = await response.json().catch(() => null)
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw new ApiRequestError('unexpected', 'The server sent a reply Duet does not understand.', server)
  return parsed.data
}

/** A non-2xx response as an ApiRequestError: the server's code and message, and how long it asked us to wait (its error or Retry-After). */
export async function errorFromResponse(response: Response, server: string): Promise<ApiRequestError> {
  const parsed = ApiErrorSchema.safeParse(await response.json().catch(() => null))
  const header = Number(response.headers.get('retry-after'))
  const retryAfter = parsed.success && parsed.data.error.retryAfterSeconds !== undefined ? parsed.data.error.retryAfterSeconds : Number.isFinite(header) && header > 0 ? header : undefined
  if (parsed.success) return new ApiRequestError(parsed.data.error.code, parsed.data.error.message, server, retryAfter)
  return new ApiRequestError('unexpected', `HTTP ${response.status}`, server, retryAfter)
}
