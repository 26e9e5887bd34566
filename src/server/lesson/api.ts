import { randomUUID, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import {
  CreateLessonRequestSchema,
  JoinRequestSchema,
  type CreateLessonResponse,
  type InvitePreview,
  type JoinResponse,
  type NewInviteResponse,
  type PublicConfig,
} from '../../shared/lesson/api'
import { InviteCodeSchema, inviteDeepLink, inviteUrl, normalizeInviteCode } from '../../shared/lesson/invite'
import { readJson } from '../http/body'
import type { Logger } from '../logger'
import { HttpError, clientIp } from '../http/respond'
import type { RateLimiter } from '../http/rateLimit'
import type { Route } from '../http/routes'
import { bearerToken, endedError, type LessonAuth } from './auth'
import type { LessonRegistry } from './registry'
import type { StoredLesson } from './store'
import type { TokenService } from './tokens'

export interface ApiDeps {
  registry: LessonRegistry
  tokens: TokenService
  auth: LessonAuth
  /** POSTs per client address. */
  limiter: RateLimiter
  /** Invite look-ups per client address (codes must not be guessed by the thousand). */
  inviteLimiter: RateLimiter
  logger: Logger
  now: () => number
  version: string
  publicUrl: () => string
  tokenTtlMs: number
  /** Who may create lessons; see TutorKeys. */
  tutorKeys: TutorKeys
}

/**
 * Who may create lessons (and get a tutor's AI practice pass). The desktop
 * app's embedded server gets a secret its main process holds and hands only
 * to its own window; a school server gets the keys its admin hands tutors.
 * With no keys configured (a standalone server on a trusted network) anyone
 * who reaches the server may; the server says so in its log at start.
 */
export class TutorKeys {
  private readonly keys: Buffer[]

  constructor(keys: readonly string[]) {
    this.keys = keys.map((k) => Buffer.from(k))
  }

  get required(): boolean {
    return this.keys.length > 0
  }

  /** True when no key is required or the request carries one of them (compared in constant time). */
  admits(req: IncomingMessage): boolean {
    if (!this.required) return true
    const given = Buffer.from(bearerToken(req.headers.authorization))
    return this.keys.some((key) => key.length === given.length && timingSafeEqual(key, given))
  }

  /** Throws tutor_key_required (401) unless admitted. */
  demand(req: IncomingMessage): void {
    if (!this.admits(req)) throw new HttpError(401, 'tutor_key_required', 'Starting a lesson on this server needs its tutor key')
  }
}

function take(limiter: RateLimiter, req: IncomingMessage, message: string): void {
  const verdict = limiter.take(clientIp(req))
  if (!verdict.ok) throw new HttpError(429, 'rate_limited', message, { retryAfterSeconds: verdict.retryAfterSeconds })
}

/** The lesson HTTP API: health, public config, creating lessons, invite previews and joins. */
export function lessonRoutes(deps: ApiDeps): Route[] {
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
    // A code the tutor replaced, or one past its time, is an expired invite (even if its unused lesson was closed for it).
    const inviteOver = code !== lesson.inviteCode || now() >= lesson.inviteExpiresAt
    if (lesson.endedAt !== null && !(inviteOver && lesson.endedBy === 'expired')) throw endedError(lesson)
    if (inviteOver) throw new HttpError(410, 'invite_expired', 'This invite has expired; ask your tutor for a new one')
    return lesson
  }

  function inviteLinks(code: string): Pick<CreateLessonResponse, 'inviteCode' | 'inviteUrl' | 'inviteDeepLink'> {
    return { inviteCode: code, inviteUrl: inviteUrl(deps.publicUrl(), code), inviteDeepLink: inviteDeepLink(deps.publicUrl(), code) }
  }

  return [
    { method: 'GET', pattern: /^\/api\/health$/, handle: async () => ({ ok: true, version: deps.version }) },
    {
      // ICE servers (and their TURN credentials) go only to participants, in the lesson socket's welcome.
      method: 'GET',
      pattern: /^\/api\/config$/,
      handle: async (): Promise<PublicConfig> => ({ version: deps.version, engine: 'builtin', tutorKeyRequired: deps.tutorKeys.required }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/lessons$/,
      handle: async (req): Promise<CreateLessonResponse> => {
        take(deps.limiter, req, 'Too many requests; slow down')
        deps.tutorKeys.demand(req)
        const { tutorName } = await readJson(req, CreateLessonRequestSchema)
        const lesson = registry.create(tutorName)
        if (!lesson) throw new HttpError(503, 'rate_limited', 'This server holds too many lessons right now; try again later')
        const tutorToken = await tokens.sign({ sub: lesson.tutorId, lid: lesson.id, role: 'tutor', name: tutorName }, lesson.tokensValidUntil)
        deps.logger.info('Lesson created', { lessonId: lesson.id })
        return { lessonId: lesson.id, ...inviteLinks(lesson.inviteCode), inviteExpiresAt: lesson.inviteExpiresAt, tutorToken, participantId: lesson.tutorId }
      },
    },
    {
      // The tutor's "New invite": only the lesson's own tutor, only while it runs.
      method: 'POST',
      pattern: /^\/api\/lessons\/([0-9a-fA-F-]{1,64})\/invite$/,
      handle: async (req, _res, [lessonId = '']): Promise<NewInviteResponse> => {
        take(deps.limiter, req, 'Too many requests; slow down')
        const { lesson } = await deps.auth.tutor(req, { lessonId, live: true })
        registry.newInvite(lesson)
        deps.logger.info('New invite', { lessonId: lesson.id })
        return { ...inviteLinks(lesson.inviteCode), inviteExpiresAt: lesson.inviteExpiresAt }
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/invites\/([^/]+)$/,
      handle: async (req, _res, [code = '']): Promise<InvitePreview> => {
        take(deps.inviteLimiter, req, 'Too many invite look-ups; wait a moment')
        const lesson = lessonForCode(code)
        return { lessonId: lesson.id, tutorName: lesson.tutorName, expiresAt: lesson.inviteExpiresAt }
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/invites\/([^/]+)\/join$/,
      handle: async (req, _res, [code = '']): Promise<JoinResponse> => {
        take(deps.limiter, req, 'Too many requests; slow down')
        // Validate the body first so a bad request never depends on lesson state.
        const { studentName } = await readJson(req, JoinRequestSchema)
        const lesson = lessonForCode(code)
        const participantId = randomUUID()
        // The seat goes to this new identity only if nobody holds it; otherwise no token at all.
        if (!registry.takeSeat(lesson, participantId)) throw new HttpError(409, 'lesson_full', 'Another student is already in this lesson')
        const expiresAt = now() + deps.tokenTtlMs
        const studentToken = await tokens.sign({ sub: participantId, lid: lesson.id, role: 'student', name: studentName }, expiresAt)
        registry.noteToken(lesson, expiresAt)
        return { lessonId: lesson.id, tutorName: lesson.tutorName, studentToken, participantId }
      },
    },
  ]
}
