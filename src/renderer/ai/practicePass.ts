import { PracticePassResponseSchema, type PracticePassResponse } from '../../shared/ai/practice'
import type { Role } from '../../shared/lesson/lesson'
import { aiRequest, type AiEndpoint } from './aiApi'
import { codeFor } from '../records/myCodes'

/**
 * The practice pass of this device for one session server (the "Ask AI"
 * screen outside lessons). It is kept in localStorage per server so the
 * person's conversation and daily count stay theirs; an expired or refused
 * pass is dropped and a new one asked for.
 */
const KEY_PREFIX = 'duet.aiPractice:'
/** Renew a little before expiry rather than fail mid-question. */
const RENEW_BEFORE_MS = 24 * 3_600_000

export interface PracticeSession extends AiEndpoint {
  role: Role
}

function keyOf(server: string): string {
  return `${KEY_PREFIX}${server}`
}

export function loadPracticePass(server: string, storage: Storage = localStorage, now = Date.now()): PracticePassResponse | null {
  try {
    const raw = storage.getItem(keyOf(server))
    if (!raw) return null
    const parsed = PracticePassResponseSchema.safeParse(JSON.parse(raw))
    return parsed.success && parsed.data.expiresAt - RENEW_BEFORE_MS > now ? parsed.data : null
  } catch {
    return null
  }
}

export function forgetPracticePass(server: string, storage: Storage = localStorage): void {
  try {
    storage.removeItem(keyOf(server))
  } catch {
    // storage off: nothing was kept
  }
}

/** The stored pass, or a new one from the server (which decides the role it grants). */
/** `tutorKey`: a tutor's pass is given only to the app that holds the server's tutor key. */
export async function practiceSession(server: string, want: Role, name: string | undefined, storage: Storage = localStorage, tutorKey?: string | null): Promise<PracticeSession> {
  const kept = loadPracticePass(server, storage)
  if (kept) return { server, token: kept.pass, role: kept.role }
  const studentCode = codeFor(server, storage)
  const pass = await aiRequest(
    server,
    'POST',
    '/api/ai/practice/pass',
    // A student's personal code kept on this device: their practice counts in their record.
    { role: want, ...(name ? { name } : {}), ...(want === 'student' && studentCode ? { studentCode } : {}) },
    PracticePassResponseSchema,
    want === 'tutor' ? tutorKey : null,
  )
  try {
    storage.setItem(keyOf(server), JSON.stringify(pass))
  } catch {
    // Private mode: the pass lasts for this page only.
  }
  return { server, token: pass.pass, role: pass.role }
}
