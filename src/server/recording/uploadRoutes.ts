import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody, readJson } from '../http/body'
import { HttpError, sendJson } from '../http/respond'
import type { LessonRegistry } from '../lesson/registry'
import type { TokenClaims, TokenService } from '../lesson/tokens'
import { RecordingOpenRequestSchema } from '../../shared/recording/io'
import type { LessonMeta } from '../../shared/recording/library'
import { MAX_CHUNK_BYTES, MAX_THUMBNAIL_BYTES } from '../../shared/recording/limits'
import type { LessonRecordStore } from '../../shared/recording/lessonRecordStore'
import type { RecordingManager } from '../../shared/recording/manager'
import { bearer } from './accessKeys'
import type { RecordingRooms } from './rooms'

export interface UploadDeps {
  registry: LessonRegistry
  tokens: TokenService
  rooms: RecordingRooms
  /** null = the server keeps no files (no data directory). */
  manager: RecordingManager | null
  store: LessonRecordStore | null
  publicUrl: () => string
  cors: Record<string, string>
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, params: string[]) => Promise<void>

/** What the server itself knows about a lesson, so a browser cannot write someone else's names into the record. */
export function lessonMeta(registry: LessonRegistry, lessonId: string, publicUrl: string): LessonMeta | null {
  const lesson = registry.get(lessonId)
  if (!lesson) return null
  const student = [...lesson.attendance].reverse().find((a) => a.role === 'student')
  const endedAt = lesson.endedAt
  return {
    lessonId,
    role: 'tutor',
    tutorName: lesson.tutorName,
    studentName: student?.name ?? null,
    server: publicUrl,
    startedAt: lesson.startedAt,
    endedAt,
    durationMs: lesson.startedAt !== null && endedAt !== null ? Math.max(0, endedAt - lesson.startedAt) : null,
  }
}

/**
 * Browser recordings: the tutor's page opens a recording (only while the
 * lesson's recording state is on, so the student has been told), uploads
 * numbered ~1 s chunks that are appended and fsynced like on the desktop,
 * a thumbnail, and closes it. Every call carries the tutor's lesson token.
 */
export function uploadRoutes(deps: UploadDeps): Record<string, { pattern: RegExp; handler: RouteHandler }> {
  async function tutor(req: IncomingMessage, lessonId?: string): Promise<TokenClaims> {
    const claims = await deps.tokens.verify(bearer(req.headers.authorization))
    if (!claims) throw new HttpError(401, 'unauthorized', 'A valid lesson token is required')
    const lesson = deps.registry.get(claims.lid)
    if (claims.role !== 'tutor' || (lesson && claims.sub !== lesson.tutorId)) throw new HttpError(403, 'forbidden', 'Only the tutor records the lesson')
    if (lessonId !== undefined && claims.lid !== lessonId) throw new HttpError(403, 'forbidden', 'This recording belongs to another lesson')
    return claims
  }

  function storage(): RecordingManager {
    if (!deps.manager) throw new HttpError(403, 'forbidden', 'This session server keeps no files (it runs without a data directory), so it cannot store recordings')
    return deps.manager
  }

  function ownRecording(manager: RecordingManager, recordingId: string): string {
    const lessonId = manager.lessonOf(recordingId)
    if (!lessonId) throw new HttpError(404, 'not_found', 'No such open recording')
    return lessonId
  }

  return {
    open: {
      pattern: /^\/api\/recordings$/,
      handler: async (req, res) => {
        const manager = storage()
        const body = await readJson(req, RecordingOpenRequestSchema)
        await tutor(req, body.lessonId)
        const lesson = deps.registry.get(body.lessonId)
        if (!lesson || lesson.endedAt !== null) throw new HttpError(410, 'lesson_ended', 'This lesson has ended')
        if (!deps.rooms.state(body.lessonId).on) throw new HttpError(409, 'forbidden', 'Recording is not switched on for this lesson')
        const meta = lessonMeta(deps.registry, body.lessonId, deps.publicUrl())
        if (!meta) throw new HttpError(410, 'lesson_ended', 'This lesson has ended')
        // One recorder per lesson: a part left open by the tutor's previous page (reload, crash) is finished now.
        await manager.closeAll('interrupted', body.lessonId)
        sendJson(res, 200, await manager.openRecording({ ...body, meta }), deps.cors)
      },
    },
    chunk: {
      pattern: /^\/api\/recordings\/([A-Za-z0-9_-]{8,64})\/chunks\/(\d{1,8})$/,
      handler: async (req, res, [recordingId = '', seq = '']) => {
        const manager = storage()
        await tutor(req, ownRecording(manager, recordingId))
        const data = new Uint8Array(await readBody(req, MAX_CHUNK_BYTES))
        sendJson(res, 200, await manager.write(recordingId, Number(seq), data), deps.cors)
      },
    },
    thumbnail: {
      pattern: /^\/api\/recordings\/([A-Za-z0-9_-]{8,64})\/thumbnail$/,
      handler: async (req, res, [recordingId = '']) => {
        const manager = storage()
        await tutor(req, ownRecording(manager, recordingId))
        if ((req.headers['content-type'] ?? '').split(';')[0]?.trim() !== 'image/jpeg') throw new HttpError(415, 'bad_request', 'Content-Type must be image/jpeg')
        const jpeg = new Uint8Array(await readBody(req, MAX_THUMBNAIL_BYTES))
        if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new HttpError(400, 'bad_request', 'Not a JPEG image')
        await manager.thumbnail(recordingId, jpeg)
        sendJson(res, 200, { ok: true }, deps.cors)
      },
    },
    close: {
      pattern: /^\/api\/recordings\/([A-Za-z0-9_-]{8,64})\/close$/,
      handler: async (req, res, [recordingId = '']) => {
        const manager = storage()
        await tutor(req, ownRecording(manager, recordingId))
        sendJson(res, 200, await manager.close(recordingId, 'stopped'), deps.cors)
      },
    },
  }
}
