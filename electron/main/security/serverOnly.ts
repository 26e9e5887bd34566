import type { AppUrlCheck } from '../appOrigin'

/** The URL patterns the request filter sees (webRequest.onBeforeRequest). */
export const NETWORK_URL_PATTERNS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']

function origin(raw: string): string | null {
  try {
    const url = new URL(raw)
    // A WebSocket to the server is the same server.
    const protocol = url.protocol === 'ws:' ? 'http:' : url.protocol === 'wss:' ? 'https:' : url.protocol
    return protocol === 'http:' || protocol === 'https:' ? `${protocol}//${url.host}` : null
  } catch {
    return null
  }
}

/**
 * With the ServerUrlOnly policy the window may talk to the school's session
 * server and nothing else on the network: whatever an invite link says, the
 * request never leaves (main enforces it; the window only explains it).
 * Returns true for a request to block.
 */
export function serverOnlyBlocks(onlyServer: () => string | null, isAppUrl: AppUrlCheck): (url: string) => boolean {
  return (url) => {
    const only = onlyServer()
    if (only === null || isAppUrl(url)) return false
    const target = origin(url)
    // The dev server's own WebSocket (hot reload) is the app too.
    if (target !== null && isAppUrl(`${target}/`)) return false
    return target !== origin(only)
  }
}
