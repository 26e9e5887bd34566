import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from '../logger'
import type { CorsPolicy } from './cors'
import { HttpError, sendError, sendJson } from './respond'

/** A handler that wrote its own response (a file, an event stream) returns this. */
export const RESPONDED = Symbol('responded')

/** Anything else a handler returns is sent as JSON with status 200. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, params: string[]) => Promise<unknown>

export interface Route {
  /** GET routes answer HEAD too. */
  method: 'GET' | 'POST'
  /** Anchored pattern; its capture groups are the handler's params. */
  pattern: RegExp
  handle: RouteHandler
}

/**
 * The server's one HTTP dispatcher: origin check and CORS, 404/405 and
 * preflights, JSON results, and one error envelope for everything that
 * throws. Hand-written on purpose: node:http plus this table is all the
 * routing the server needs, and a framework would want to own the sockets
 * that the board's and the lesson's WebSocket upgrades and the AI's event
 * streams use raw.
 */
export function createRouter(routes: readonly Route[], deps: { cors: CorsPolicy; logger: Logger }) {
  const { cors, logger } = deps
  return async function dispatch(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    const matching = routes.filter((r) => r.pattern.test(pathname))
    if (matching.length === 0) return false
    const method = req.method ?? 'GET'
    const allowed = [...new Set(matching.flatMap((r) => (r.method === 'GET' ? ['GET', 'HEAD'] : [r.method])))]
    const allowHeader = [...allowed, 'OPTIONS'].join(', ')
    for (const [name, value] of Object.entries(cors.headers(req))) res.setHeader(name, value)
    try {
      if (!cors.allows(req)) throw new HttpError(403, 'origin_not_allowed', `Requests from ${req.headers.origin ?? 'this page'} are not allowed`)
      if (method === 'OPTIONS') {
        res.writeHead(204, { Allow: allowHeader })
        res.end()
        return true
      }
      const route = matching.find((r) => r.method === method || (r.method === 'GET' && method === 'HEAD'))
      if (!route) throw new HttpError(405, 'bad_request', `Method ${method} is not allowed on ${pathname}`, { headers: { Allow: allowHeader } })
      const result = await route.handle(req, res, route.pattern.exec(pathname)?.slice(1) ?? [])
      if (result !== RESPONDED) sendJson(res, 200, result ?? { ok: true })
    } catch (err) {
      // Refused before reading the whole body: close rather than drain an unbounded upload.
      const close: Record<string, string> = req.complete ? {} : { Connection: 'close' }
      if (err instanceof HttpError) {
        sendError(res, err, close)
      } else {
        logger.error('Request failed', { path: pathname, error: err instanceof Error ? err.stack : String(err) })
        if (res.headersSent) res.end()
        else sendError(res, new HttpError(500, 'internal', 'Internal server error'), close)
      }
    }
    return true
  }
}
