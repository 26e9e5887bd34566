/**
 * How a file is answered over HTTP (the web client's files, and the library's
 * recordings, thumbnails and exported MP4s): byte ranges so <video> can seek,
 * and validators so a browser never mixes bytes of two versions of a file. A
 * recording is replaced in place when it is repaired (a new file renamed over
 * the old one), and Chromium's media cache only treats a response as a new
 * version of a URL when its strong ETag or Last-Modified differs; without
 * them it could join cached bytes of the old file to ranges of the new one.
 *
 * Written here rather than taken from `send`/`serve-static`: those open the
 * file themselves and answer Node's request objects, while the desktop app
 * answers a fetch `Request` (protocol.handle) and both must describe the one
 * file handle they read from. The session server (src/server/http/sendFile.ts)
 * and the desktop's app:// library responder (libraryMedia.ts) both answer
 * from this plan.
 */

/** The version of a file a response describes: from one stat of the handle the bytes are read from. */
export interface FileVersion {
  size: number
  mtimeMs: number
}

/** The request headers that decide the answer (absent = undefined or null). */
export interface FileRequest {
  method: string
  range?: string | null
  ifRange?: string | null
  ifNoneMatch?: string | null
}

export interface FilePlan {
  status: 200 | 206 | 304 | 416
  /** Validators, length and range headers (the caller adds type, caching and security headers). */
  headers: Record<string, string>
  /** Inclusive byte range to send, or null for no body (HEAD, 304, 416, an empty file). */
  body: { start: number; end: number } | null
}

/**
 * One HTTP byte range ("bytes=100-", "bytes=100-199", "bytes=-500") as an
 * inclusive range inside a file of `size` bytes. 'all' = no (usable) Range
 * header, send the whole file; null = unsatisfiable (416).
 */
export function parseRange(header: string | null | undefined, size: number): { start: number; end: number } | null | 'all' {
  if (!header) return 'all'
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return 'all' // several ranges or junk: the whole file is a valid answer
  let start: number
  let end: number
  if (m[1] === '') {
    const suffix = Number(m[2])
    if (suffix === 0) return null
    start = Math.max(0, size - suffix)
    end = size - 1
  } else {
    start = Number(m[1])
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  }
  if (start >= size || start > end) return null
  return { start, end }
}

/**
 * A strong ETag from size and modification time (to the microsecond): a
 * repaired or re-exported file is written anew and renamed in, so either
 * changes. Strong, because Chromium's media cache ignores weak ones.
 */
export function etagOf(version: FileVersion): string {
  return `"${version.size.toString(16)}-${Math.floor(version.mtimeMs * 1000).toString(16)}"`
}

export const lastModifiedOf = (version: FileVersion): string => new Date(version.mtimeMs).toUTCString()

/** If-None-Match lists the current ETag (or is `*`): the client's copy is current (weak comparison, RFC 9110 13.1.2). */
function noneMatchHits(header: string, etag: string): boolean {
  if (header.trim() === '*') return true
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
}

/**
 * If-Range names the version the client's earlier bytes came from; only a
 * strong ETag or the exact Last-Modified date counts as the same (RFC 9110
 * 13.1.5). Anything else means the file changed: send it whole.
 */
function rangeStillValid(header: string, etag: string, lastModified: string): boolean {
  const value = header.trim()
  if (value.startsWith('"')) return value === etag
  if (value.startsWith('W/')) return false
  return value === lastModified
}

/** Status, headers and byte range for a GET or HEAD of a file at `version`. */
export function planFileResponse(request: FileRequest, version: FileVersion): FilePlan {
  const etag = etagOf(version)
  const validators = { ETag: etag, 'Last-Modified': lastModifiedOf(version) }
  if (request.ifNoneMatch && noneMatchHits(request.ifNoneMatch, etag)) return { status: 304, headers: validators, body: null }
  const rangeHeader = request.ifRange && !rangeStillValid(request.ifRange, etag, validators['Last-Modified']) ? null : request.range
  const range = parseRange(rangeHeader, version.size)
  if (range === null) return { status: 416, headers: { ...validators, 'Content-Range': `bytes */${version.size}`, 'Content-Length': '0' }, body: null }
  const whole = range === 'all'
  const { start, end } = whole ? { start: 0, end: version.size - 1 } : range
  const length = version.size === 0 ? 0 : end - start + 1
  return {
    status: whole ? 200 : 206,
    headers: {
      ...validators,
      'Accept-Ranges': 'bytes',
      'Content-Length': String(length),
      ...(whole ? {} : { 'Content-Range': `bytes ${start}-${end}/${version.size}` }),
    },
    body: request.method === 'HEAD' || length === 0 ? null : { start, end },
  }
}
