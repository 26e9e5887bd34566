import type { IncomingMessage } from 'node:http'
import type { z } from 'zod'
import { MAX_HTTP_BODY_BYTES } from '../../shared/lesson/api'
import { HttpError } from './respond'
import { describeZodError } from '../../shared/zodError'

function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json'
}

/** Reads at most `limit` bytes; past that it stops reading and rejects with 413. */
export function readBody(req: IncomingMessage, limit = MAX_HTTP_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(limit))
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = (): void => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limit) {
        // Stop here: do not buffer the rest. The response closes the connection.
        cleanup()
        req.pause()
        reject(tooLarge(limit))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(Buffer.concat(chunks))
    }
    const onError = (err: Error): void => {
      cleanup()
      reject(err)
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
  })
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `Request body is larger than ${limit} bytes`, { headers: { Connection: 'close' } })
}

/** Content-Type check, size limit, JSON parse and schema validation, each with its own clear error. */
export async function readJson<T>(req: IncomingMessage, schema: z.ZodType<T>, limit = MAX_HTTP_BODY_BYTES): Promise<T> {
  if (!isJsonContentType(req.headers['content-type'])) {
    throw new HttpError(415, 'bad_request', 'Content-Type must be application/json')
  }
  const raw = await readBody(req, limit)
  let json: unknown
  try {
    json = JSON.parse(raw.toString('utf8'))
  } catch {
    throw new HttpError(400, 'bad_request', 'Request body is not valid JSON')
  }
  const result = schema.safeParse(json)
  if (!result.success) throw new HttpError(400, 'bad_request', describeZodError(result.error, 'body'))
  return result.data
}
