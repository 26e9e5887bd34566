import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ApiError, ErrorCode } from '../../shared/errors'

/** An error that becomes a JSON ApiError response with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

/** Headers every response carries; HTML adds a CSP on top (static-files.ts). */
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

export function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  const body: ApiError = { error: { code, message: message.slice(0, 500) } }
  sendJson(res, status, body, headers)
}


/** Client address for rate limiting. We do not trust X-Forwarded-For (no proxy is assumed). */
export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown'
}
