import { z } from 'zod'
import type { Role } from '../../shared/lesson/lesson'
import type { LessonRegistry } from '../lesson/registry'
import type { TokenService } from '../lesson/tokens'

/** Who is on the other end of a board connection or asset request. */
export interface BoardPrincipal {
  lessonId: string
  participantId: string
  role: Role
  name: string
}

export type BoardAuthFailure = 'unauthorized' | 'lesson_ended'

/**
 * A Hocuspocus-compatible refusal: Hocuspocus sends `reason` to the client
 * as "permission denied". The message stays empty so Hocuspocus does not
 * print it; the board service logs refusals itself.
 */
export class BoardAuthError extends Error {
  constructor(readonly reason: BoardAuthFailure) {
    super('')
  }
}

/**
 * A lesson token is valid for a board only if it is genuine, unexpired and
 * for this very lesson (the document name is the lesson id), and the lesson
 * is still running. The tutor's token must be the lesson's own tutor.
 */
export async function authenticateBoard(
  deps: { tokens: TokenService; registry: LessonRegistry },
  token: string,
  lessonId: string,
): Promise<BoardPrincipal> {
  if (!z.uuid().safeParse(lessonId).success || token.length > 4096) throw new BoardAuthError('unauthorized')
  const claims = await deps.tokens.verify(token)
  if (!claims || claims.lid !== lessonId) throw new BoardAuthError('unauthorized')
  const lesson = deps.registry.get(lessonId)
  if (!lesson || lesson.endedAt !== null) throw new BoardAuthError('lesson_ended')
  if (claims.role === 'tutor' && claims.sub !== lesson.tutorId) throw new BoardAuthError('unauthorized')
  return { lessonId, participantId: claims.sub, role: claims.role, name: claims.name }
}

/** The token of an HTTP request (`Authorization: Bearer …`), or '' when there is none. */
export function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '')
  return match?.[1] ?? ''
}
