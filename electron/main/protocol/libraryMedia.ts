import { APP_HOST, APP_SCHEME } from '../appOrigin'
import { CONTENT_SECURITY_POLICY } from '../security/csp'
import { contentTypeFor } from '../../../src/shared/contentTypes'
import { parseRange } from '../../../src/shared/recording/httpRange'
import { LIBRARY_URL_PREFIX } from '../../../src/shared/recording/ipcSchemas'
import type { Logger } from '../../../src/shared/logger'

export interface LibraryMediaDeps {
  /** Validated path of a library file; throws for a bad id or file name. */
  mediaPath(id: string, file: string): string
  /** Size of a regular file, or null if it is not there. */
  fileSize(path: string): Promise<number | null>
  /** Bytes start..end (inclusive) as a stream. */
  openRange(path: string, start: number, end: number): ReadableStream<Uint8Array>
  logger: Logger
}

/**
 * app://duet/_library/<id>/<file>: recordings and thumbnails for the library
 * screen, with HTTP ranges so <video> can seek. Returns null for any other URL
 * so the normal app:// handler serves it.
 */
export function createLibraryMediaResponder(deps: LibraryMediaDeps): (request: Request) => Promise<Response> | null {
  const plain = (status: number, text: string, extra: Record<string, string> = {}): Response =>
    new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': CONTENT_SECURITY_POLICY, ...extra } })

  return (request) => {
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      return null
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || !url.pathname.startsWith(LIBRARY_URL_PREFIX)) return null
    return (async () => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method Not Allowed')
      const parts = url.pathname.slice(LIBRARY_URL_PREFIX.length).split('/')
      let path: string
      try {
        if (parts.length !== 2) throw new Error('bad path')
        path = deps.mediaPath(decodeURIComponent(parts[0] ?? ''), decodeURIComponent(parts[1] ?? ''))
      } catch {
        deps.logger.warn('library media: refused', url.pathname)
        return plain(403, 'Forbidden')
      }
      const size = await deps.fileSize(path)
      if (size === null) return plain(404, 'Not Found')
      const range = parseRange(request.headers.get('Range'), size)
      const type = contentTypeFor(`.${path.split('.').pop() ?? ''}`)
      const headers: Record<string, string> = {
        'Content-Type': type,
        'Accept-Ranges': 'bytes',
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      }
      if (range === null) return plain(416, 'Range Not Satisfiable', { 'Content-Range': `bytes */${size}` })
      const { start, end } = range === 'all' ? { start: 0, end: size - 1 } : range
      headers['Content-Length'] = String(size === 0 ? 0 : end - start + 1)
      if (range !== 'all') headers['Content-Range'] = `bytes ${start}-${end}/${size}`
      const body = request.method === 'HEAD' || size === 0 ? null : deps.openRange(path, start, end)
      return new Response(body, { status: range === 'all' ? 200 : 206, headers })
    })()
  }
}
