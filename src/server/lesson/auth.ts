import type { IncomingMessage } from 'node:http'
import type { Role } from '../../shared/lesson/lesson'
import { HttpError } from '../http/respond'
import type { LessonRegistry } from './registry'
import type { StoredLesson } from './store'
import type { TokenService } from './tokens'

/** Who is asking, once their lesson token has been checked. */
export interface LessonParticipant {
  lesson: StoredLesson
  participantId: string
  role: Role
  name: string
}

export interface CheckOptions {
  /** The route names a lesson: the token must be for it. */
  lessonId?: string
  /** The lesson must still be running (asking, drawing, recording); reading its record need not. */
  live?: boolean
}

/**
 * Why a lesson cannot be entered any more. A lesson nobody started whose
 * invite ran out was closed for that reason: people are told the invite
 * expired, not that a lesson they never had has ended.
 */
export function endedError(lesson: StoredLesson): HttpError {
  if (lesson.endedBy === 'expired' && lesson.startedAt === null) return new HttpError(410, 'invite_expired', 'The invite expired before the lesson began, so the lesson was closed')
  return new HttpError(410, 'lesson_ended', 'This lesson has ended')
}

/** The token of an HTTP request (`Authorization: Bearer …`), or '' when there is none. */
export function bearerToken(header: string | undefined): string {
  return /^Bearer\s+(\S{1,4096})$/i.exec(header ?? '')?.[1] ?? ''
}

/**
 * The one place a lesson token becomes a participant, for every route that
 * takes one: the lesson socket, the board, the AI, recording uploads and the
 * library. A token counts only if it is genuine and unexpired, for a lesson
 * this server knows, for the route's lesson, and names the person who holds
 * that role now: the lesson's own tutor, or the student holding the seat
 * (a second join with the same invite gets a token that opens nothing).
 * Failures are HttpErrors; the WebSocket and board callers map them to their
 * own close codes.
 */
export class LessonAuth {
  constructor(private readonly deps: { tokens: TokenService; registry: LessonRegistry }) {}

  async check(token: string, options: CheckOptions = {}): Promise<LessonParticipant> {
    const claims = token ? await this.deps.tokens.verify(token) : null
    if (!claims) throw new HttpError(401, 'unauthorized', 'A valid lesson token is required (Authorization: Bearer <token>)')
    if (options.lessonId !== undefined && claims.lid !== options.lessonId) throw new HttpError(401, 'unauthorized', 'This lesson token is for another lesson')
    const lesson = this.deps.registry.get(claims.lid)
    // A genuine token for a lesson the server no longer knows: it ended and was dropped.
    if (!lesson) throw new HttpError(410, 'lesson_ended', 'This lesson has ended')
    if (claims.role === 'tutor' && claims.sub !== lesson.tutorId) throw new HttpError(401, 'unauthorized', 'This token does not belong to this lesson')
    if (claims.role === 'student' && !this.studentMayEnter(lesson, claims.sub)) {
      throw new HttpError(403, 'seat_taken', 'Another student now holds this lesson’s seat')
    }
    if (options.live && lesson.endedAt !== null) throw endedError(lesson)
    return { lesson, participantId: claims.sub, role: claims.role, name: claims.name }
  }

  /** check() with the request's bearer token. */
  request(req: IncomingMessage, options: CheckOptions = {}): Promise<LessonParticipant> {
    return this.check(bearerToken(req.headers.authorization), options)
  }

  /** The tutor of the lesson, or 403. */
  async tutor(req: IncomingMessage, options: CheckOptions = {}): Promise<LessonParticipant> {
    const who = await this.request(req, options)
    if (who.role !== 'tutor') throw new HttpError(403, 'forbidden', 'Only the tutor can do that')
    return who
  }

  private studentMayEnter(lesson: StoredLesson, participantId: string): boolean {
    if (this.deps.registry.holdsSeat(lesson, participantId)) return true
    // Lessons stored before seats existed: the first student token seen takes it.
    return lesson.seat === null && lesson.endedAt === null && this.deps.registry.takeSeat(lesson, participantId)
  }
}
