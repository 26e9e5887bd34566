import fs from 'node:fs'
import path from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { BASE_HEADERS } from './respond'
import { sendFile } from './sendFile'


export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self' ws: wss: http: https:",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  // KaTeX's math fonts (and any other) come from the web client's own files.
  "font-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

const HTML_HEADERS = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Frame-Options': 'DENY' }

function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra })
  res.end(text)
}

function isInside(root: string, file: string): boolean {
  return file === root || file.startsWith(root + path.sep)
}

/**
 * Serves the built web client. Paths are decoded once, resolved against the
 * root and checked (also after following symlinks) to stay inside it.
 */
export function createStaticHandler(webRoot: string | null): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void> {
  const root = webRoot === null ? null : path.resolve(webRoot)
  let realRoot: string | null = null

  function lookup(relative: string): { file: string } | null {
    if (root === null) return null
    realRoot ??= fs.existsSync(root) ? fs.realpathSync(root) : root
    const candidate = path.resolve(root, '.' + relative)
    if (!isInside(root, candidate)) return null
    try {
      const real = fs.realpathSync(candidate)
      if (!isInside(realRoot, real)) return null
      const stat = fs.statSync(real)
      return stat.isFile() ? { file: real } : null
    } catch {
      return null
    }
  }

  return async (req, res, pathname) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' })
    if (root === null) return plain(res, 404, 'Not found (this Duet server serves the API only)')
    let decoded: string
    try {
      decoded = decodeURIComponent(pathname)
    } catch {
      return plain(res, 400, 'Bad request path')
    }
    // Backslashes and NUL never belong in a web path; refuse rather than interpret.
    if (decoded.includes('\0') || decoded.includes('\\')) return plain(res, 400, 'Bad request path')

    const wanted = decoded.endsWith('/') ? decoded + 'index.html' : decoded
    let found = lookup(wanted)
    let isSpaFallback = false
    // SPA routes like /join/ABCD2345 have no extension: hand them to the app.
    if (!found && path.posix.extname(wanted) === '') {
      found = lookup('/index.html')
      isSpaFallback = true
    }
    if (!found) return plain(res, 404, 'Not found')

    const isHtml = path.extname(found.file).toLowerCase() === '.html'
    const immutable = !isSpaFallback && decoded.startsWith('/assets/')
    const headers: Record<string, string> = {
      ...(isHtml ? HTML_HEADERS : {}),
      // Vite puts content hashes in /assets names, so those never change; everything else revalidates.
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    }
    // Gone between the lookup and the open (a rebuild of the web client): as if never there.
    if (!(await sendFile(req, res, found.file, headers))) plain(res, 404, 'Not found')
  }
}
