import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody, readJson } from '../http/body'
import { HttpError } from '../http/respond'
import { RateLimiter } from '../http/rateLimit'
import { RESPONDED, type Route } from '../http/routes'
import { bearerToken, type LessonAuth } from '../lesson/auth'
import type { LessonRegistry } from '../lesson/registry'
import { LibraryListRequestSchema, LibraryRenameBodySchema, LibraryWatchedBodySchema, type LibraryKeyResponse, type LibraryListResponse } from '../../shared/recording/http'
import { CHAT_FILE_NAME_HEADER } from '../../shared/chat/files'
import { chatFileName, isChatRecordFile, LessonExtraFileSchema, LessonMarkerSchema, LibraryFileSchema, MAX_EXTRA_FILE_BYTES, MAX_MARKERS, RecordingFileSchema } from '../../shared/recording/library'
import { scanLibrary } from '../../shared/recording/libraryScan'
import { LessonRecordLimitError, type LessonRecordStore } from '../../shared/recording/lessonRecordStore'
import type { RecordingManager } from '../../shared/recording/manager'
import { exportMp4 } from '../../shared/recording/exportFile'
import type { RecordingFs } from '../../shared/recording/fs'
import type { AiConversation } from '../../shared/ai/conversation'
import type { LessonAiResponse } from '../../shared/recording/lessonAi'
import type { LibraryAccess, LibraryKeys } from './accessKeys'
import { sendFile } from '../http/sendFile'
import { lessonMeta } from './uploadRoutes'
import { fileNameOf } from '../chat/filesHttp'

export interface LibraryRouteDeps {
  registry: LessonRegistry
  auth: LessonAuth
  keys: LibraryKeys
  now: () => number
  store: LessonRecordStore | null
  manager: RecordingManager | null
  fs: RecordingFs
  publicUrl: () => string
  /** The lesson's AI conversations (both people's), as the AI service keeps them. */
  aiConversations: (lessonId: string) => Promise<readonly AiConversation[]>
  /** Someone holding a library key watched the lesson's recording for `seconds`. */
  watched(lessonId: string, role: 'tutor' | 'student', seconds: number): void
}

const LESSON = '([0-9a-f-]{36})'

/**
 * The web library: keys for the people of a lesson, the list of lessons the
 * browser holds keys for, markers and files from other features, rename and
 * delete (tutor keys only) and the files themselves (ranges, MP4 export).
 */
/** A PDF starts with "%PDF-" (a corrupt or foreign upload is refused, not stored as the lesson's pages). */
function isPdf(data: Uint8Array): boolean {
  return [0x25, 0x50, 0x44, 0x46, 0x2d].every((b, i) => data[i] === b)
}

/** Markers per lesson per minute: a tutor turning pages fast stays far below. */
const MARKERS_PER_MINUTE = 120

/** A lesson's file to its holder of a key: never cached unchecked; `downloadName` makes a link save it instead of opening it. */
async function sendLibraryFile(req: IncomingMessage, res: ServerResponse, file: string, downloadName: string | undefined): Promise<void> {
  const headers: Record<string, string> = { 'Cache-Control': 'private, no-cache' }
  // filename* carries a name in any script (作业.pdf); filename is the ASCII stand-in for old clients.
  if (downloadName) headers['Content-Disposition'] = `attachment; filename="${downloadName.replace(/[^\w. ()-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(downloadName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`
  if (!(await sendFile(req, res, file, headers))) throw new HttpError(404, 'not_found', 'No such file in this lesson')
}

export function libraryRoutes(deps: LibraryRouteDeps): Route[] {
  const markerLimiter = new RateLimiter({ perMinute: MARKERS_PER_MINUTE, now: deps.now })
  function store(): LessonRecordStore {
    if (!deps.store) throw new HttpError(404, 'not_found', 'This session server keeps no lesson records')
    return deps.store
  }


  async function key(raw: string, lessonId: string, tutorOnly = false): Promise<LibraryAccess> {
    const access = await deps.keys.verify(raw)
    if (!access || access.lessonId !== lessonId) throw new HttpError(401, 'unauthorized', 'A valid library key for this lesson is required')
    if (tutorOnly && access.role !== 'tutor') throw new HttpError(403, 'forbidden', 'Only the tutor can change this lesson record')
    return access
  }

  async function hasRecord(lessonId: string): Promise<boolean> {
    return (await store().readRecord(lessonId).catch(() => null)) !== null
  }

  return [
    {
      // Only the lesson's tutor and the student holding its seat get a key (lesson-auth checks both).
      method: 'POST',
      pattern: /^\/api\/library\/keys$/,
      handle: async (req): Promise<LibraryKeyResponse> => {
        const who = await deps.auth.request(req)
        return { lessonId: who.lesson.id, role: who.role, key: await deps.keys.sign({ lessonId: who.lesson.id, role: who.role }) }
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/library\/list$/,
      handle: async (req): Promise<LibraryListResponse> => {
        const { keys } = await readJson(req, LibraryListRequestSchema)
        const body: LibraryListResponse = { entries: [], invalidKeys: [] }
        if (deps.store) {
          const granted = new Map<string, LibraryAccess>()
          for (const [index, raw] of keys.entries()) {
            const access = await deps.keys.verify(raw)
            if (!access) body.invalidKeys.push(index)
            // A tutor key wins over a student key for the same lesson (rename, delete).
            else if (granted.get(access.lessonId)?.role !== 'tutor') granted.set(access.lessonId, access)
          }
          const entries = await scanLibrary(deps.store, (id, file) => deps.manager?.isRecording(id, file) ?? false, [...granted.keys()])
          body.entries = entries.map((e) => ({ ...e, role: granted.get(e.id)?.role ?? 'student' }))
        }
        return body
      },
    },
    {
      // Only the tutor's app records, so only it writes the recording's timeline.
      method: 'POST',
      pattern: new RegExp(`^/api/library/${LESSON}/markers$`),
      handle: async (req, _res, [lessonId = '']) => {
        await deps.auth.tutor(req, { lessonId })
        const verdict = markerLimiter.take(lessonId)
        if (!verdict.ok) throw new HttpError(429, 'rate_limited', 'Too many timeline markers; slow down', { retryAfterSeconds: verdict.retryAfterSeconds })
        const marker = await readJson(req, LessonMarkerSchema)
        // Markers only mean something on a recording's timeline.
        if (!(await hasRecord(lessonId))) return { ok: true }
        if ((await store().markers(lessonId)).length >= MAX_MARKERS) throw new HttpError(409, 'payload_too_large', `A recording keeps at most ${MAX_MARKERS} markers`)
        await store().addMarker(lessonId, marker)
        return { ok: true }
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/api/library/${LESSON}/files/([a-z0-9.-]{1,24})$`),
      handle: async (req, _res, [lessonId = '', name = '']) => {
        await deps.auth.tutor(req, { lessonId })
        const file = LessonExtraFileSchema.safeParse(name)
        if (!file.success) throw new HttpError(400, 'bad_request', `Not a lesson file: ${name}`)
        let label: string | undefined
        if (isChatRecordFile(file.data)) {
          const sent = fileNameOf(req)
          if (!sent) throw new HttpError(400, 'bad_request', `${name} needs the name its sender gave it (${CHAT_FILE_NAME_HEADER})`)
          label = sent
        }
        const data = new Uint8Array(await readBody(req, MAX_EXTRA_FILE_BYTES))
        if (file.data === 'board.pdf' && !isPdf(data)) throw new HttpError(400, 'bad_request', 'board.pdf is not a PDF file')
        // Every lesson leaves a record: a lesson that was never recorded gets one with its first file.
        if (!(await hasRecord(lessonId))) {
          const meta = lessonMeta(deps.registry, lessonId, deps.publicUrl())
          if (!meta) throw new HttpError(404, 'not_found', 'No such lesson on this server')
          await store().saveMeta(meta)
        }
        try {
          await store().addFile(lessonId, file.data, data, label)
        } catch (error) {
          if (error instanceof LessonRecordLimitError) throw new HttpError(409, 'payload_too_large', error.message)
          throw error
        }
        return { ok: true }
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/api/library/${LESSON}/ai$`),
      handle: async (req, _res, [lessonId = '']): Promise<LessonAiResponse> => {
        await deps.auth.tutor(req, { lessonId })
        return { conversations: (await deps.aiConversations(lessonId)).filter((c) => c.messages.length > 0) }
      },
    },
    {
      // The player reports what was watched when it stops or closes (a student watching again is progress).
      method: 'POST',
      pattern: new RegExp(`^/api/library/${LESSON}/watched$`),
      handle: async (req, _res, [lessonId = '']) => {
        const access = await key(bearerToken(req.headers.authorization), lessonId)
        const { seconds } = await readJson(req, LibraryWatchedBodySchema)
        deps.watched(lessonId, access.role, seconds)
        return { ok: true }
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/api/library/${LESSON}/rename$`),
      handle: async (req, _res, [lessonId = '']) => {
        await key(bearerToken(req.headers.authorization), lessonId, true)
        const { title } = await readJson(req, LibraryRenameBodySchema)
        await store().rename(lessonId, title)
        return { ok: true }
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/api/library/${LESSON}/delete$`),
      handle: async (req, _res, [lessonId = '']) => {
        await key(bearerToken(req.headers.authorization), lessonId, true)
        if (deps.manager?.recordingIds(lessonId).length) throw new HttpError(409, 'forbidden', 'This lesson is being recorded')
        await store().remove(lessonId)
        return { ok: true }
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/api/library/${LESSON}/file/([a-z0-9.-]{1,24})$`),
      handle: async (req, res, [lessonId = '', name = '']) => {
        const url = new URL(req.url ?? '/', 'http://localhost')
        await key(url.searchParams.get('key') ?? '', lessonId)
        const file = LibraryFileSchema.safeParse(name)
        if (!file.success) throw new HttpError(404, 'not_found', 'No such file in this lesson')
        // A file from the chat downloads under the name its sender gave it.
        const download = url.searchParams.get('download') === '1' ? (isChatRecordFile(name) ? chatFileName(await store().readRecord(lessonId).catch(() => null), name) : null) ?? name : undefined
        if (name.endsWith('.mp4')) {
          const webm = name.replace(/\.mp4$/, '.webm')
          if (!RecordingFileSchema.safeParse(webm).success) throw new HttpError(404, 'not_found', 'No such recording')
          if (deps.manager?.isRecording(lessonId, webm)) throw new HttpError(409, 'forbidden', 'This recording is still being written')
          const target = store().filePath(lessonId, name)
          const source = store().filePath(lessonId, webm)
          const [made, original] = await Promise.all([deps.fs.stat(target), deps.fs.stat(source)])
          if (!original) throw new HttpError(404, 'not_found', 'No such recording')
          // Made once, on first request; remade if the recording changed (repair) since.
          if (!made || made.mtimeMs < original.mtimeMs) await exportMp4(deps.fs, source, target)
          await sendLibraryFile(req, res, target, download)
          return RESPONDED
        }
        if (deps.manager?.isRecording(lessonId, name)) throw new HttpError(409, 'forbidden', 'This recording is still being written')
        await sendLibraryFile(req, res, store().filePath(lessonId, file.data), download)
        return RESPONDED
      },
    },
  ]
}
