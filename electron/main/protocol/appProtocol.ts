import path from 'node:path'
import type { Logger } from '../../../src/shared/logger'
import { CONTENT_SECURITY_POLICY } from '../security/csp'
import { isSpaRoute, resolveAppPath } from './appPath'
import { contentTypeFor } from '../../../src/shared/contentTypes'

export interface AppProtocolDeps {
  /** Directory of the built renderer (out/renderer). */
  root: string
  /** Rejects when the file does not exist or is not a regular file. */
  readFile(filePath: string): Promise<Uint8Array>
  logger: Logger
  /** Pages generated in main (the sharing bar): HTML for a URL, or null to serve files. */
  generatedPage?(url: URL): string | null
}

/** The protocol.handle('app', ...) handler: static files with CSP, SPA fallback, no escapes. */
export function createAppProtocolHandler(deps: AppProtocolDeps): (request: Request) => Promise<Response> {
  const respond = (status: number, body: Uint8Array | string | null, type = 'text/plain; charset=utf-8'): Response =>
    new Response(body as ConstructorParameters<typeof Response>[0], {
      status,
      headers: {
        'Content-Type': type,
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    })

  const tryRead = async (filePath: string): Promise<Uint8Array | null> => {
    try {
      return await deps.readFile(filePath)
    } catch {
      return null
    }
  }

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'Method Not Allowed')
    const filePath = resolveAppPath(deps.root, request.url)
    if (filePath === null) {
      deps.logger.warn('app protocol: refused', request.url)
      return respond(403, 'Forbidden')
    }
    const page = deps.generatedPage?.(new URL(request.url)) ?? null
    if (page !== null) return respond(200, request.method === 'HEAD' ? null : page, contentTypeFor('.html'))
    let body = await tryRead(filePath)
    let type = contentTypeFor(path.extname(filePath))
    if (body === null && isSpaRoute(filePath)) {
      body = await tryRead(path.join(deps.root, 'index.html'))
      type = contentTypeFor('.html')
    }
    if (body === null) return respond(404, 'Not Found')
    return respond(200, request.method === 'HEAD' ? null : body, type)
  }
}
