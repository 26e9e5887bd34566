import type { IncomingMessage, ServerResponse } from 'node:http'
import { CHAT_FILE_NAME_HEADER, type ChatFile } from '../../shared/chat/files'
import { CHAT_UPLOADS_PER_MINUTE, MAX_CHAT_FILE_BYTES } from '../../shared/chat/limits'
import { readBody } from '../http/body'
import { RateLimiter } from '../http/rateLimit'
import { BASE_HEADERS, HttpError } from '../http/respond'
import { RESPONDED, type Route } from '../http/routes'
import type { LessonAuth } from '../lesson/auth'
import type { ChatConversations } from './conversations'

const LESSON = '([0-9a-f-]{36})'

/** The file's name as its sender gave it (X-File-Name, URL-encoded); null when absent or unreadable. */
export function fileNameOf(req: IncomingMessage): string | null {
  const raw = req.headers[CHAT_FILE_NAME_HEADER]
  if (typeof raw !== 'string' || raw.length > 1024) return null
  try {
    return decodeURIComponent(raw)
  } catch {
    return null
  }
}

/** RFC 6266 filename*: the name as UTF-8, so Chinese names survive a download. */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** Who may touch a conversation's files: the conversation a route parameter names, and whose upload quota counts. */
export type FileAuthorizer = (req: IncomingMessage, param: string, action: 'upload' | 'download') => Promise<{ conversation: string; uploader: string }>

/**
 * Files of one kind of conversation: POST <base>/files (raw bytes; type
 * judged from the bytes, size and quota checked), GET <base>/files/<sha256>.
 * `base` is the route's pattern with one group, the conversation's parameter;
 * `authorize` decides who may do either, every time.
 */
export function chatFileRoutes(deps: { base: string; authorize: FileAuthorizer; conversations: ChatConversations; now: () => number; missing: string }): Route[] {
  const limiter = new RateLimiter({ perMinute: CHAT_UPLOADS_PER_MINUTE, now: deps.now })

  async function upload(req: IncomingMessage, param: string): Promise<ChatFile> {
    const { conversation, uploader } = await deps.authorize(req, param, 'upload')
    const verdict = limiter.take(`${conversation}:${uploader}`)
    if (!verdict.ok) throw new HttpError(429, 'rate_limited', 'Too many files; wait a moment', { retryAfterSeconds: verdict.retryAfterSeconds })
    const bytes = new Uint8Array(await readBody(req, MAX_CHAT_FILE_BYTES))
    if (bytes.length === 0) throw new HttpError(400, 'bad_request', 'The file is empty')
    return deps.conversations.addFile(conversation, fileNameOf(req) ?? 'file', bytes)
  }

  async function download(req: IncomingMessage, res: ServerResponse, param: string, id: string): Promise<typeof RESPONDED> {
    const { conversation } = await deps.authorize(req, param, 'download')
    const found = await deps.conversations.getFile(conversation, id)
    if (!found) throw new HttpError(404, 'not_found', deps.missing)
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': found.file.mime,
      'Content-Length': String(found.bytes.length),
      'Content-Disposition': disposition(found.file.name),
      // Opened directly, it is inert: no scripts, no plugins, no same-origin access.
      'Content-Security-Policy': "default-src 'none'; sandbox",
      // Content-addressed: the bytes behind an id never change.
      'Cache-Control': 'private, max-age=31536000, immutable',
    })
    res.end(req.method === 'HEAD' ? undefined : found.bytes)
    return RESPONDED
  }

  return [
    { method: 'POST', pattern: new RegExp(`^${deps.base}/files$`), handle: (req, _res, [param = '']) => upload(req, param) },
    {
      method: 'GET',
      pattern: new RegExp(`^${deps.base}/files/([0-9a-f]{64})$`),
      handle: (req, res, [param = '', id = '']) => download(req, res, param, id),
    },
  ]
}

/** Files in a lesson's chat: the lesson token of either person; uploads only while the lesson is live, downloads from its record after. */
export function lessonChatFileRoutes(deps: { auth: LessonAuth; conversations: ChatConversations; now: () => number }): Route[] {
  return chatFileRoutes({
    ...deps,
    base: `/api/chat/${LESSON}`,
    missing: 'No such file in this lesson',
    async authorize(req, lessonId, action) {
      // The record of an ended lesson is still readable by its people.
      const who = await deps.auth.request(req, action === 'upload' ? { lessonId, live: true } : { lessonId })
      return { conversation: lessonId, uploader: who.participantId }
    },
  })
}
