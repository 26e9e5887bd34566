import type { IncomingMessage } from 'node:http'

/**
 * Which web pages may call this server from another origin. The web client
 * the server serves itself is same-origin and needs no CORS; the desktop app
 * (app://duet) calls its embedded server or a school server cross-origin.
 * Every other page (any site open in the tutor's browser, a LAN host) is
 * refused: it must not spend the school's AI key or create lessons. Tokens
 * travel in headers, never cookies, so allowed origins get no credentials.
 */
export class CorsPolicy {
  private readonly origins: Set<string>

  constructor(
    origins: readonly string[],
    /** The server's own origins (its URL, public URL, LAN addresses), read at each request. */
    private readonly ownOrigins: () => readonly string[],
  ) {
    this.origins = new Set(origins.map((o) => o.replace(/\/+$/, '')))
  }

  /** True when the request has no Origin (not a browser page, or same-origin GET) or an allowed one. */
  allows(req: IncomingMessage): boolean {
    const origin = req.headers.origin
    if (origin === undefined) return true
    if (this.origins.has(origin) || this.ownOrigins().includes(origin)) return true
    // A page of this very server, whatever name the visitor used for it (LAN IP, hostname).
    const host = req.headers.host
    return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`)
  }

  /** CORS response headers for an allowed cross-origin caller; none otherwise. */
  headers(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin
    if (origin === undefined || !this.allows(req)) return {}
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type, Authorization, Range',
      'Access-Control-Expose-Headers': 'Retry-After, Content-Range, Content-Length, Accept-Ranges',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    }
  }
}
