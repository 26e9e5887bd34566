import type { Session } from 'electron'
import type { Logger } from '../logger'
import type { AppUrlCheck } from '../appOrigin'

/** Which capture devices the app may use at all (a school policy may turn one off later). */
export interface MediaPolicy {
  camera: boolean
  microphone: boolean
}

export interface PermissionQuery {
  permission: string
  /** URL or origin of the frame asking. */
  origin: string | null | undefined
  /** Request: details.mediaTypes; check: [details.mediaType]. */
  mediaTypes: readonly string[] | undefined
}

export type PermissionDecision = { granted: true } | { granted: false; reason: string }

/**
 * Deny by default. Only 'media' is ever granted, only to the app's own origin,
 * and only for the device kinds asked for (audio = microphone, video = camera).
 */
export function decidePermission(query: PermissionQuery, isAppUrl: AppUrlCheck, policy: MediaPolicy): PermissionDecision {
  if (query.permission !== 'media') return { granted: false, reason: `permission '${query.permission}' is never granted` }
  if (!isAppUrl(query.origin)) return { granted: false, reason: `origin ${String(query.origin)} is not the app` }
  const types = query.mediaTypes ?? []
  if (types.length === 0) return { granted: false, reason: 'no media type named' }
  for (const type of types) {
    if (type === 'audio' && policy.microphone) continue
    if (type === 'video' && policy.camera) continue
    return { granted: false, reason: `media type '${type}' not allowed` }
  }
  return { granted: true }
}

type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>

/** Installs the request and check handlers on a session; denials are logged. */
export function installPermissionHandlers(
  session: PermissionSession,
  isAppUrl: AppUrlCheck,
  policy: () => MediaPolicy,
  logger: Logger,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined
    const origin = ('securityOrigin' in details ? details.securityOrigin : undefined) ?? details.requestingUrl
    const decision = decidePermission({ permission, origin, mediaTypes }, isAppUrl, policy())
    if (!decision.granted) logger.warn('permission request denied:', permission, decision.reason)
    callback(decision.granted)
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const mediaTypes = details.mediaType ? [details.mediaType] : undefined
    const origin = details.securityOrigin ?? requestingOrigin
    const decision = decidePermission({ permission, origin, mediaTypes }, isAppUrl, policy())
    // Checks are frequent and routine (feature probing); only media denials are worth a line.
    if (!decision.granted && permission === 'media') logger.warn('permission check denied:', permission, decision.reason)
    return decision.granted
  })
}
