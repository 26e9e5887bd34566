import { z } from 'zod'

/** Largest file a tutor attaches or a student hands in (a phone photo or a scanned PDF). */
export const MAX_HOMEWORK_FILE_BYTES = 10 * 1024 * 1024
/** Files per homework per side (the tutor's attachments, the student's submission). */
export const MAX_HOMEWORK_FILES = 5
export const HOMEWORK_FILE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp'] as const
export const HomeworkFileTypeSchema = z.enum(HOMEWORK_FILE_TYPES)

/** What the bytes of an upload say they are (a name or a Content-Type header proves nothing), or null. */
export function sniffHomeworkFile(bytes: Uint8Array): (typeof HOMEWORK_FILE_TYPES)[number] | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b)
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png'
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp'
  return null
}

/** Why a file cannot be handed in or attached, judged before it is sent (the server judges its bytes again). */
export type HomeworkFileProblem = 'empty' | 'size' | 'type'

const HOMEWORK_FILE_EXTENSIONS = /\.(pdf|png|jpe?g|webp)$/i

/**
 * What is wrong with a picked file, or null: too big, empty, or not a PDF or
 * picture. A browser may give no type (some Linux desktops, drag and drop),
 * so the name's extension decides then.
 */
export function homeworkFileProblem(file: { name: string; size: number; type: string }): HomeworkFileProblem | null {
  if (file.size === 0) return 'empty'
  if (file.size > MAX_HOMEWORK_FILE_BYTES) return 'size'
  const typed = (HOMEWORK_FILE_TYPES as readonly string[]).includes(file.type)
  if (!typed && (file.type !== '' || !HOMEWORK_FILE_EXTENSIONS.test(file.name))) return 'type'
  return null
}

export const HomeworkFileNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[^\p{Cc}/\\]+$/u, 'a file name without slashes or control characters')

/** A picked file's name as the server accepts it: slashes and control characters replaced, at most 120 characters, the extension kept. */
export function homeworkFileName(name: string): string {
  const clean = name.replace(/[\p{Cc}/\\]/gu, '_').trim() || 'file'
  if (clean.length <= 120) return clean
  const ext = /\.[A-Za-z0-9]{1,5}$/.exec(clean)?.[0] ?? ''
  return clean.slice(0, 120 - ext.length) + ext
}

export const HomeworkFileSchema = z.object({
  id: z.string(),
  /** 'assignment': attached by the tutor (a board page, a PDF); 'submission': handed in by the student. */
  role: z.enum(['assignment', 'submission']),
  name: HomeworkFileNameSchema,
  contentType: HomeworkFileTypeSchema,
  size: z.number().int().min(0),
})
export type HomeworkFile = z.infer<typeof HomeworkFileSchema>

/** assigned → (handed in: submitted with work, or marked done) → reviewed. */
export const HomeworkStatusSchema = z.enum(['assigned', 'submitted', 'done', 'reviewed'])
export type HomeworkStatus = z.infer<typeof HomeworkStatusSchema>

/** How a piece of homework stands against its due date. */
export const HomeworkTimingSchema = z.enum(['pending', 'on_time', 'late', 'missing'])
export type HomeworkTiming = z.infer<typeof HomeworkTimingSchema>

export const HomeworkSchema = z.object({
  id: z.string(),
  studentId: z.string(),
  lessonId: z.string().nullable(),
  title: z.string().min(1).max(120),
  body: z.string().max(4000),
  assignedAt: z.number(),
  dueAt: z.number(),
  status: HomeworkStatusSchema,
  /** When it was handed in (submitted or marked done), else null. */
  handedInAt: z.number().nullable(),
  submissionText: z.string().max(4000),
  timing: HomeworkTimingSchema,
  /** Days past the due date it was handed in (or, still missing, is now); 0 when on time. */
  daysLate: z.number().min(0),
  review: z.object({ comment: z.string().max(1000), at: z.number() }).nullable(),
  files: z.array(HomeworkFileSchema),
})
export type Homework = z.infer<typeof HomeworkSchema>

/** The timing of homework due at `dueAt`, handed in at `handedInAt` (or not yet), seen at `now`. */
export function homeworkTiming(dueAt: number, handedInAt: number | null, now: number): { timing: HomeworkTiming; daysLate: number } {
  const at = handedInAt ?? now
  const daysLate = at > dueAt ? (at - dueAt) / 86_400_000 : 0
  if (handedInAt !== null) return { timing: handedInAt <= dueAt ? 'on_time' : 'late', daysLate }
  return now > dueAt ? { timing: 'missing', daysLate } : { timing: 'pending', daysLate: 0 }
}

/** POST /api/roster/:id/homework */
export const AssignHomeworkRequestSchema = z.object({
  title: z.string().trim().min(1).max(120),
  body: z.string().trim().max(4000).default(''),
  dueAt: z.number().int().positive(),
  lessonId: z.string().min(1).max(64).nullable().default(null),
})
export type AssignHomeworkRequest = z.input<typeof AssignHomeworkRequestSchema>

/** POST /api/me/homework/:id/submit */
export const SubmitHomeworkRequestSchema = z.object({ text: z.string().trim().max(4000).default('') })
/** POST /api/roster/:id/homework/:hid/review */
export const ReviewHomeworkRequestSchema = z.object({ comment: z.string().trim().max(1000) })
