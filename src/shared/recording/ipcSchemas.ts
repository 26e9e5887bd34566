import { z } from 'zod'
import { MAX_CHAT_FILE_NAME_CHARS } from '../chat/limits'
import { RecordingIdSchema } from './io'
import { LessonExtraFileSchema, LessonIdSchema, LessonMarkerSchema, LibraryFileSchema, LibraryFolderSchema, MAX_EXTRA_FILE_BYTES } from './library'
import { MAX_CHUNK_BYTES, MAX_THUMBNAIL_BYTES } from './limits'

/** Binary payloads cross IPC as Uint8Array (structured clone); the size is checked before any handler runs. */
const bytes = (max: number) =>
  z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes (Uint8Array)').refine((b) => b.length <= max, `at most ${max} bytes`)

export const RecordingWriteRequestSchema = z.object({
  recordingId: RecordingIdSchema,
  seq: z.number().int().min(0).max(10_000_000),
  data: bytes(MAX_CHUNK_BYTES),
})
export type RecordingWriteRequest = z.infer<typeof RecordingWriteRequestSchema>

export const RecordingThumbnailRequestSchema = z.object({ recordingId: RecordingIdSchema, data: bytes(MAX_THUMBNAIL_BYTES) })

export const LibraryMarkerRequestSchema = z.object({ lessonId: LessonIdSchema, marker: LessonMarkerSchema })
/** `label`: what the sender called a file from the chat (the record lists it under that name). */
export const LibraryFileRequestSchema = z.object({
  lessonId: LessonIdSchema,
  name: LessonExtraFileSchema,
  data: bytes(MAX_EXTRA_FILE_BYTES),
  label: z.string().trim().min(1).max(MAX_CHAT_FILE_NAME_CHARS).optional(),
})
export const LibraryRenameRequestSchema = z.object({ lessonId: LessonIdSchema, title: z.string().trim().min(1).max(120).regex(/^[^\p{Cc}]+$/u) })
export const LibraryExportRequestSchema = z.object({ id: LibraryFolderSchema, file: LibraryFileSchema, format: z.enum(['original', 'mp4']) })
export type LibraryExportRequest = z.infer<typeof LibraryExportRequestSchema>

/** app://duet/_library/<lesson id>/<file>: the desktop library's files for <video> and <img>. */
export const LIBRARY_URL_PREFIX = '/_library/'
