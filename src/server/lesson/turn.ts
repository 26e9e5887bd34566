import { createHmac } from 'node:crypto'
import type { IceServer } from '../../shared/lesson/ice'

export interface TurnSecretConfig {
  /** turn:/turns: URLs of a coturn run with `use-auth-secret` and this `static-auth-secret`. */
  urls: string[]
  secret: string
  /** How long a handed-out credential works (coturn checks the expiry in the username). */
  ttlSeconds: number
}

/**
 * Short-lived TURN credentials from a secret shared with coturn (its
 * `use-auth-secret` mode, the "TURN REST API"): username "<expiry>:<who>",
 * password base64(HMAC-SHA1(secret, username)). Each participant gets their
 * own, valid for a few hours, so a leaked credential is worth little and
 * the secret itself never leaves the server.
 */
export function turnCredential(config: TurnSecretConfig, participantId: string, nowMs: number): IceServer {
  const expiry = Math.floor(nowMs / 1000) + config.ttlSeconds
  const username = `${expiry}:${participantId}`
  const credential = createHmac('sha1', config.secret).update(username).digest('base64')
  return { urls: config.urls, username, credential }
}
