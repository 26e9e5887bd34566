import type { z } from 'zod'
import {
  RecordingCloseResultSchema,
  RecordingOpenResultSchema,
  RecordingWriteResultSchema,
  type RecordingCloseResult,
  type RecordingOpenRequest,
  type RecordingOpenResult,
  type RecordingWriteResult,
} from '../../shared/recording/io'
import type { LessonExtraFile, LessonMarker } from '../../shared/recording/library'
import { CHAT_FILE_NAME_HEADER } from '../../shared/chat/files'
import type { LessonRecordSink, RecordingSink } from './sink'

const TIMEOUT_MS = 20_000
/**
 * A chunk upload is retried this often on a lost connection or a 5xx before
 * the recording gives up: about 40 s, long enough for a session server to
 * restart (the chunks recorded meanwhile wait in memory, ~0.3 MB a second).
 */
const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]

export class UploadError extends Error {}

/** The server answered with a refusal (4xx). */
export class RefusedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

/** POST with the lesson token; the reply is validated. Network failures and 5xx throw UploadError, refusals RefusedError. */
async function post<T>(server: string, path: string, token: string, body: BodyInit | null, type: string, schema: z.ZodType<T> | null, extraHeaders: Record<string, string> = {}): Promise<T> {
  let response: Response
  try {
    response = await fetch(new URL(path, server), {
      method: 'POST',
      headers: { ...extraHeaders, Authorization: `Bearer ${token}`, 'Content-Type': type },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (error) {
    throw new UploadError(`upload failed: ${String(error)}`)
  }
  const json: unknown = await response.json().catch(() => null)
  if (!response.ok) {
    const message = (json as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${response.status}`
    if (response.status >= 500) throw new UploadError(message)
    throw new RefusedError(message, response.status)
  }
  if (!schema) return undefined as T
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw new Error(`The server sent a reply Duet does not understand (${path}: ${parsed.error.issues[0]?.message ?? 'invalid'})`)
  return parsed.data
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Browser: chunks are POSTed to the session server with sequence numbers;
 * a chunk whose answer was lost is simply sent again (the server takes the
 * same chunk twice as one).
 */
export class ServerSink implements RecordingSink {
  private recordingId: string | null = null

  constructor(
    private readonly server: string,
    private readonly token: string,
  ) {}

  async open(request: RecordingOpenRequest): Promise<RecordingOpenResult> {
    try {
      const result = await post(this.server, '/api/recordings', this.token, JSON.stringify(request), 'application/json', RecordingOpenResultSchema)
      if (result.ok) this.recordingId = result.recordingId
      return result
    } catch (error) {
      return { ok: false, reason: 'io', message: error instanceof Error ? error.message : String(error) }
    }
  }

  async write(seq: number, data: Uint8Array): Promise<RecordingWriteResult> {
    const id = this.recordingId
    if (!id) return { ok: false, reason: 'closed', message: 'not open' }
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await post(this.server, `/api/recordings/${id}/chunks/${seq}`, this.token, data as Uint8Array<ArrayBuffer>, 'application/octet-stream', RecordingWriteResultSchema)
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt]
        // The server no longer has this recording open: it restarted (and finished the part as interrupted).
        if (error instanceof RefusedError && error.status === 404) return { ok: false, reason: 'lost', message: error.message }
        if (!(error instanceof UploadError) || delay === undefined) {
          return { ok: false, reason: 'io', message: error instanceof Error ? error.message : String(error) }
        }
        await sleep(delay)
      }
    }
  }

  async thumbnail(jpeg: Uint8Array): Promise<void> {
    if (this.recordingId) await post(this.server, `/api/recordings/${this.recordingId}/thumbnail`, this.token, jpeg as Uint8Array<ArrayBuffer>, 'image/jpeg', null)
  }

  async close(): Promise<RecordingCloseResult | null> {
    const id = this.recordingId
    this.recordingId = null
    if (!id) return null
    return post(this.server, `/api/recordings/${id}/close`, this.token, null, 'application/json', RecordingCloseResultSchema.nullable())
  }
}

export class ServerLessonRecord implements LessonRecordSink {
  constructor(
    private readonly server: string,
    private readonly token: string,
    private readonly lessonId: string,
  ) {}

  addMarker(marker: LessonMarker): Promise<void> {
    return post(this.server, `/api/library/${this.lessonId}/markers`, this.token, JSON.stringify(marker), 'application/json', null)
  }

  addFile(name: LessonExtraFile, data: Uint8Array, label?: string): Promise<void> {
    // A chat file's name as its sender gave it, in the header the chat's own uploads use.
    const headers: Record<string, string> = label ? { [CHAT_FILE_NAME_HEADER]: encodeURIComponent(label) } : {}
    return post(this.server, `/api/library/${this.lessonId}/files/${name}`, this.token, data as Uint8Array<ArrayBuffer>, 'application/octet-stream', null, headers)
  }
}
