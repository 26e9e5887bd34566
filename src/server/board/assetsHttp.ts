import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ASSET_MIMES, sniffAsset, type AssetUploadResponse } from '../../shared/board/assets'
import { MAX_ASSET_BYTES, MAX_LESSON_ASSET_BYTES } from '../../shared/board/limits'
import { readBody } from '../http/body'
import type { Logger } from '../logger'
import { BASE_HEADERS, HttpError, clientIp } from '../http/respond'
import { RESPONDED, type Route } from '../http/routes'
import { bearerToken, type LessonAuth } from '../lesson/auth'
import type { RateLimiter } from '../http/rateLimit'
import { BoardAuthError, authenticateBoard, type BoardPrincipal } from './auth'
import type { BoardLocks } from './locks'
import type { BoardStore } from './store'

export interface AssetHttpDeps {
  store: BoardStore
  locks: BoardLocks
  auth: LessonAuth
  limiter: RateLimiter
  logger: Logger
}

/** POST /api/board/<lesson>/assets uploads course material; GET …/assets/<sha256> reads it back. */
export function assetRoutes(deps: AssetHttpDeps): Route[] {
  async function principal(req: IncomingMessage, lessonId: string): Promise<BoardPrincipal> {
    try {
      return await authenticateBoard(deps.auth, bearerToken(req.headers.authorization), lessonId)
    } catch (err) {
      if (err instanceof BoardAuthError && err.reason === 'lesson_ended') throw new HttpError(410, 'lesson_ended', 'This lesson has ended')
      throw new HttpError(401, 'unauthorized', 'A valid lesson token for this lesson is required')
    }
  }

  async function upload(req: IncomingMessage, lessonId: string): Promise<AssetUploadResponse> {
    const verdict = deps.limiter.take(clientIp(req))
    if (!verdict.ok) throw new HttpError(429, 'rate_limited', 'Too many uploads; slow down', { retryAfterSeconds: verdict.retryAfterSeconds })
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
    return { id, mime: kind.mime, bytes: bytes.length }
  }

  async function download(req: IncomingMessage, res: ServerResponse, lessonId: string, id: string): Promise<typeof RESPONDED> {
    await principal(req, lessonId)
    const asset = deps.store.getAsset(lessonId, id)
    if (!asset) throw new HttpError(404, 'not_found', 'No such asset in this lesson')
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': asset.mime,
      'Content-Length': String(asset.bytes.length),
      // Content-addressed: the bytes behind an id never change.
      'Cache-Control': 'private, max-age=31536000, immutable',
      'Content-Disposition': 'attachment',
    })
    res.end(req.method === 'HEAD' ? undefined : asset.bytes)
    return RESPONDED
  }

  return [
    { method: 'POST', pattern: /^\/api\/board\/([0-9a-f-]{36})\/assets$/, handle: (req, _res, [lessonId = '']) => upload(req, lessonId) },
    {
      method: 'GET',
      pattern: /^\/api\/board\/([0-9a-f-]{36})\/assets\/([0-9a-f]{64})$/,
      handle: (req, res, [lessonId = '', id = '']) => download(req, res, lessonId, id),
    },
  ]
}
