import type { IncomingMessage } from 'node:http'
import { readBody, readJson } from '../http/body'
import { HttpError } from '../http/respond'
import type { Route } from '../http/routes'
import type { LessonAuth, LessonParticipant } from '../lesson/auth'
import type { LessonRegistry } from '../lesson/registry'
import { RecordingOpenRequestSchema } from '../../shared/recording/io'
import type { LessonMeta } from '../../shared/recording/library'
import { MAX_CHUNK_BYTES, MAX_THUMBNAIL_BYTES } from '../../shared/recording/limits'
import type { LessonRecordStore } from '../../shared/recording/lessonRecordStore'
import type { RecordingManager } from '../../shared/recording/manager'
import type { RecordingRooms } from './rooms'

export interface UploadDeps {
  registry: LessonRegistry
  auth: LessonAuth
  rooms: RecordingRooms
  /** null = the server keeps no files (no data directory). */
  manager: RecordingManager | null
  store: LessonRecordStore | null
  publicUrl: () => string
}

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
export function uploadRoutes(deps: UploadDeps): Route[] {
  /** Only the lesson's tutor records it; an upload's token must be for the recording's own lesson. */
  async function tutor(req: IncomingMessage, lessonId: string): Promise<LessonParticipant> {
    const who = await deps.auth.request(req)
    if (who.role !== 'tutor') throw new HttpError(403, 'forbidden', 'Only the tutor records the lesson')
    if (who.lesson.id !== lessonId) throw new HttpError(403, 'forbidden', 'This recording belongs to another lesson')
    return who
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

  return [
    {
      method: 'POST',
      pattern: /^\/api\/recordings$/,
      handle: async (req) => {
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
        return await manager.openRecording({ ...body, meta })
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/recordings\/([A-Za-z0-9_-]{8,64})\/chunks\/(\d{1,8})$/,
      handle: async (req, _res, [recordingId = '', seq = '']) => {
        const manager = storage()
        await tutor(req, ownRecording(manager, recordingId))
        const data = new Uint8Array(await readBody(req, MAX_CHUNK_BYTES))
        return await manager.write(recordingId, Number(seq), data)
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/recordings\/([A-Za-z0-9_-]{8,64})\/thumbnail$/,
      handle: async (req, _res, [recordingId = '']) => {
        const manager = storage()
        await tutor(req, ownRecording(manager, recordingId))
        if ((req.headers['content-type'] ?? '').split(';')[0]?.trim() !== 'image/jpeg') throw new HttpError(415, 'bad_request', 'Content-Type must be image/jpeg')
        const jpeg = new Uint8Array(await readBody(req, MAX_THUMBNAIL_BYTES))
        if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new HttpError(400, 'bad_request', 'Not a JPEG image')
        await manager.thumbnail(recordingId, jpeg)
        return { ok: true }
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/recordings\/([A-Za-z0-9_-]{8,64})\/close$/,
      handle: async (req, _res, [recordingId = '']) => {
        const manager = storage()
        await tutor(req, ownRecording(manager, recordingId))
        return await manager.close(recordingId, 'stopped')
      },
    },
  ]
}
