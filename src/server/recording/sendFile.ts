import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { contentTypeFor } from '../../shared/contentTypes'
import { parseRange } from '../../shared/recording/httpRange'
import { BASE_HEADERS, HttpError } from '../http/respond'

/**
 * Streams a library file with HTTP ranges, so a browser <video> can seek in
 * a recording without downloading it first. `downloadName` adds a
 * Content-Disposition so a link saves the file instead of opening it.
 */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, downloadName?: string): Promise<void> {
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) throw new HttpError(404, 'not_found', 'No such file in this lesson')
  const range = parseRange(req.headers.range, info.size)
  const base: Record<string, string> = {
    ...BASE_HEADERS,
    'Content-Type': contentTypeFor(path.extname(file)),
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, no-cache',
  }
  if (downloadName) base['Content-Disposition'] = `attachment; filename="${downloadName.replace(/[^\w. ()-]/g, '_')}"`
  if (range === null) {
    res.writeHead(416, { ...base, 'Content-Range': `bytes */${info.size}`, 'Content-Length': '0' })
    res.end()
    return
  }
  const { start, end } = range === 'all' ? { start: 0, end: info.size - 1 } : range
  const length = info.size === 0 ? 0 : end - start + 1
  res.writeHead(range === 'all' ? 200 : 206, {
    ...base,
    'Content-Length': String(length),
    ...(range === 'all' ? {} : { 'Content-Range': `bytes ${start}-${end}/${info.size}` }),
  })
  if (req.method === 'HEAD' || length === 0) {
    res.end()
    return
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file, { start, end })
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
