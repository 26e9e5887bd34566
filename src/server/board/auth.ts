import { z } from 'zod'
import type { Role } from '../../shared/lesson/lesson'
import { HttpError } from '../http/respond'
import type { LessonAuth } from '../lesson/auth'

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
 * A board connection is the lesson's own participant (lesson-auth's checks:
 * genuine token, this very lesson — the document name is the lesson id —,
 * the lesson's tutor or the student holding the seat) in a running lesson.
 */
export async function authenticateBoard(auth: LessonAuth, token: string, lessonId: string): Promise<BoardPrincipal> {
  if (!z.uuid().safeParse(lessonId).success || token.length > 4096) throw new BoardAuthError('unauthorized')
  try {
    const who = await auth.check(token, { lessonId, live: true })
    return { lessonId, participantId: who.participantId, role: who.role, name: who.name }
  } catch (err) {
    if (err instanceof HttpError && (err.code === 'lesson_ended' || err.code === 'invite_expired')) throw new BoardAuthError('lesson_ended')
    throw new BoardAuthError('unauthorized')
  }
}
