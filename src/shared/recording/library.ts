import { z } from 'zod'
import { CHAT_FILE_TYPES } from '../chat/files'
import { MAX_CHAT_FILE_NAME_CHARS } from '../chat/limits'
import { DisplayNameSchema, RoleSchema } from '../lesson/lesson'

/**
 * The lesson library: one folder per lesson, named by the lesson id.
 *
 *   <library>/<lessonId>/lesson.json                 LessonRecord (metadata, recordings)
 *                       /recording.webm              the composite recording (recording-2.webm, … for later parts)
 *                       /recording.webm.inprogress   sidecar: present while a part is being written
 *                       /recording.jpg               thumbnail of that part (recording-2.jpg, …)
 *                       /events.jsonl                markers, one JSON LessonMarker per line
 *                       /board.pdf, ai.md, chat.md   added by the whiteboard / AI / chat features
 *                       /chat-<seq>.<ext>            a file someone sent in the lesson's chat (chat-12.pdf)
 */
export const LESSON_RECORD_FILE = 'lesson.json'
export const EVENTS_FILE = 'events.jsonl'
export const IN_PROGRESS_SUFFIX = '.inprogress'

/** Lesson ids are the session server's UUIDs; they are also folder names, so nothing else passes. */
export const LessonIdSchema = z.uuid()
/** A folder name the library will list (and let the user delete) even when its contents are damaged. */
export const LibraryFolderSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/)

export const RecordingFileSchema = z.string().regex(/^recording(-[2-9]|-[1-9]\d)?\.webm$/, 'not a recording file name')
export const MAX_RECORDING_PARTS = 99

/** Files other features add to a lesson record (whiteboard pages, AI conversation, chat). */
export const LESSON_EXTRA_FILES = ['board.pdf', 'ai.md', 'chat.md'] as const

/**
 * A file from the lesson's chat, kept with the record under the message's
 * number and the type the chat server found in its bytes (chat-12.pdf), so
 * a name someone typed never becomes a path; what they called it is in the
 * record (`chatFiles`). The extensions are those the chat allows (CHAT_FILE_TYPES).
 */
export type ChatRecordFile = `chat-${number}.${string}`
const CHAT_EXTENSIONS = new Set<string>(Object.values(CHAT_FILE_TYPES).map((t) => t.ext))
export const isChatRecordFile = (name: string): name is ChatRecordFile => {
  const match = /^chat-[1-9]\d{0,5}\.([a-z]{3,4})$/.exec(name)
  return match !== null && CHAT_EXTENSIONS.has(match[1] ?? '')
}
export const ChatRecordFileSchema = z.custom<ChatRecordFile>((v) => typeof v === 'string' && isChatRecordFile(v), 'not a chat file of the lesson record')
/** A record keeps the lesson chat's first files up to this many (a chat allows 200 MB of them). */
export const MAX_CHAT_RECORD_FILES = 100

export type LessonExtraFile = (typeof LESSON_EXTRA_FILES)[number] | ChatRecordFile
export const LessonExtraFileSchema = z.union([z.enum(LESSON_EXTRA_FILES), ChatRecordFileSchema])
export const MAX_EXTRA_FILE_BYTES = 50 * 1024 * 1024

/** Every file the library serves or exports; anything else is refused (no traversal). */
export const LibraryFileSchema = z.union([RecordingFileSchema, LessonExtraFileSchema, z.string().regex(/^recording(-\d{1,2})?\.(jpg|mp4)$/)])

export function thumbnailOf(recordingFile: string): string {
  return recordingFile.replace(/\.webm$/, '.jpg')
}

export function recordingFileFor(part: number): string {
  return part <= 1 ? 'recording.webm' : `recording-${part}.webm`
}

/**
 * A moment worth jumping to. `at` is epoch ms; the player places it on a
 * recording's timeline by subtracting that recording's startedAt.
 * Kinds so far: recording-start, screen-share-start, screen-share-stop; the
 * whiteboard adds page changes, the AI panel questions.
 */
export const LessonMarkerSchema = z.object({
  at: z.number().int().nonnegative(),
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
  label: z.string().max(200),
})
export type LessonMarker = z.infer<typeof LessonMarkerSchema>
export const MAX_MARKERS = 5000

export const RecordingStatusSchema = z.enum(['recording', 'ready', 'repaired', 'damaged'])
export type RecordingStatus = z.infer<typeof RecordingStatusSchema>

/**
 * What went wrong (damaged) or what repair did (repaired), as a code the UI
 * translates, plus an English detail for logs and tooltips.
 */
export const LIBRARY_PROBLEMS = [
  'record-missing',
  'record-unreadable',
  'file-missing',
  'file-empty',
  'not-webm',
  'no-media',
  'finalize-failed',
  'no-space-to-finish',
  'unfinished',
  'interrupted',
  'disk-full',
] as const
export const LibraryProblemSchema = z.object({
  code: z.enum(LIBRARY_PROBLEMS),
  detail: z.string().max(300),
})
export type LibraryProblem = z.infer<typeof LibraryProblemSchema>

export const RecordingPartSchema = z.object({
  file: RecordingFileSchema,
  startedAt: z.number(),
  durationMs: z.number().nonnegative().nullable(),
  status: RecordingStatusSchema,
  /** Why it is damaged, or what repair did; null when all went well. */
  problem: LibraryProblemSchema.nullable(),
  mimeType: z.string().max(100),
  thumbnail: z.string().max(40).nullable(),
})
export type RecordingPart = z.infer<typeof RecordingPartSchema>

/** lesson.json */
export const LessonRecordSchema = z.object({
  version: z.literal(1),
  lessonId: LessonIdSchema,
  /** Set when the user renames the lesson; null shows a title made of the names. */
  title: z.string().trim().min(1).max(120).nullable(),
  /** This machine's person in the lesson. */
  role: RoleSchema,
  tutorName: DisplayNameSchema,
  studentName: DisplayNameSchema.nullable(),
  /** Session server origin the lesson ran on. */
  server: z.string().max(2048),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  recordings: z.array(RecordingPartSchema).max(MAX_RECORDING_PARTS),
  /** The chat's files kept with the record, with the names their sender gave them. */
  chatFiles: z.array(z.object({ file: ChatRecordFileSchema, name: z.string().min(1).max(MAX_CHAT_FILE_NAME_CHARS) })).max(MAX_CHAT_RECORD_FILES).optional(),
})
export type LessonRecord = z.infer<typeof LessonRecordSchema>

/** Extensions a name may end in for a file of this type (the chat keeps Word, Excel and PowerPoint 97-2003 files alike as .doc). */
const SAME_TYPE: Record<string, string[]> = { jpg: ['jpg', 'jpeg'], doc: ['doc', 'xls', 'ppt'] }

/**
 * What the chat's sender called a file of the record, ending in an extension
 * of its type so it opens in the right program ("photo" of chat-3.jpg →
 * "photo.jpg"); null for any other file.
 */
export function chatFileName(record: LessonRecord | null, file: string): string | null {
  const name = record?.chatFiles?.find((f) => f.file === file)?.name
  if (!name) return null
  const ext = file.slice(file.lastIndexOf('.') + 1)
  const own = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : ''
  return (SAME_TYPE[ext] ?? [ext]).includes(own) ? name : `${name}.${ext}`
}

/** What the renderer reports about a lesson (start, peer arrival, end); merged into lesson.json. */
export const LessonMetaSchema = LessonRecordSchema.pick({
  lessonId: true,
  role: true,
  tutorName: true,
  studentName: true,
  server: true,
  startedAt: true,
  endedAt: true,
  durationMs: true,
})
export type LessonMeta = z.infer<typeof LessonMetaSchema>

export const LibraryRecordingSchema = RecordingPartSchema.extend({ sizeBytes: z.number().nonnegative() })
export type LibraryRecording = z.infer<typeof LibraryRecordingSchema>

/** One lesson as the library screen lists it. A damaged folder has record null and says why. */
export const LibraryEntrySchema = z.object({
  id: LibraryFolderSchema,
  record: LessonRecordSchema.nullable(),
  damaged: LibraryProblemSchema.nullable(),
  recordings: z.array(LibraryRecordingSchema).max(MAX_RECORDING_PARTS),
  extraFiles: z.array(LessonExtraFileSchema).max(LESSON_EXTRA_FILES.length + MAX_CHAT_RECORD_FILES),
  markers: z.array(LessonMarkerSchema).max(MAX_MARKERS),
  sizeBytes: z.number().nonnegative(),
})
export type LibraryEntry = z.infer<typeof LibraryEntrySchema>
export const LibraryListSchema = z.array(LibraryEntrySchema).max(10_000)
