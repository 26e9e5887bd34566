import type { Session } from 'electron'
import type { Logger } from '../../../src/shared/logger'
import type { AppUrlCheck } from '../appOrigin'

/** Which capture devices the app may use at all (a school policy may turn one off later). */
export interface MediaPolicy {
  camera: boolean
  microphone: boolean
  /** Screen and window sharing (getDisplayMedia, answered by Duet's picker). */
  screen: boolean
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
 * Deny by default. Only 'media' and 'display-capture' are ever granted, only to
 * the app's own origin, and only for the kinds asked for (audio = microphone,
 * video = camera). Electron asks for a getDisplayMedia() call as 'media' with
 * an empty mediaTypes list (it names only camera and microphone); granting it
 * just lets the request reach setDisplayMediaRequestHandler, where the user
 * picks what to share.
 */
export function decidePermission(query: PermissionQuery, isAppUrl: AppUrlCheck, policy: MediaPolicy): PermissionDecision {
  const { permission } = query
  if (permission !== 'media' && permission !== 'display-capture') {
    return { granted: false, reason: `permission '${permission}' is never granted` }
  }
  if (!isAppUrl(query.origin)) return { granted: false, reason: `origin ${String(query.origin)} is not the app` }
  const screen = policy.screen ? ({ granted: true } as const) : { granted: false as const, reason: 'screen sharing is turned off' }
  if (permission === 'display-capture') return screen
  if (query.mediaTypes === undefined) return { granted: false, reason: 'no media type named' }
  const types = query.mediaTypes
  if (types.length === 0) return screen
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
