import { randomUUID } from 'node:crypto'
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
import { endedError, type LessonAuth, type LessonParticipant } from './auth'
import type { TutorKeys } from './tutorKeys'
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
  /** Whose roster a new lesson belongs to, and attribution of invite joins (student records; a server without them owns nothing). */
  owners: LessonOwners
  /** Someone pressed Leave while their lesson socket was down: the room lets them go (LessonSockets.leave). */
  leave: (who: LessonParticipant) => void
}

/** Student records' side of creating and joining lessons (src/server/students). */
export interface LessonOwners {
  /** The account (and, when the tutor started it from a student's record, the student) a new lesson belongs to; throws an HttpError when the student is not theirs. */
  forNewLesson(req: IncomingMessage, tutorName: string, studentId: string | undefined): Promise<{ accountId: string | null; studentId: string | null }>
  /** A student joined with a one-off invite from a device that keeps their personal code: the lesson becomes theirs if it is on their tutor's roster. */
  inviteJoined(lesson: StoredLesson, studentCode: string): Promise<void>
}

export const NO_OWNERS: LessonOwners = {
  forNewLesson: async () => ({ accountId: null, studentId: null }),
  inviteJoined: async () => {},
}

/** Gives the seat to a new student identity and a token for it; 409 lesson_full when someone holds the seat. */
export async function admitStudent(
  deps: Pick<ApiDeps, 'registry' | 'tokens' | 'now' | 'tokenTtlMs'>,
  lesson: StoredLesson,
  studentName: string,
): Promise<JoinResponse> {
  const participantId = randomUUID()
  // The seat goes to this new identity only if nobody holds it; otherwise no token at all.
  if (!deps.registry.takeSeat(lesson, participantId)) throw new HttpError(409, 'lesson_full', 'Another student is already in this lesson')
  const expiresAt = deps.now() + deps.tokenTtlMs
  const studentToken = await deps.tokens.sign({ sub: participantId, lid: lesson.id, role: 'student', name: studentName }, expiresAt)
  deps.registry.noteToken(lesson, expiresAt)
  return { lessonId: lesson.id, tutorName: lesson.tutorName, studentToken, participantId }
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
        const { tutorName, studentId } = await readJson(req, CreateLessonRequestSchema)
        const lesson = registry.create(tutorName, await deps.owners.forNewLesson(req, tutorName, studentId))
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
      // Leave said over HTTP: the app sends it when its lesson socket is down (reconnecting), so the other
      // person hears "left" at once instead of waiting out the seat's grace period. Only the person themself.
      method: 'POST',
      pattern: /^\/api\/lessons\/([0-9a-fA-F-]{1,64})\/leave$/,
      handle: async (req, _res, [lessonId = '']): Promise<{ ok: true }> => {
        take(deps.limiter, req, 'Too many requests; slow down')
        deps.leave(await deps.auth.request(req, { lessonId, live: true }))
        return { ok: true }
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
        const { studentName, studentCode } = await readJson(req, JoinRequestSchema)
        const lesson = lessonForCode(code)
        const joined = await admitStudent(deps, lesson, studentName)
        if (studentCode !== undefined) await deps.owners.inviteJoined(lesson, studentCode)
        return joined
      },
    },
  ]
}
