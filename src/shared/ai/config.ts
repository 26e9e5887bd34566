import { z } from 'zod'
import { AiModeSchema } from './conversation'

/** http(s) URL without a trailing slash, e.g. https://api.openai.com/v1 */
const BaseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .transform((url) => url.replace(/\/+$/, ''))

const fields = {
  /** OpenAI-compatible base URL; /chat/completions is appended. */
  baseUrl: BaseUrlSchema,
  /** Sent upstream only, never to clients or logs. */
  apiKey: z.string().min(1).max(1000),
  model: z.string().min(1).max(200),
  /** The model accepts image_url content parts. */
  vision: z.boolean(),
  maxTokensPerAnswer: z.number().int().min(16).max(32_768),
  questionsPerStudentPerDay: z.number().int().min(1).max(100_000),
  /** What students get unless the tutor switches it. */
  studentMode: AiModeSchema,
  /** Pin studentMode: the tutor cannot change it. */
  lockMode: z.boolean(),
  /** Where a local Ollama is looked for when no model is configured; null turns detection off. */
  ollamaUrl: BaseUrlSchema.nullable(),
  /** Longest wait for the provider's first byte, and between two chunks. */
  timeoutMs: z.number().int().min(1000).max(600_000),
  /** People may ask outside lessons with a practice pass (the "Ask AI" screen). */
  allowPractice: z.boolean(),
  /**
   * The server's own machine (the tutor's desktop app) gets tutor practice
   * passes: direct answers first, no daily count. A managed install used by
   * students sets false, so every practice pass is a student's.
   */
  practiceLocalTutor: z.boolean(),
  /**
   * Students get practice passes too (off unless the tutor or a policy turns
   * it on: every student question spends the school's model key).
   */
  studentPractice: z.boolean(),
  /** Practice questions from one network address per day, across all its students' passes. */
  practiceQuestionsPerAddressPerDay: z.number().int().min(1).max(1_000_000),
}

/**
 * The AI settings of a session server (config file key `ai`, DUET_AI_* env).
 * A model is configured when baseUrl and model are both set; apiKey is
 * optional because a school's vLLM or a local Ollama need none.
 */
export const AiConfigSchema = z
  .strictObject({
    baseUrl: fields.baseUrl.optional(),
    apiKey: fields.apiKey.optional(),
    model: fields.model.optional(),
    vision: fields.vision.default(false),
    maxTokensPerAnswer: fields.maxTokensPerAnswer.default(1024),
    questionsPerStudentPerDay: fields.questionsPerStudentPerDay.default(100),
    studentMode: fields.studentMode.default('hint-first'),
    lockMode: fields.lockMode.default(false),
    ollamaUrl: fields.ollamaUrl.default('http://127.0.0.1:11434'),
    timeoutMs: fields.timeoutMs.default(60_000),
    allowPractice: fields.allowPractice.default(true),
    practiceLocalTutor: fields.practiceLocalTutor.default(true),
    studentPractice: fields.studentPractice.default(false),
    practiceQuestionsPerAddressPerDay: fields.practiceQuestionsPerAddressPerDay.default(300),
  })
  .refine((c) => (c.baseUrl === undefined) === (c.model === undefined), {
    message: 'baseUrl and model must be set together',
    path: ['model'],
  })

export type AiConfig = z.infer<typeof AiConfigSchema>
export type AiConfigInput = z.input<typeof AiConfigSchema>

/**
 * One layer (config file, environment): any subset of keys, no defaults, so
 * layers merge key by key and the full schema judges the result.
 */
export const AiConfigLayerSchema = z.strictObject(fields).partial()

/** Environment variables for each `ai` key (booleans: true/false/1/0). */
export const AI_ENV_NAMES = {
  baseUrl: 'DUET_AI_BASE_URL',
  apiKey: 'DUET_AI_API_KEY',
  model: 'DUET_AI_MODEL',
  vision: 'DUET_AI_VISION',
  maxTokensPerAnswer: 'DUET_AI_MAX_TOKENS',
  questionsPerStudentPerDay: 'DUET_AI_QUESTIONS_PER_DAY',
  studentMode: 'DUET_AI_STUDENT_MODE',
  lockMode: 'DUET_AI_LOCK_MODE',
  ollamaUrl: 'DUET_AI_OLLAMA_URL',
  timeoutMs: 'DUET_AI_TIMEOUT_MS',
  allowPractice: 'DUET_AI_ALLOW_PRACTICE',
  practiceLocalTutor: 'DUET_AI_PRACTICE_LOCAL_TUTOR',
  studentPractice: 'DUET_AI_STUDENT_PRACTICE',
  practiceQuestionsPerAddressPerDay: 'DUET_AI_PRACTICE_QUESTIONS_PER_ADDRESS',
} as const satisfies Record<keyof AiConfig, string>

function envValue(key: keyof AiConfig, raw: string): unknown {
  if (key === 'vision' || key === 'lockMode' || key === 'allowPractice' || key === 'practiceLocalTutor' || key === 'studentPractice') {
    if (/^(true|1|yes)$/i.test(raw)) return true
    if (/^(false|0|no)$/i.test(raw)) return false
    return raw // the schema names the field and says it wants a boolean
  }
  if (key === 'maxTokensPerAnswer' || key === 'questionsPerStudentPerDay' || key === 'timeoutMs' || key === 'practiceQuestionsPerAddressPerDay') {
    return /^\d+$/.test(raw) ? Number(raw) : raw
  }
  if (key === 'ollamaUrl' && (raw === 'off' || raw === 'none')) return null
  return raw
}

/** The `ai` keys set in the environment (empty variables count as unset). */
export function aiFromEnv(env: Record<string, string | undefined>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  for (const [key, name] of Object.entries(AI_ENV_NAMES) as [keyof AiConfig, string][]) {
    const raw = env[name]
    if (raw !== undefined && raw !== '') out[key] = envValue(key, raw)
  }
  return Object.keys(out).length > 0 ? out : undefined
}
