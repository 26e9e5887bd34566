import { randomBytes } from 'node:crypto'
import { SignJWT, jwtVerify } from 'jose'
import { z } from 'zod'
import { DisplayNameSchema, RoleSchema } from '../../shared/lesson/lesson'

export const TOKEN_ISSUER = 'duet'
export const SECRET_BYTES = 32

/** What a lesson token says about its holder (JWT claims sub, lid, role, name). */
export const TokenClaimsSchema = z.object({
  sub: z.string().min(1).max(64),
  lid: z.string().min(1).max(64),
  role: RoleSchema,
  name: DisplayNameSchema,
})
export type TokenClaims = z.infer<typeof TokenClaimsSchema>

export function newSecret(): Uint8Array {
  return new Uint8Array(randomBytes(SECRET_BYTES))
}

/** HS256 lesson tokens. The clock is injectable so tests can expire tokens. */
export class TokenService {
  constructor(
    private readonly secret: Uint8Array,
    private readonly now: () => number,
  ) {}

  sign(claims: TokenClaims, expiresAt: number): Promise<string> {
    const { sub, ...rest } = claims
    return new SignJWT(rest)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(TOKEN_ISSUER)
      .setIssuedAt(Math.floor(this.now() / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(this.secret)
  }

  /** Claims of a valid token, or null if forged, expired, or malformed. Never throws. */
  async verify(token: string): Promise<TokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        issuer: TOKEN_ISSUER,
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
        requiredClaims: ['exp', 'sub'],
      })
      const claims = TokenClaimsSchema.safeParse(payload)
      return claims.success ? claims.data : null
    } catch {
      return null
    }
  }
}
