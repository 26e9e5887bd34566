import { randomUUID } from 'node:crypto'
import { SignJWT, jwtVerify } from 'jose'
import { z } from 'zod'
import { DisplayNameSchema, RoleSchema, type Role } from '../../shared/lesson/lesson'

/**
 * Practice passes: the AI outside lessons ("Ask AI" from the home screen).
 *
 * There are no accounts, so a pass is the person: the server issues one per
 * device (the client keeps it), signs it with the lesson-token secret but a
 * different issuer and audience (a lesson token is never a pass, nor the
 * reverse), and counts the daily question limit against its subject. A
 * cleared browser gets a new pass, so issuing is rate-limited per address.
 */
export const PRACTICE_ISSUER = 'duet-ai-practice'
const AUDIENCE = 'duet-ai'
/** Long enough that a student's device keeps its history and count for a school year's term. */
export const PRACTICE_PASS_TTL_MS = 180 * 24 * 3_600_000
/** New passes per client address per hour (a class behind one NAT still gets one each). */
export const PASSES_PER_ADDRESS_PER_HOUR = 60

const PassClaimsSchema = z.object({
  sub: z.uuid(),
  role: RoleSchema,
  name: DisplayNameSchema,
  /** The student on a roster whose practice this is (the device gave their personal code). */
  stu: z.string().min(1).max(64).optional(),
})
export type PracticeClaims = z.infer<typeof PassClaimsSchema>

export class PracticePassService {
  constructor(
    private readonly secret: Uint8Array,
    private readonly now: () => number,
  ) {}

  async issue(role: Role, name: string, studentId?: string): Promise<{ pass: string; claims: PracticeClaims; expiresAt: number }> {
    const claims: PracticeClaims = { sub: randomUUID(), role, name, ...(studentId === undefined ? {} : { stu: studentId }) }
    const expiresAt = this.now() + PRACTICE_PASS_TTL_MS
    const pass = await new SignJWT({ role, name, ...(studentId === undefined ? {} : { stu: studentId }) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(PRACTICE_ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(this.now() / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(this.secret)
    return { pass, claims, expiresAt }
  }

  /** Claims of a valid pass; null if forged, expired, a lesson token or malformed. Never throws. */
  async verify(token: string): Promise<PracticeClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        issuer: PRACTICE_ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
        requiredClaims: ['exp', 'sub'],
      })
      const claims = PassClaimsSchema.safeParse(payload)
      return claims.success ? claims.data : null
    } catch {
      return null
    }
  }
}


/** A fixed-window counter of passes issued per client address. */
export class PassIssuance {
  private readonly windows = new Map<string, { start: number; count: number }>()

  constructor(
    private readonly perHour: number,
    private readonly now: () => number,
    private readonly maxKeys = 10_000,
  ) {}

  take(address: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now()
    let window = this.windows.get(address)
    if (!window || now - window.start >= 3_600_000) {
      window = { start: now, count: 0 }
      this.windows.delete(address)
      this.windows.set(address, window)
      if (this.windows.size > this.maxKeys) {
        const oldest = this.windows.keys().next().value
        if (oldest !== undefined) this.windows.delete(oldest)
      }
    }
    if (window.count >= this.perHour) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + 3_600_000 - now) / 1000)) }
    window.count++
    return { ok: true }
  }
}
