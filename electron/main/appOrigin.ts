/**
 * Where the app's own pages come from. Packaged: the privileged app://duet/
 * scheme. Dev: the electron-vite dev server (ELECTRON_RENDERER_URL).
 * Everything trusted (IPC senders, permissions, navigation) is decided here.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'duet'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

export type AppUrlCheck = (raw: string | null | undefined) => boolean

/**
 * Returns a predicate telling whether a URL belongs to the app. `devOrigin`
 * is the dev server's origin (http(s) only) or null in production.
 */
export function appUrlChecker(devOrigin: string | null): AppUrlCheck {
  const dev = devOrigin ? httpOrigin(devOrigin) : null
  return (raw) => {
    if (!raw) return false
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      return false
    }
    // Custom schemes have an opaque ("null") origin in WHATWG URL, so compare parts.
    if (url.protocol === `${APP_SCHEME}:`) return url.host === APP_HOST && !url.username && !url.password
    return dev !== null && url.origin === dev
  }
}

function httpOrigin(raw: string): string | null {
  try {
    const url = new URL(raw)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null
  } catch {
    return null
  }
}

/** Normalized http(s) URL safe to hand to the OS browser, or null. */
export function safeExternalUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 4096) return null
  try {
    const url = new URL(raw)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
    if (!url.hostname) return null
    return url.href
  } catch {
    return null
  }
}
