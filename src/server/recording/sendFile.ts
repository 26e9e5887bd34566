import type { FileHandle } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { openServedFile } from '../../node/servedFile'
import { contentTypeFor } from '../../shared/contentTypes'
import { planFileResponse } from '../../shared/recording/httpRange'
import { BASE_HEADERS, HttpError } from '../http/respond'

/**
 * Streams a library file with HTTP ranges, so a browser <video> can seek in
 * a recording without downloading it first, and with validators (ETag,
 * Last-Modified, If-Range) so a repaired recording is never joined to cached
 * bytes of the old one. The headers describe the handle the bytes are read
 * from: a file renamed over the path meanwhile is the next request's.
 * `downloadName` adds a Content-Disposition so a link saves the file instead
 * of opening it.
 */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, downloadName?: string): Promise<void> {
  const served = await openServedFile(file)
  if (!served) throw new HttpError(404, 'not_found', 'No such file in this lesson')
  const { handle, version } = served
  const plan = planFileResponse(
    { method: req.method ?? 'GET', range: req.headers.range, ifRange: header(req, 'if-range'), ifNoneMatch: header(req, 'if-none-match') },
    version,
  )
  res.writeHead(plan.status, {
    ...BASE_HEADERS,
    'Content-Type': contentTypeFor(path.extname(file)),
    'Cache-Control': 'private, no-cache',
    ...(downloadName ? { 'Content-Disposition': `attachment; filename="${downloadName.replace(/[^\w. ()-]/g, '_')}"` } : {}),
    ...plan.headers,
  })
  if (!plan.body) {
    await handle.close()
    res.end()
    return
  }
  await pipeRange(handle, plan.body, res)
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/** Bytes start..end of the open file to the response; the stream closes the handle. */
function pipeRange(handle: FileHandle, range: { start: number; end: number }, res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const stream = handle.createReadStream({ start: range.start, end: range.end })
    stream.on('error', () => {
      res.destroy()
      resolve()
    })
    res.on('close', () => {
      stream.destroy()
      resolve()
    })
    stream.pipe(res)
  })
}
