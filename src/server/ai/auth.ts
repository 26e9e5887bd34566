import type { IncomingMessage } from 'node:http'
import type { Role } from '../../shared/lesson/lesson'
import type { LessonRegistry } from '../lesson/registry'
import type { TokenService } from '../lesson/tokens'
import { AiHttpError } from './http'
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
}

const BEARER = /^Bearer ([A-Za-z0-9_\-.]{10,4096})$/

export interface AuthDeps {
  tokens: TokenService
  registry: LessonRegistry
  passes: PracticePassService
  /** The server config's allowPractice, read at each call (the desktop app can change it live). */
  allowPractice(): boolean
}

/**
 * Only people in a lesson, or holding a practice pass this server issued,
 * may use the AI (it costs the school money and carries conversations).
 */
export async function authenticate(req: IncomingMessage, deps: AuthDeps): Promise<AiPrincipal> {
  const match = BEARER.exec(req.headers.authorization ?? '')
  if (!match?.[1]) throw new AiHttpError(401, 'unauthorized', 'A lesson token or practice pass is required (Authorization: Bearer <token>)')
  const claims = await deps.tokens.verify(match[1])
  if (claims) {
    const lesson = deps.registry.get(claims.lid)
    if (!lesson) throw new AiHttpError(401, 'unauthorized', 'This lesson is not known to this server')
    return { scope: 'lesson', scopeId: lesson.id, role: claims.role, name: claims.name, ended: lesson.endedAt !== null }
  }
  const pass = await deps.passes.verify(match[1])
  if (!pass) throw new AiHttpError(401, 'unauthorized', 'The lesson token or practice pass is invalid or has expired')
  if (!deps.allowPractice()) throw new AiHttpError(403, 'ai_practice_disabled', 'This server allows the AI only inside lessons')
  return { scope: 'practice', scopeId: pass.sub, role: pass.role, name: pass.name, ended: false }
}

/** Asking needs a lesson that is still running; reading the record does not. */
export function requireLive(principal: AiPrincipal): void {
  if (principal.ended) throw new AiHttpError(410, 'lesson_ended', 'This lesson has ended')
}

export function requireTutor(principal: AiPrincipal): void {
  if (principal.role !== 'tutor') throw new AiHttpError(403, 'forbidden', 'Only the tutor can do that')
}

/** Key of the person's live things (answer streaming, event streams, rate limit). */
export function personKey(principal: AiPrincipal): string {
  return `${principal.scope}:${principal.scopeId}:${principal.role}`
}
