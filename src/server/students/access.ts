import type { IncomingMessage } from 'node:http'
import { normalizeStudentCode, StudentCodeSchema } from '../../shared/students/link'
import { HttpError, clientIp } from '../http/respond'
import { RateLimiter } from '../http/rateLimit'
import { bearerToken } from '../lesson/auth'
import type { TutorKeys } from '../lesson/tutorKeys'
import type { Account, RosterTable, StudentRow } from './rosterTable'

/** Wrong personal codes per client address per minute before it must wait: codes cannot be guessed. */
const CODE_MISSES_PER_MINUTE = 20

/**
 * The one place a request becomes a roster reader or a student, for every
 * records route: a tutor or staff key opens an account (a tutor sees their
 * own students, staff every tutor's); a student's personal code opens that
 * student's own record and nothing else. Another tutor's student answers
 * exactly as a missing one does, so ids cannot be probed.
 */
export class RecordAccess {
  private readonly misses: RateLimiter
  private readonly blockedUntil = new Map<string, number>()

  constructor(
    private readonly deps: { roster: RosterTable; tutorKeys: TutorKeys; now: () => number },
  ) {
    this.misses = new RateLimiter({ perMinute: CODE_MISSES_PER_MINUTE, now: deps.now })
  }

  /** The account of the tutor or staff member asking, or 401. */
  async account(req: IncomingMessage): Promise<Account> {
    const holder = this.deps.tutorKeys.identify(req)
    if (!holder) throw new HttpError(401, this.deps.tutorKeys.required ? 'tutor_key_required' : 'unauthorized', 'A tutor key is required (Authorization: Bearer <key>)')
    return this.deps.roster.account(holder)
  }

  /** A student the account may see (its own; staff: anyone's), or 404. */
  async studentFor(account: Account, studentId: string): Promise<StudentRow> {
    const row = await this.deps.roster.get(studentId)
    if (!row || !mayRead(account, row)) throw new HttpError(404, 'student_not_found', 'No such student on this roster')
    return row
  }

  /** The student whose personal code is the request's bearer token, or 401 (429 after too many wrong codes). */
  async student(req: IncomingMessage): Promise<StudentRow> {
    return this.studentByCode(bearerToken(req.headers.authorization), clientIp(req))
  }

  /** The student a personal code opens (a socket's hello carries it), or 401; wrong codes count against `ip`. */
  async studentByCode(given: string, ip: string): Promise<StudentRow> {
    const now = this.deps.now()
    const blocked = this.blockedUntil.get(ip)
    if (blocked !== undefined && blocked > now) {
      throw new HttpError(429, 'rate_limited', 'Too many wrong codes; wait a moment', { retryAfterSeconds: Math.ceil((blocked - now) / 1000) })
    }
    const code = normalizeStudentCode(given)
    const row = StudentCodeSchema.safeParse(code).success ? await this.deps.roster.byCode(code) : undefined
    if (row) return row
    const verdict = this.misses.take(ip)
    if (!verdict.ok) {
      this.blockedUntil.set(ip, now + verdict.retryAfterSeconds * 1000)
      if (this.blockedUntil.size > 10_000) this.blockedUntil.delete(this.blockedUntil.keys().next().value as string)
    }
    throw new HttpError(401, 'student_code_invalid', 'This personal code is not valid (the tutor may have made a new one)')
  }
}

export function mayRead(account: Account, row: StudentRow): boolean {
  return account.role === 'staff' || row.account_id === account.id
}
