import { APP_HOST, APP_SCHEME } from '../appOrigin'
import { CONTENT_SECURITY_POLICY } from '../security/csp'
import { contentTypeFor } from '../../../src/shared/contentTypes'
import { planFileResponse, type FileVersion } from '../../../src/shared/fileResponse'
import { LIBRARY_URL_PREFIX } from '../../../src/shared/recording/ipcSchemas'
import type { Logger } from '../../../src/shared/logger'

export interface LibraryMediaDeps {
  /** Validated path of a library file; throws for a bad id or file name. */
  mediaPath(id: string, file: string): string
  /** The regular file at `path`, opened, or null if it is not there. */
  openFile(path: string): Promise<OpenLibraryFile | null>
  logger: Logger
}

/** A library file held open: the response's headers and bytes come from the same handle. */
export interface OpenLibraryFile {
  version: FileVersion
  /** Bytes start..end (inclusive) as a stream that closes the file when done. */
  stream(start: number, end: number): ReadableStream<Uint8Array>
  close(): Promise<void>
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
      const file = await deps.openFile(path)
      if (!file) return plain(404, 'Not Found')
      const header = (name: string) => request.headers.get(name)
      const plan = planFileResponse({ method: request.method, range: header('Range'), ifRange: header('If-Range'), ifNoneMatch: header('If-None-Match') }, file.version)
      const headers: Record<string, string> = {
        'Content-Type': contentTypeFor(`.${path.split('.').pop() ?? ''}`),
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        ...plan.headers,
      }
      if (!plan.body) await file.close()
      return new Response(plan.body ? file.stream(plan.body.start, plan.body.end) : null, { status: plan.status, headers })
    })()
  }
}
