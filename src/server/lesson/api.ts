import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  CreateLessonRequestSchema,
  JoinRequestSchema,
  type CreateLessonResponse,
  type InvitePreview,
  type JoinResponse,
  type PublicConfig,
} from '../../shared/lesson/api'
import type { IceServer } from '../../shared/lesson/ice'
import { InviteCodeSchema, inviteDeepLink, inviteUrl, normalizeInviteCode } from '../../shared/lesson/invite'
import { readJson } from '../http/body'
import type { Logger } from '../logger'
import { HttpError, clientIp, sendError, sendJson } from '../http/respond'
import type { LessonRegistry } from './registry'
import type { StoredLesson } from './store'
import type { RateLimiter } from '../http/rateLimit'
import type { TokenService } from './tokens'

export interface ApiDeps {
  registry: LessonRegistry
  tokens: TokenService
  limiter: RateLimiter
  logger: Logger
  now: () => number
  version: string
  iceServers: IceServer[]
  publicUrl: () => string
  tokenTtlMs: number
}

type Handler = (req: IncomingMessage, params: string[]) => Promise<unknown>
interface Route {
  pattern: RegExp
  methods: Partial<Record<'GET' | 'POST', Handler>>
}

// Students' desktop app calls from app://duet and browsers from other LAN
// origins; tokens travel in bodies, never cookies, so "*" without credentials is safe.
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '600',
}

export function createApi(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void> {
  const { registry, tokens, now } = deps

  /** Finds the lesson behind an invite code, or throws the matching 404/410. */
  function lessonForCode(rawCode: string): StoredLesson {
    let decoded: string
    try {
      decoded = decodeURIComponent(rawCode)
    } catch {
      decoded = ''
    }
    const code = normalizeInviteCode(decoded)
    registry.sweep()
    const lesson = InviteCodeSchema.safeParse(code).success ? registry.getByCode(code) : undefined
    if (!lesson) throw new HttpError(404, 'invite_not_found', 'No lesson has this invite code; check it and try again')
    if (lesson.endedAt !== null) throw new HttpError(410, 'lesson_ended', 'This lesson has already ended')
    if (now() >= lesson.inviteExpiresAt) throw new HttpError(410, 'invite_expired', 'This invite has expired; ask your tutor for a new one')
    return lesson
  }

  const routes: Route[] = [
    {
      pattern: /^\/api\/health$/,
      methods: { GET: async () => ({ ok: true, version: deps.version }) },
    },
    {
      pattern: /^\/api\/config$/,
      methods: {
        GET: async (): Promise<PublicConfig> => ({ version: deps.version, engine: 'builtin', iceServers: deps.iceServers }),
      },
    },
    {
      pattern: /^\/api\/lessons$/,
      methods: {
        POST: async (req): Promise<CreateLessonResponse> => {
          const { tutorName } = await readJson(req, CreateLessonRequestSchema)
          const lesson = registry.create(tutorName)
          if (!lesson) throw new HttpError(503, 'rate_limited', 'This server holds too many lessons right now; try again later')
          const tutorToken = await tokens.sign(
            { sub: lesson.tutorId, lid: lesson.id, role: 'tutor', name: tutorName },
            lesson.tokensValidUntil,
          )
          deps.logger.info('Lesson created', { lessonId: lesson.id })
          return {
            lessonId: lesson.id,
            inviteCode: lesson.inviteCode,
            inviteUrl: inviteUrl(deps.publicUrl(), lesson.inviteCode),
            inviteDeepLink: inviteDeepLink(deps.publicUrl(), lesson.inviteCode),
            inviteExpiresAt: lesson.inviteExpiresAt,
            tutorToken,
            participantId: lesson.tutorId,
          }
        },
      },
    },
    {
      pattern: /^\/api\/invites\/([^/]+)$/,
      methods: {
        GET: async (_req, [code = '']): Promise<InvitePreview> => {
          const lesson = lessonForCode(code)
          return { lessonId: lesson.id, tutorName: lesson.tutorName, expiresAt: lesson.inviteExpiresAt }
        },
      },
    },
    {
      pattern: /^\/api\/invites\/([^/]+)\/join$/,
      methods: {
        POST: async (req, [code = '']): Promise<JoinResponse> => {
          // Validate the body first so a bad request never depends on lesson state.
          const { studentName } = await readJson(req, JoinRequestSchema)
          const lesson = lessonForCode(code)
          if (registry.isPresent(lesson, 'student')) {
            throw new HttpError(409, 'lesson_full', 'Another student is already in this lesson')
          }
          const expiresAt = now() + deps.tokenTtlMs
          const participantId = randomUUID()
          const studentToken = await tokens.sign(
            { sub: participantId, lid: lesson.id, role: 'student', name: studentName },
            expiresAt,
          )
          registry.noteToken(lesson, expiresAt)
          return { lessonId: lesson.id, tutorName: lesson.tutorName, studentToken, participantId }
        },
      },
    },
  ]

  return async (req, res, pathname) => {
    const method = req.method ?? 'GET'
    const route = routes.find((r) => r.pattern.test(pathname))
    if (!route) return sendError(res, 404, 'not_found', `No API route ${pathname}`, CORS_HEADERS)
    const allowed = [...Object.keys(route.methods), 'OPTIONS'].join(', ')
    if (method === 'OPTIONS') {
      res.writeHead(204, { ...CORS_HEADERS, Allow: allowed })
      res.end()
      return
    }
    const handler = route.methods[method as 'GET' | 'POST']
    if (!handler) {
      return sendError(res, 405, 'bad_request', `Method ${method} is not allowed on ${pathname}`, { ...CORS_HEADERS, Allow: allowed })
    }
    try {
      if (method === 'POST') {
        const verdict = deps.limiter.take(clientIp(req))
        if (!verdict.ok) {
          throw new HttpError(429, 'rate_limited', 'Too many requests; slow down', {
            'Retry-After': String(verdict.retryAfterSeconds),
          })
        }
      }
      const params = route.pattern.exec(pathname)?.slice(1) ?? []
      sendJson(res, 200, await handler(req, params), CORS_HEADERS)
    } catch (err) {
      // Refused before reading the whole body: close rather than drain an unbounded upload.
      const close: Record<string, string> = req.complete ? {} : { Connection: 'close' }
      if (err instanceof HttpError) {
        sendError(res, err.status, err.code, err.message, { ...CORS_HEADERS, ...close, ...err.headers })
      } else {
        deps.logger.error('API handler failed', { path: pathname, error: err instanceof Error ? err.stack : String(err) })
        sendError(res, 500, 'internal', 'Internal server error', { ...CORS_HEADERS, ...close })
      }
    }
  }
}
