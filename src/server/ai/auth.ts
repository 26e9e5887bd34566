import type { IncomingMessage } from 'node:http'
import type { Role } from '../../shared/lesson/lesson'
import { HttpError } from '../http/respond'
import { bearerToken, type LessonAuth } from '../lesson/auth'
import type { PracticePassService } from './practicePass'

/**
 * Who is calling an AI route: a person in a lesson (lesson token), or a
 * person practising outside lessons (practice pass). `scopeId` names the AI
 * record their conversations, settings and daily count live in: the lesson
 * id, or the pass subject.
 */
export interface AiPrincipal {
  scope: 'lesson' | 'practice'
  scopeId: string
  role: Role
  name: string
  /** The lesson has ended (never for practice). */
  ended: boolean
  /** Practice of a student on a roster (their pass names them): it counts in their record. */
  studentId: string | null
}

export interface AuthDeps {
  auth: LessonAuth
  passes: PracticePassService
  /** Whether practice passes of this role are honoured now (the desktop app can change it live). */
  practiceAllowed(role: Role): boolean
}

/**
 * Only people in a lesson (checked by the one lesson-auth module, seat and
 * all), or holding a practice pass this server issued, may use the AI: it
 * costs the school money and carries conversations.
 */
export async function authenticate(req: IncomingMessage, deps: AuthDeps): Promise<AiPrincipal> {
  const token = bearerToken(req.headers.authorization)
  if (!token) throw new HttpError(401, 'unauthorized', 'A lesson token or practice pass is required (Authorization: Bearer <token>)')
  const pass = await deps.passes.verify(token)
  if (pass) {
    if (!deps.practiceAllowed(pass.role)) throw new HttpError(403, 'ai_practice_disabled', 'This server allows the AI only inside lessons')
    return { scope: 'practice', scopeId: pass.sub, role: pass.role, name: pass.name, ended: false, studentId: pass.stu ?? null }
  }
  const who = await deps.auth.check(token)
  return { scope: 'lesson', scopeId: who.lesson.id, role: who.role, name: who.name, ended: who.lesson.endedAt !== null, studentId: null }
}

/** Asking needs a lesson that is still running; reading the record does not. */
export function requireLive(principal: AiPrincipal): void {
  if (principal.ended) throw new HttpError(410, 'lesson_ended', 'This lesson has ended')
}

export function requireTutor(principal: AiPrincipal): void {
  if (principal.role !== 'tutor') throw new HttpError(403, 'forbidden', 'Only the tutor can do that')
}

/** Key of the person's live things (answer streaming, event streams, rate limit). */
export function personKey(principal: AiPrincipal): string {
  return `${principal.scope}:${principal.scopeId}:${principal.role}`
}
