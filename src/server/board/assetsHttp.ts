import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ASSET_MIMES, sniffAsset, type AssetUploadResponse } from '../../shared/board/assets'
import { MAX_ASSET_BYTES, MAX_LESSON_ASSET_BYTES } from '../../shared/board/limits'
import { readBody } from '../http/body'
import type { Logger } from '../logger'
import { BASE_HEADERS, HttpError, clientIp, sendError, sendJson } from '../http/respond'
import type { LessonRegistry } from '../lesson/registry'
import type { RateLimiter } from '../http/rateLimit'
import type { TokenService } from '../lesson/tokens'
import { BoardAuthError, authenticateBoard, bearerToken, type BoardPrincipal } from './auth'
import type { BoardLocks } from './locks'
import type { BoardStore } from './store'

export interface AssetHttpDeps {
  store: BoardStore
  locks: BoardLocks
  tokens: TokenService
  registry: LessonRegistry
  limiter: RateLimiter
  logger: Logger
}

export const ASSET_ROUTE_PREFIX = '/api/board/'
const UPLOAD = /^\/api\/board\/([0-9a-f-]{36})\/assets$/
const DOWNLOAD = /^\/api\/board\/([0-9a-f-]{36})\/assets\/([0-9a-f]{64})$/

// Tokens travel in the Authorization header, never cookies, so any origin may ask.
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
  'Access-Control-Max-Age': '600',
}

/** POST /api/board/<lesson>/assets uploads course material; GET …/assets/<sha256> reads it back. */
export function createAssetHandler(deps: AssetHttpDeps): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void> {
  async function principal(req: IncomingMessage, lessonId: string): Promise<BoardPrincipal> {
    try {
      return await authenticateBoard(deps, bearerToken(req.headers.authorization), lessonId)
    } catch (err) {
      if (err instanceof BoardAuthError && err.reason === 'lesson_ended') throw new HttpError(410, 'lesson_ended', 'This lesson has ended')
      throw new HttpError(401, 'unauthorized', 'A valid lesson token for this lesson is required')
    }
  }

  async function upload(req: IncomingMessage, res: ServerResponse, lessonId: string): Promise<void> {
    const verdict = deps.limiter.take(clientIp(req))
    if (!verdict.ok) throw new HttpError(429, 'rate_limited', 'Too many uploads; slow down', { 'Retry-After': String(verdict.retryAfterSeconds) })
    const who = await principal(req, lessonId)
    if (who.role === 'student' && deps.locks.isLocked(lessonId)) throw new HttpError(403, 'forbidden', 'The board is view-only for the student')
    const declared = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    if (!(ASSET_MIMES as readonly string[]).includes(declared)) throw new HttpError(415, 'bad_request', `Content-Type must be one of ${ASSET_MIMES.join(', ')}`)
    const bytes = new Uint8Array(await readBody(req, MAX_ASSET_BYTES))
    const kind = sniffAsset(bytes)
    if (!kind || kind.mime !== declared) throw new HttpError(400, 'bad_request', 'The file is not the PDF or image it claims to be')
    const id = createHash('sha256').update(bytes).digest('hex')
    if (!deps.store.getAsset(lessonId, id)) {
      if (deps.store.assetBytes(lessonId) + bytes.length > MAX_LESSON_ASSET_BYTES) {
        throw new HttpError(413, 'payload_too_large', `A lesson holds at most ${MAX_LESSON_ASSET_BYTES} bytes of course material`)
      }
      deps.store.putAsset(lessonId, id, bytes)
      deps.logger.info('Board asset stored', { lessonId, id, bytes: bytes.length, mime: kind.mime, by: who.role })
    }
    const body: AssetUploadResponse = { id, mime: kind.mime, bytes: bytes.length }
    sendJson(res, 200, body, CORS_HEADERS)
  }

  async function download(req: IncomingMessage, res: ServerResponse, lessonId: string, id: string): Promise<void> {
    await principal(req, lessonId)
    const asset = deps.store.getAsset(lessonId, id)
    if (!asset) throw new HttpError(404, 'not_found', 'No such asset in this lesson')
    res.writeHead(200, {
      ...BASE_HEADERS,
      ...CORS_HEADERS,
      'Content-Type': asset.mime,
      'Content-Length': String(asset.bytes.length),
      // Content-addressed: the bytes behind an id never change.
      'Cache-Control': 'private, max-age=31536000, immutable',
      'Content-Disposition': 'attachment',
    })
    res.end(req.method === 'HEAD' ? undefined : asset.bytes)
  }

  return async (req, res, pathname) => {
    const method = req.method ?? 'GET'
    const up = UPLOAD.exec(pathname)
    const down = DOWNLOAD.exec(pathname)
    if (!up && !down) return sendError(res, 404, 'not_found', `No board route ${pathname}`, CORS_HEADERS)
    if (method === 'OPTIONS') {
      res.writeHead(204, { ...CORS_HEADERS, Allow: up ? 'POST, OPTIONS' : 'GET, HEAD, OPTIONS' })
      res.end()
      return
    }
    try {
      if (up && method === 'POST') return await upload(req, res, up[1] ?? '')
      if (down && (method === 'GET' || method === 'HEAD')) return await download(req, res, down[1] ?? '', down[2] ?? '')
      throw new HttpError(405, 'bad_request', `Method ${method} is not allowed on ${pathname}`, { Allow: up ? 'POST, OPTIONS' : 'GET, HEAD, OPTIONS' })
    } catch (err) {
      // Refused before reading the whole body: close rather than drain an unbounded upload.
      const close: Record<string, string> = req.complete ? {} : { Connection: 'close' }
      if (err instanceof HttpError) return sendError(res, err.status, err.code, err.message, { ...CORS_HEADERS, ...close, ...err.headers })
      deps.logger.error('Board asset request failed', { path: pathname, error: err instanceof Error ? err.stack : String(err) })
      sendError(res, 500, 'internal', 'Internal server error', { ...CORS_HEADERS, ...close })
    }
  }
}
