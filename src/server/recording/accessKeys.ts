import { SignJWT, jwtVerify } from 'jose'
import { z } from 'zod'
import { RoleSchema, type Role } from '../../shared/lesson/lesson'
import { LessonIdSchema } from '../../shared/recording/library'

const AUDIENCE = 'duet-library'
/** A key opens one lesson's record for a year: students come back to recordings for a whole course. */
export const LIBRARY_KEY_TTL_MS = 365 * 24 * 3_600_000

const KeyClaimsSchema = z.object({ lid: LessonIdSchema, role: RoleSchema })

export interface LibraryAccess {
  lessonId: string
  role: Role
}

/**
 * Library keys: long-lived, read-mostly access to one lesson's record,
 * handed to each person of a browser-recorded lesson. Signed with a secret
 * of their own (not the lesson-token secret) and a distinct audience, so a
 * key can never join a lesson and a lesson token is never a key.
 */
export class LibraryKeys {
  constructor(
    private readonly secret: Uint8Array,
    private readonly now: () => number,
  ) {}

  sign(access: LibraryAccess): Promise<string> {
    return new SignJWT({ lid: access.lessonId, role: access.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(this.now() / 1000))
      .setExpirationTime(Math.floor((this.now() + LIBRARY_KEY_TTL_MS) / 1000))
      .sign(this.secret)
  }

  /** The access a key grants, or null (forged, expired, malformed). Never throws. */
  async verify(key: string): Promise<LibraryAccess | null> {
    if (key.length > 2048) return null
    try {
      const { payload } = await jwtVerify(key, this.secret, { audience: AUDIENCE, algorithms: ['HS256'], currentDate: new Date(this.now()) })
      const claims = KeyClaimsSchema.safeParse(payload)
      return claims.success ? { lessonId: claims.data.lid, role: claims.data.role } : null
    } catch {
      return null
    }
  }
}

/** `Authorization: Bearer <token>` → token, or ''. */
export function bearer(header: string | undefined): string {
  return /^Bearer\s+(\S{1,4096})$/i.exec(header ?? '')?.[1] ?? ''
}
