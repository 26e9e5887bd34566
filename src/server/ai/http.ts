import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import type { AiApiError, AiErrorCode } from '../../shared/ai/errors'
import { readBody } from '../http/body'
import { BASE_HEADERS, HttpError } from '../http/respond'
import { describeZodError } from '../../shared/zodError'

/**
 * The AI routes answer browsers on other origins (the desktop app's app://,
 * a student's LAN page) and need the Authorization header, so their
 * preflight allows it; tokens never travel in cookies, so "*" is safe.
 */
export const AI_CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
  'Access-Control-Expose-Headers': 'Retry-After',
  'Access-Control-Max-Age': '600',
}

/** An error that becomes a JSON AiApiError response. */
export class AiHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: AiErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
  }
}

export function sendAiJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...BASE_HEADERS,
    ...AI_CORS_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...headers,
  })
  res.end(text)
}

export function sendAiError(res: ServerResponse, err: AiHttpError, extraHeaders: Record<string, string> = {}): void {
  const body: AiApiError = { error: { code: err.code, message: err.message.slice(0, 500) } }
  const headers = { ...extraHeaders }
  if (err.retryAfterSeconds !== undefined) {
    body.error.retryAfterSeconds = err.retryAfterSeconds
    headers['Retry-After'] = String(err.retryAfterSeconds)
  }
  sendAiJson(res, err.status, body, headers)
}

/** The shared body reader's HttpError (413, ...) as an AI error. */
export function toAiHttpError(err: unknown): AiHttpError | null {
  if (err instanceof AiHttpError) return err
  if (err instanceof HttpError) {
    const code = err.code === 'payload_too_large' ? 'payload_too_large' : 'bad_request'
    return new AiHttpError(err.status, code, err.message)
  }
  return null
}

/** Content-Type check, size limit, JSON parse and schema validation, each with a clear error. */
export async function readAiJson<T>(req: IncomingMessage, schema: z.ZodType<T>, limit: number): Promise<T> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/json') throw new AiHttpError(415, 'bad_request', 'Content-Type must be application/json')
  const raw = await readBody(req, limit)
  let json: unknown
  try {
    json = JSON.parse(raw.toString('utf8'))
  } catch {
    throw new AiHttpError(400, 'bad_request', 'Request body is not valid JSON')
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw new AiHttpError(400, 'bad_request', describeZodError(parsed.error, 'body'))
  return parsed.data
}

/** Headers that open a text/event-stream; proxies must not buffer it. */
export const EVENT_STREAM_HEADERS: Record<string, string> = {
  ...BASE_HEADERS,
  ...AI_CORS_HEADERS,
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
}
