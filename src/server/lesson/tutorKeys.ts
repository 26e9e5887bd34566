import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { z } from 'zod'
import { DisplayNameSchema } from '../../shared/lesson/lesson'
import { AccountRoleSchema, SELF_MADE_TUTOR_KEY, type AccountRole } from '../../shared/students/roster'
import { HttpError } from '../http/respond'
import { bearerToken } from './auth'

/**
 * A tutor key as a server is configured with it: a bare key (the account is
 * named by the key's hash), or a key with the account it opens (a stable id,
 * a name, and the role: a school's staff see every tutor's roster).
 */
export const TutorKeyEntrySchema = z.union([
  z.string().min(24, 'tutor keys need at least 24 characters').max(256),
  z.strictObject({
    key: z.string().min(24, 'tutor keys need at least 24 characters').max(256),
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore'),
    name: DisplayNameSchema.optional(),
    role: AccountRoleSchema.default('tutor'),
  }),
])
export type TutorKeyEntry = z.input<typeof TutorKeyEntrySchema>

/** The account behind a key. */
export interface KeyHolder {
  accountId: string
  role: AccountRole
  /** The name the configuration gives the account, if any. */
  name: string | null
}

const hashOf = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 24)

/**
 * Who may create lessons (and get a tutor's AI practice pass), and whose
 * roster a request opens. The desktop app's embedded server gets a secret
 * its main process holds and hands only to its own window; a school server
 * gets the keys its admin hands tutors (and staff). With no keys configured
 * (a standalone server on a trusted network) anyone who reaches the server
 * may start lessons; the server says so in its log at start, and each
 * tutor's device then names its own roster with a key it made itself
 * (`duet-tutor-…`), so one tutor never sees another's students.
 */
export class TutorKeys {
  private readonly entries: { key: Buffer; holder: KeyHolder }[]

  constructor(keys: readonly TutorKeyEntry[]) {
    this.entries = keys.map((entry) => {
      const parsed = TutorKeyEntrySchema.parse(entry)
      return typeof parsed === 'string'
        ? { key: Buffer.from(parsed), holder: { accountId: `key-${hashOf(parsed)}`, role: 'tutor', name: null } }
        : { key: Buffer.from(parsed.key), holder: { accountId: parsed.id, role: parsed.role, name: parsed.name ?? null } }
    })
  }

  get required(): boolean {
    return this.entries.length > 0
  }

  /** The account the request's bearer key opens (compared in constant time), or null. */
  identify(req: IncomingMessage): KeyHolder | null {
    return this.identifyToken(bearerToken(req.headers.authorization))
  }

  /** The account a key opens (a socket's hello carries it instead of a header), or null. */
  identifyToken(token: string): KeyHolder | null {
    if (!this.required) {
      return SELF_MADE_TUTOR_KEY.test(token) ? { accountId: `self-${hashOf(token)}`, role: 'tutor', name: null } : null
    }
    const given = Buffer.from(token)
    let found: KeyHolder | null = null
    // Every key is compared, so the time taken does not tell which one matched.
    for (const entry of this.entries) {
      if (entry.key.length === given.length && timingSafeEqual(entry.key, given)) found = entry.holder
    }
    return found
  }

  /** True when no key is required or the request carries one of them. */
  admits(req: IncomingMessage): boolean {
    return !this.required || this.identify(req) !== null
  }

  /** Throws tutor_key_required (401) unless admitted. */
  demand(req: IncomingMessage): void {
    if (!this.admits(req)) throw new HttpError(401, 'tutor_key_required', 'Starting a lesson on this server needs its tutor key')
  }
}
