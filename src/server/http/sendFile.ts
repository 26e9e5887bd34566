import type { FileHandle } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { openServedFile } from '../../node/servedFile'
import { contentTypeFor } from '../../shared/contentTypes'
import { planFileResponse } from '../../shared/fileResponse'
import { BASE_HEADERS } from './respond'

/**
 * Answers a GET or HEAD with a file on disk (the web client's files, the
 * library's): byte ranges, so a browser <video> can seek in a recording
 * without downloading it first, and validators (ETag, Last-Modified,
 * If-Range, If-None-Match; see fileResponse.ts). The headers describe the
 * handle the bytes are read from: a file renamed over the path meanwhile is
 * the next request's. `headers` are the caller's (caching, security).
 * False, with nothing sent, when there is no regular file there.
 */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, headers: Record<string, string>): Promise<boolean> {
  const served = await openServedFile(file)
  if (!served) return false
  const { handle, version } = served
  const plan = planFileResponse(
    { method: req.method ?? 'GET', range: req.headers.range, ifRange: header(req, 'if-range'), ifNoneMatch: header(req, 'if-none-match') },
    version,
  )
  res.writeHead(plan.status, {
    ...BASE_HEADERS,
    'Content-Type': contentTypeFor(path.extname(file)),
    ...headers,
    ...plan.headers,
  })
  if (!plan.body) {
    await handle.close()
    res.end()
    return true
  }
  await pipeRange(handle, plan.body, res)
  return true
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
