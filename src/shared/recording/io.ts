import { z } from 'zod'
import { LessonIdSchema, LessonMetaSchema, LibraryProblemSchema, RecordingFileSchema } from './library'

/** Handle for one recording being written (desktop main process or session server). */
export const RecordingIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/)

export const RecordingOpenRequestSchema = z.object({
  lessonId: LessonIdSchema,
  mimeType: z.string().regex(/^video\/webm(;[\w=,.\s-]*)?$/).max(100),
  /** Epoch ms when MediaRecorder started. */
  startedAt: z.number().int().nonnegative(),
  meta: LessonMetaSchema,
})
export type RecordingOpenRequest = z.infer<typeof RecordingOpenRequestSchema>

export const RecordingOpenFailureSchema = z.enum(['low-space', 'no-storage', 'io', 'too-many-parts', 'not-allowed'])
export type RecordingOpenFailure = z.infer<typeof RecordingOpenFailureSchema>

export const RecordingOpenResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), recordingId: RecordingIdSchema, file: RecordingFileSchema, freeBytes: z.number().nullable() }),
  z.object({ ok: z.literal(false), reason: RecordingOpenFailureSchema, message: z.string().max(300) }),
])
export type RecordingOpenResult = z.infer<typeof RecordingOpenResultSchema>

/** `lost`: the session server no longer holds this recording (it restarted, and finished it as interrupted). */
export const RecordingWriteFailureSchema = z.enum(['disk-full', 'sequence', 'closed', 'io', 'too-large', 'lost'])
export type RecordingWriteFailure = z.infer<typeof RecordingWriteFailureSchema>

export const RecordingWriteResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** Bytes on disk so far. */
    bytes: z.number().nonnegative(),
    freeBytes: z.number().nullable(),
    /** Free space is getting low: warn the user. */
    lowSpace: z.boolean(),
  }),
  z.object({ ok: z.literal(false), reason: RecordingWriteFailureSchema, message: z.string().max(300) }),
])
export type RecordingWriteResult = z.infer<typeof RecordingWriteResultSchema>

export const RecordingCloseResultSchema = z.object({
  file: RecordingFileSchema,
  status: z.enum(['ready', 'repaired', 'damaged']),
  durationMs: z.number().nonnegative().nullable(),
  problem: LibraryProblemSchema.nullable(),
})
export type RecordingCloseResult = z.infer<typeof RecordingCloseResultSchema>
