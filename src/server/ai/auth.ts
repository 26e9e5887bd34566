import type { IncomingMessage } from 'node:http'
import type { LessonRegistry } from '../lesson-registry'
import type { StoredLesson } from '../persistence'
import type { TokenClaims, TokenService } from '../tokens'
import { AiHttpError } from './http'

/** Who is calling an AI route: a person in a lesson, proven by their lesson token. */
export interface AiPrincipal {
  claims: TokenClaims
  lesson: StoredLesson
}

const BEARER = /^Bearer ([A-Za-z0-9_\-.]{10,4096})$/

/**
 * Only people in a lesson may use the AI (it costs the school money and
 * carries the lesson's conversation): the Authorization header must hold a
 * valid lesson token for a lesson this server knows.
 */
export async function authenticate(req: IncomingMessage, tokens: TokenService, registry: LessonRegistry): Promise<AiPrincipal> {
  const match = BEARER.exec(req.headers.authorization ?? '')
  if (!match?.[1]) throw new AiHttpError(401, 'unauthorized', 'A lesson token is required (Authorization: Bearer <token>)')
  const claims = await tokens.verify(match[1])
  if (!claims) throw new AiHttpError(401, 'unauthorized', 'The lesson token is invalid or has expired')
  const lesson = registry.get(claims.lid)
  if (!lesson) throw new AiHttpError(401, 'unauthorized', 'This lesson is not known to this server')
  return { claims, lesson }
}

/** Asking needs a lesson that is still running; reading the record does not. */
export function requireLive(principal: AiPrincipal): void {
  if (principal.lesson.endedAt !== null) throw new AiHttpError(410, 'lesson_ended', 'This lesson has ended')
}

export function requireTutor(principal: AiPrincipal): void {
  if (principal.claims.role !== 'tutor') throw new AiHttpError(403, 'forbidden', 'Only the tutor can do that')
}
