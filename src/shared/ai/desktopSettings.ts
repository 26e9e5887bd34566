import { z } from 'zod'
import { ErrorCodeSchema } from '../errors'

/**
 * The desktop app's AI provider settings for its embedded session server,
 * as they cross IPC. The API key goes renderer → main only (typed in,
 * or sent for a connection test); main never sends it back: the renderer
 * learns only whether one is set and how it is kept.
 */

/** What the tutor may set in Settings (a policy may set every `ai` key). */
export const DESKTOP_AI_FIELDS = ['baseUrl', 'model', 'apiKey', 'vision', 'allowPractice', 'studentPractice'] as const
export type DesktopAiField = (typeof DESKTOP_AI_FIELDS)[number]

export const DesktopAiSettingsSchema = z.object({
  /** Effective values (policy over the user's); null when unset. */
  baseUrl: z.string().max(2048).nullable(),
  model: z.string().max(200).nullable(),
  vision: z.boolean(),
  /** "Ask AI" outside lessons on this server, for this app and for students on the network. */
  allowPractice: z.boolean().default(true),
  /** Students who open this computer's lesson address may ask outside lessons too (on the tutor's key). */
  studentPractice: z.boolean().default(false),
  apiKeySet: z.boolean(),
  /** Where the key in use comes from and how it is kept on this computer. */
  keyStorage: z.enum(['none', 'encrypted', 'plain', 'policy']),
  /** `ai` keys the managed policy sets; the user cannot change them. */
  locked: z.array(z.string().max(40)).max(32),
  /** The policy file could not be used (bad JSON or values): it is ignored and this says why. */
  policyError: z.string().max(1000).nullable(),
  /**
   * The OS can encrypt the key (a keychain). false (e.g. Linux without one,
   * where Electron falls back to 'basic_text'): a new key is only saved with
   * `allowUnencryptedKey`.
   */
  osEncryption: z.boolean(),
  /**
   * How the embedded server takes these settings: 'live' (running, applied
   * now), 'on-start' (used when it starts), 'school-server' (this app uses a
   * school's server, whose AI the school sets).
   */
  applies: z.enum(['live', 'on-start', 'school-server']),
})
export type DesktopAiSettings = z.infer<typeof DesktopAiSettingsSchema>

/** A change from Settings: a field left out is kept; null clears it (apiKey null removes the key). */
export const DesktopAiSettingsPatchSchema = z.strictObject({
  baseUrl: z.string().trim().max(2048).nullable().optional(),
  model: z.string().trim().max(200).nullable().optional(),
  vision: z.boolean().optional(),
  allowPractice: z.boolean().optional(),
  studentPractice: z.boolean().optional(),
  apiKey: z.string().trim().max(1000).nullable().optional(),
  /** The user agreed to keep a new key unencrypted on a computer without a keychain. */
  allowUnencryptedKey: z.boolean().optional(),
})
export type DesktopAiSettingsPatch = z.input<typeof DesktopAiSettingsPatchSchema>

/** "Test connection" with what the form holds; apiKey left out means the saved key. */
export const AiConnectionTestRequestSchema = z.strictObject({
  baseUrl: z.string().trim().min(1).max(2048),
  model: z.string().trim().min(1).max(200),
  apiKey: z.string().trim().min(1).max(1000).optional(),
})
export type AiConnectionTestRequest = z.input<typeof AiConnectionTestRequestSchema>

export const AiConnectionTestResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), ms: z.number().int().min(0), model: z.string().max(200), reply: z.string().max(200) }),
  z.object({
    ok: z.literal(false),
    /** A provider error code, or 'invalid' (the form's values), or 'key_needed' (a new address needs the key typed again). */
    code: z.union([ErrorCodeSchema, z.enum(['invalid', 'key_needed'])]),
    message: z.string().max(500),
  }),
])
export type AiConnectionTestResult = z.infer<typeof AiConnectionTestResultSchema>
