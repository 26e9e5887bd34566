import { errorText } from './fs'
import {
  isChatRecordFile,
  LESSON_EXTRA_FILES,
  MAX_CHAT_RECORD_FILES,
  RecordingFileSchema,
  thumbnailOf,
  type LessonExtraFile,
  type LessonRecord,
  type LibraryEntry,
  type LibraryProblem,
  type LibraryRecording,
  type RecordingPart,
} from './library'
import { DamagedRecordError, type LessonRecordStore } from './lessonRecordStore'

/** The first four bytes of every EBML (WebM) file. */
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3]

/**
 * Everything in the library as the library screen lists it. A folder whose
 * lesson.json is missing or broken, or whose recording file is missing, empty
 * or not a WebM, is still listed, with the reason, so the user can see it and
 * remove it; nothing here throws for bad contents.
 */
export async function scanLibrary(store: LessonRecordStore, isRecording: (id: string, file: string) => boolean, only?: string[]): Promise<LibraryEntry[]> {
  const entries: LibraryEntry[] = []
  const folders = await store.folders()
  for (const id of only ? folders.filter((f) => only.includes(f)) : folders) {
    try {
      entries.push(await scanEntry(store, id, isRecording))
    } catch (error) {
      entries.push({ id, record: null, damaged: { code: 'record-unreadable', detail: errorText(error) }, recordings: [], extraFiles: [], markers: [], sizeBytes: 0 })
    }
  }
  const when = (e: LibraryEntry): number => e.record?.startedAt ?? e.record?.createdAt ?? 0
  return entries.sort((a, b) => when(b) - when(a))
}

async function scanEntry(store: LessonRecordStore, id: string, isRecording: (id: string, file: string) => boolean): Promise<LibraryEntry> {
  const { fs } = store.deps
  const folder = store.folder(id)
  const names = await fs.readdir(folder)
  let sizeBytes = 0
  for (const name of names) sizeBytes += (await fs.stat(fs.join(folder, name)))?.size ?? 0

  let record: LessonRecord | null = null
  let damaged: LibraryProblem | null = null
  try {
    record = await store.readRecord(id)
    if (!record) damaged = { code: 'record-missing', detail: 'lesson.json is missing' }
  } catch (error) {
    damaged = { code: 'record-unreadable', detail: error instanceof DamagedRecordError ? error.message : errorText(error) }
  }

  // Without a usable record, recordings found in the folder are still offered (marked damaged).
  const parts: RecordingPart[] =
    record?.recordings ??
    names
      .filter((n) => RecordingFileSchema.safeParse(n).success)
      .map((file) => ({ file, startedAt: 0, durationMs: null, status: 'damaged' as const, problem: damaged, mimeType: 'video/webm', thumbnail: null }))

  const recordings: LibraryRecording[] = []
  for (const part of parts) recordings.push(await checkPart(store, id, part, names, isRecording(id, part.file)))

  const chatFiles = names
    .filter(isChatRecordFile)
    .sort((a, b) => chatSeq(a) - chatSeq(b))
    .slice(0, MAX_CHAT_RECORD_FILES)
  const extraFiles: LessonExtraFile[] = [...LESSON_EXTRA_FILES.filter((f) => names.includes(f)), ...chatFiles]
  const markers = await store.markers(id).catch(() => [])
  return { id, record, damaged, recordings, extraFiles, markers, sizeBytes }
}

/** chat-12.pdf → 12: the chat's files in the order they were sent. */
const chatSeq = (file: string): number => Number(/^chat-(\d+)/.exec(file)?.[1] ?? 0)

async function checkPart(store: LessonRecordStore, id: string, part: RecordingPart, names: string[], active: boolean): Promise<LibraryRecording> {
  const { fs } = store.deps
  const thumbnail = part.thumbnail ?? (names.includes(thumbnailOf(part.file)) ? thumbnailOf(part.file) : null)
  if (!names.includes(part.file)) {
    return { ...part, thumbnail, status: 'damaged', problem: { code: 'file-missing', detail: `${part.file} is missing` }, sizeBytes: 0 }
  }
  const path = store.filePath(id, part.file)
  const size = (await fs.stat(path))?.size ?? 0
  if (part.status === 'recording') {
    // Not being written by this process: it was cut off; the next start repairs it.
    return active ? { ...part, thumbnail, sizeBytes: size } : { ...part, thumbnail, status: 'damaged', problem: { code: 'unfinished', detail: 'the recording was cut off and is repaired on the next start' }, sizeBytes: size }
  }
  if (size === 0) return { ...part, thumbnail, status: 'damaged', problem: { code: 'file-empty', detail: `${part.file} is empty` }, sizeBytes: 0 }
  const file = await fs.open(path, 'r')
  try {
    const head = await file.read(0, 4)
    if (!EBML_MAGIC.every((b, i) => head[i] === b)) {
      return { ...part, thumbnail, status: 'damaged', problem: { code: 'not-webm', detail: `${part.file} is not a WebM file` }, sizeBytes: size }
    }
  } finally {
    await file.close()
  }
  return { ...part, thumbnail, sizeBytes: size }
}
