import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ApiError, ErrorCode } from '../../shared/errors'

/** An error that becomes a JSON ApiError response with this status (the one error type of every route). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly options: { retryAfterSeconds?: number; headers?: Record<string, string> } = {},
  ) {
    super(message)
  }

  get headers(): Record<string, string> {
    const retry = this.options.retryAfterSeconds
    return { ...(retry === undefined ? {} : { 'Retry-After': String(retry) }), ...this.options.headers }
  }
}

/** Headers every response carries; HTML adds a CSP on top (staticFiles.ts). */
export const BASE_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...headers,
  })
  res.end(text)
}

export function sendError(res: ServerResponse, error: HttpError, headers: Record<string, string> = {}): void {
  const body: ApiError = { error: { code: error.code, message: error.message.slice(0, 500) } }
  if (error.options.retryAfterSeconds !== undefined) body.error.retryAfterSeconds = error.options.retryAfterSeconds
  sendJson(res, error.status, body, { ...error.headers, ...headers })
}

/** Client address for rate limiting. We do not trust X-Forwarded-For (no proxy is assumed). */
export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown'
}
