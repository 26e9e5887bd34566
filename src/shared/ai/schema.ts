import { z } from 'zod'
import { RoleSchema } from '../lesson/lesson'
import { AiActionSchema, AiModeSchema } from './conversation'
import { ErrorCodeSchema } from '../errors'
import { MAX_ATTEMPT_CHARS, MAX_IMAGE_DATA_URL_CHARS, MAX_QUESTION_CHARS } from './limits'

/** Text a person typed: newlines and tabs allowed, other control characters not. */
const TypedTextSchema = (max: number) =>
  z
    .string()
    .max(max)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'no control characters')
    .transform((text) => text.trim())

/** A picture as a data URL: PNG, JPEG or WebP, base64. The server also checks the bytes. */
export const ImageDataUrlSchema = z
  .string()
  .max(MAX_IMAGE_DATA_URL_CHARS, 'image is too large')
  .regex(/^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/, 'must be a base64 PNG, JPEG or WebP data URL')

export const AiLocaleSchema = z.enum(['en', 'zh-CN'])

/** POST /api/ai/ask — answered with a text/event-stream of AiStreamEvent. */
export const AskRequestSchema = z
  .strictObject({
    action: AiActionSchema.default('ask'),
    question: TypedTextSchema(MAX_QUESTION_CHARS).default(''),
    attempt: TypedTextSchema(MAX_ATTEMPT_CHARS).optional(),
    image: ImageDataUrlSchema.optional(),
    /** The panel's language: follow-up actions ask the model to answer in it. */
    locale: AiLocaleSchema.optional(),
  })
  .refine((r) => r.action !== 'ask' || r.question.length > 0 || r.image !== undefined, {
    message: 'a question or an image is required',
    path: ['question'],
  })
export type AskRequest = z.input<typeof AskRequestSchema>

export const FinishReasonSchema = z.enum(['stop', 'length', 'stopped'])

/** One event of the answer stream (`data: <json>\n\n`). */
export const AiStreamEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    conversationId: z.string(),
    userMessageId: z.string(),
    messageId: z.string(),
    mode: AiModeSchema,
    model: z.string().max(200),
  }),
  z.object({ type: z.literal('delta'), text: z.string().max(100_000) }),
  /** Something the panel should say next to the answer (the picture was not sent, ...). */
  z.object({ type: z.literal('note'), code: z.enum(['image_not_sent', 'answer_truncated']) }),
  z.object({ type: z.literal('done'), finishReason: FinishReasonSchema }),
  z.object({
    type: z.literal('error'),
    code: ErrorCodeSchema,
    message: z.string().max(500),
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
  }),
])
export type AiStreamEvent = z.infer<typeof AiStreamEventSchema>

/** The lesson's AI settings the tutor controls; the server holds them. */
export const AiLessonSettingsSchema = z.object({
  /** What students get: hints first (Socratic) or direct answers. */
  studentMode: AiModeSchema,
  /** A server policy pins studentMode. */
  modeLocked: z.boolean(),
})
export type AiLessonSettings = z.infer<typeof AiLessonSettingsSchema>

/** POST /api/ai/settings (tutor) */
export const AiSettingsRequestSchema = z.strictObject({ studentMode: AiModeSchema })

/** POST /api/ai/provider (tutor): use a local Ollama model for this lesson, or stop using it. */
export const AiProviderRequestSchema = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('ollama'), model: z.string().min(1).max(200) }),
  z.strictObject({ source: z.literal('none') }),
])

export const AiProviderInfoSchema = z.object({
  source: z.enum(['config', 'ollama']),
  model: z.string().max(200),
  vision: z.boolean(),
})
export type AiProviderInfo = z.infer<typeof AiProviderInfoSchema>

/** GET /api/ai/status */
export const AiStatusSchema = z.object({
  role: RoleSchema,
  /** In a lesson, or practising outside one (settings.studentMode is then the caller's own mode). */
  scope: z.enum(['lesson', 'practice']).default('lesson'),
  /** null: no model; the panel offers the offline solver. */
  provider: AiProviderInfoSchema.nullable(),
  settings: AiLessonSettingsSchema,
  /** The mode this caller's answers use (tutors always get direct answers). */
  mode: AiModeSchema,
  /** Students only: questions asked today against the school's limit. */
  quota: z.object({ used: z.number().int().min(0), limit: z.number().int().min(0), resetsAt: z.number() }).nullable(),
  maxTokensPerAnswer: z.number().int().positive(),
  /** Tutor only, and only while no model is configured: a local Ollama was found. */
  ollama: z.object({ models: z.array(z.string().max(200)).max(50) }).nullable(),
  lessonEnded: z.boolean(),
})
export type AiStatus = z.infer<typeof AiStatusSchema>

/** GET /api/ai/events — a text/event-stream the panel keeps open for live settings. */
export const AiLessonEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('settings'), settings: AiLessonSettingsSchema }),
  z.object({ type: z.literal('provider'), provider: AiProviderInfoSchema.nullable() }),
])
export type AiLessonEvent = z.infer<typeof AiLessonEventSchema>
