import { cleanFileName } from '../chat/files'
import { errorText, type RecordingFs } from './fs'
import {
  EVENTS_FILE,
  isChatRecordFile,
  LESSON_RECORD_FILE,
  LessonExtraFileSchema,
  LessonMarkerSchema,
  LessonRecordSchema,
  LibraryFileSchema,
  LibraryFolderSchema,
  MAX_CHAT_RECORD_FILES,
  MAX_EXTRA_FILE_BYTES,
  MAX_MARKERS,
  type LessonExtraFile,
  type LessonMarker,
  type LessonMeta,
  type LessonRecord,
} from './library'

/** lesson.json is there but cannot be used. */
export class DamagedRecordError extends Error {}

/** The record already keeps as many of something as it may. */
export class LessonRecordLimitError extends Error {}

export interface LibraryStoreDeps {
  fs: RecordingFs
  /** The library folder (created on first use). */
  root: string
  now: () => number
}

/**
 * The lesson library on disk: one folder per lesson with lesson.json and its
 * files (see library.ts). Updates to one lesson's record are serialized;
 * every id and file name is validated before it becomes a path.
 */
export class LessonRecordStore {
  private readonly locks = new Map<string, Promise<unknown>>()

  constructor(readonly deps: LibraryStoreDeps) {}

  get root(): string {
    return this.deps.root
  }

  folder(id: string): string {
    return this.deps.fs.join(this.deps.root, LibraryFolderSchema.parse(id))
  }

  filePath(id: string, file: string): string {
    return this.deps.fs.join(this.folder(id), LibraryFileSchema.parse(file))
  }

  /** The record, null if there is none; throws DamagedRecordError if it cannot be read. */
  async readRecord(id: string): Promise<LessonRecord | null> {
    const file = this.deps.fs.join(this.folder(id), LESSON_RECORD_FILE)
    if (!(await this.deps.fs.stat(file))) return null
    let json: unknown
    try {
      json = JSON.parse(new TextDecoder().decode(await this.deps.fs.readFile(file)))
    } catch (error) {
      throw new DamagedRecordError(`lesson.json is not readable JSON: ${errorText(error)}`)
    }
    const parsed = LessonRecordSchema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new DamagedRecordError(`lesson.json is invalid: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'bad shape'}`)
    }
    if (parsed.data.lessonId !== id) throw new DamagedRecordError('lesson.json belongs to another lesson')
    return parsed.data
  }

  /** Read-modify-write of lesson.json, one at a time per lesson; creates the folder. */
  update(id: string, change: (record: LessonRecord | null) => LessonRecord): Promise<LessonRecord> {
    const previous = this.locks.get(id) ?? Promise.resolve()
    const run = previous.catch(() => {}).then(async () => {
      await this.deps.fs.mkdir(this.folder(id))
      const next = LessonRecordSchema.parse(change(await this.readRecord(id)))
      await this.deps.fs.writeFileAtomic(this.deps.fs.join(this.folder(id), LESSON_RECORD_FILE), JSON.stringify(next, null, 2))
      return next
    })
    this.locks.set(id, run)
    void run.finally(() => {
      if (this.locks.get(id) === run) this.locks.delete(id)
    }).catch(() => {})
    return run
  }

  /** Merges what the app knows about the lesson; names and times only grow more complete. */
  saveMeta(meta: LessonMeta): Promise<LessonRecord> {
    return this.update(meta.lessonId, (record) => ({
      version: 1,
      title: record?.title ?? null,
      recordings: record?.recordings ?? [],
      createdAt: record?.createdAt ?? this.deps.now(),
      lessonId: meta.lessonId,
      role: meta.role,
      tutorName: meta.tutorName,
      studentName: meta.studentName ?? record?.studentName ?? null,
      server: meta.server,
      startedAt: meta.startedAt ?? record?.startedAt ?? null,
      endedAt: meta.endedAt ?? record?.endedAt ?? null,
      durationMs: meta.durationMs ?? record?.durationMs ?? null,
      ...(record?.chatFiles ? { chatFiles: record.chatFiles } : {}),
    }))
  }

  rename(id: string, title: string): Promise<LessonRecord> {
    return this.update(id, (record) => {
      if (!record) throw new Error('No such lesson in the library')
      return { ...record, title }
    })
  }

  async remove(id: string): Promise<void> {
    await this.deps.fs.rm(this.folder(id))
  }

  /**
   * Whiteboard PDF, AI conversation, chat, a file from the chat: replaces an
   * earlier version of the same file. A chat file needs `label`, what its
   * sender called it (the record lists it under that name).
   */
  async addFile(id: string, name: LessonExtraFile, data: Uint8Array, label?: string): Promise<void> {
    if (!LessonExtraFileSchema.safeParse(name).success) throw new Error(`Not a lesson file: ${name}`)
    if (data.length > MAX_EXTRA_FILE_BYTES) throw new Error(`${name} is larger than ${MAX_EXTRA_FILE_BYTES} bytes`)
    const record = await this.readRecord(id)
    if (!record) throw new Error('No such lesson in the library')
    if (isChatRecordFile(name)) {
      const known = record.chatFiles ?? []
      if (!label) throw new Error(`${name} needs the name its sender gave it`)
      if (!known.some((f) => f.file === name) && known.length >= MAX_CHAT_RECORD_FILES) throw new LessonRecordLimitError(`A lesson record keeps at most ${MAX_CHAT_RECORD_FILES} files from the chat`)
      // The file first: a record never names a chat file it does not have.
      await this.deps.fs.writeFileAtomic(this.filePath(id, name), data)
      await this.update(id, (current) => {
        if (!current) throw new Error('No such lesson in the library')
        const others = (current.chatFiles ?? []).filter((f) => f.file !== name)
        return { ...current, chatFiles: [...others, { file: name, name: cleanFileName(label) }] }
      })
      return
    }
    await this.deps.fs.writeFileAtomic(this.filePath(id, name), data)
  }

  async addMarker(id: string, marker: LessonMarker): Promise<void> {
    const valid = LessonMarkerSchema.parse(marker)
    await this.deps.fs.mkdir(this.folder(id))
    await this.deps.fs.appendFile(this.deps.fs.join(this.folder(id), EVENTS_FILE), `${JSON.stringify(valid)}\n`)
  }

  /**
   * Markers in time order; a torn or invalid line (crash mid-append) is
   * skipped, and a marker written again (the lesson's AI questions are
   * written each time its files are saved) counts once.
   */
  async markers(id: string): Promise<LessonMarker[]> {
    const file = this.deps.fs.join(this.folder(id), EVENTS_FILE)
    if (!(await this.deps.fs.stat(file))) return []
    const out: LessonMarker[] = []
    const seen = new Set<string>()
    for (const line of new TextDecoder().decode(await this.deps.fs.readFile(file)).split('\n')) {
      if (!line.trim() || out.length >= MAX_MARKERS) continue
      try {
        const parsed = LessonMarkerSchema.safeParse(JSON.parse(line))
        if (!parsed.success) continue
        const key = JSON.stringify([parsed.data.at, parsed.data.kind, parsed.data.label])
        if (seen.has(key)) continue
        seen.add(key)
        out.push(parsed.data)
      } catch {
        // torn last line
      }
    }
    return out.sort((a, b) => a.at - b.at)
  }

  /** Lesson folders (names that could be lesson ids), newest first is up to the caller. */
  async folders(): Promise<string[]> {
    if (!(await this.deps.fs.stat(this.deps.root))) return []
    const names = await this.deps.fs.readdir(this.deps.root)
    const out: string[] = []
    for (const name of names) {
      if (!LibraryFolderSchema.safeParse(name).success) continue
      const info = await this.deps.fs.stat(this.deps.fs.join(this.deps.root, name))
      if (info?.isDirectory) out.push(name)
    }
    return out
  }
}
