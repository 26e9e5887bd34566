import { z } from 'zod'
import { AiConfigLayerSchema, AiConfigSchema, type AiConfigInput } from '../../../src/shared/ai/config'
import { streamCompletion } from '../../../src/node/ai/proxy'
import {
  AiConnectionTestRequestSchema,
  DesktopAiSettingsPatchSchema,
  type AiConnectionTestResult,
  type DesktopAiSettings,
} from '../../../src/shared/ai/desktopSettings'
import type { Logger } from '../../../src/shared/logger'
import { aiPolicyLayer, type AiPolicyLayer } from '../../../src/shared/policy/ai'
import type { EffectivePolicy } from '../../../src/shared/policy/parse'
import { LEGACY_AI_KEYS } from '../../../src/shared/policy/ai'
import type { KeyValueStore } from './SettingsService'
import { describeZodError } from '../../../src/shared/zodError'

/** Electron's safeStorage, as far as this service uses it (fakeable in tests). */
export interface SecretBox {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only: which store seals the key; 'basic_text' is a fixed key in the app, not a keychain. */
  getSelectedStorageBackend?(): string
}

export const AI_SETTINGS_KEY = 'ai'

/** What is on disk (electron-store, userData/settings.json): the key only encrypted when the OS allows. */
const StoredSchema = z.object({
  baseUrl: z.string().optional(),
  model: z.string().optional(),
  vision: z.boolean().optional(),
  allowPractice: z.boolean().optional(),
  studentPractice: z.boolean().optional(),
  apiKey: z.object({ encrypted: z.boolean(), value: z.string().max(10_000) }).optional(),
})
type Stored = z.infer<typeof StoredSchema>

/** The origin a base URL points at ('' for none or a malformed one). */
function hostOf(baseUrl: string | undefined): string {
  try {
    return baseUrl ? new URL(baseUrl).origin : ''
  } catch {
    return ''
  }
}

export class AiSettingsError extends Error {
  override name = 'AiSettingsError'
}

export interface AiSettingsDeps {
  store: KeyValueStore
  secrets: SecretBox
  policy: { current(): EffectivePolicy }
  platform: NodeJS.Platform
  /** How the embedded server takes a change (see LessonServerHost.applyAi). */
  apply(): Promise<DesktopAiSettings['applies']>
  /** The embedded server's state without applying anything. */
  applies(): DesktopAiSettings['applies']
  logger: Logger
  fetchImpl?: typeof fetch
  now?: () => number
}

const TEST_TIMEOUT_MS = 20_000

/**
 * The AI provider of the tutor's embedded session server: base URL, model,
 * API key and vision, set in Settings, merged defaults < user < policy.
 * The key is encrypted with safeStorage when the OS offers it and never goes
 * back to the renderer, which only learns that one is set.
 */
export class AiSettingsService {
  constructor(private readonly deps: AiSettingsDeps) {}

  /** What Settings shows: effective values, which are locked, how the key is kept. Never the key. */
  view(): DesktopAiSettings {
    const policy = this.policy()
    const user = this.userLayer()
    const stored = this.stored()
    const merged = { ...user, ...policy.ai }
    // A key sealed by 'basic_text' (saved before Duet checked) is as readable as plain text: said so.
    const sealed = stored.apiKey?.encrypted === true && this.osEncryption()
    const keyStorage = policy.ai.apiKey !== undefined ? 'policy' : stored.apiKey && user.apiKey !== undefined ? (sealed ? 'encrypted' : 'plain') : 'none'
    return {
      baseUrl: merged.baseUrl ?? null,
      model: merged.model ?? null,
      vision: merged.vision ?? false,
      allowPractice: merged.allowPractice ?? true,
      studentPractice: merged.studentPractice ?? false,
      apiKeySet: merged.apiKey !== undefined,
      keyStorage,
      locked: Object.keys(policy.ai),
      policyError: policy.error,
      osEncryption: this.osEncryption(),
      applies: this.deps.applies(),
    }
  }

  /**
   * Saves a change from Settings and hands the result to the embedded
   * server. Refuses (changing nothing) values the policy locks, invalid
   * values, and a base URL without a model or the reverse.
   */
  async update(patch: unknown): Promise<DesktopAiSettings> {
    const parsed = DesktopAiSettingsPatchSchema.safeParse(patch)
    if (!parsed.success) throw new AiSettingsError(`Invalid AI settings: ${describeZodError(parsed.error)}`)
    const policy = this.policy()
    const { allowUnencryptedKey, ...change } = parsed.data
    for (const key of Object.keys(change)) {
      if (key in policy.ai) throw new AiSettingsError(`${key} is set by your school's policy and cannot be changed`)
    }
    if (change.apiKey && !this.osEncryption() && !allowUnencryptedKey) {
      throw new AiSettingsError('This computer has no keychain to encrypt the API key: agree to store it unencrypted, or set up a keychain (GNOME Keyring, KWallet) and try again')
    }
    const next: Stored = { ...this.stored() }
    // Empty text counts as clearing the field.
    if (change.baseUrl !== undefined) next.baseUrl = change.baseUrl || undefined
    if (change.model !== undefined) next.model = change.model || undefined
    if (change.vision !== undefined) next.vision = change.vision
    if (change.allowPractice !== undefined) next.allowPractice = change.allowPractice
    if (change.studentPractice !== undefined) next.studentPractice = change.studentPractice
    if (change.apiKey !== undefined) next.apiKey = change.apiKey ? this.seal(change.apiKey) : undefined
    // A key is only ever sent to the host it was typed for: a new host without a new key forgets the old one.
    else if (next.apiKey && hostOf(next.baseUrl) !== hostOf(this.stored().baseUrl)) next.apiKey = undefined

    const layer = AiConfigLayerSchema.safeParse(this.plainLayer(next))
    if (!layer.success) throw new AiSettingsError(`Invalid AI settings: ${describeZodError(layer.error)}`)
    const whole = AiConfigSchema.safeParse({ ...layer.data, ...policy.ai })
    if (!whole.success) throw new AiSettingsError(`Invalid AI settings: ${describeZodError(whole.error)}`)

    this.deps.store.set(AI_SETTINGS_KEY, next)
    const applies = await this.deps.apply()
    this.deps.logger.info(`ai settings saved (${applies}); model ${whole.data.model ?? 'none'}`)
    return { ...this.view(), applies }
  }

  /**
   * The `ai` config the embedded server starts with: defaults < user <
   * policy. A user layer the current policy makes invalid is dropped rather
   * than keeping the server from starting.
   */
  serverConfig(): AiConfigInput {
    const policy = this.policy()
    const user = this.userLayer()
    const merged = AiConfigSchema.safeParse({ ...user, ...policy.ai })
    if (merged.success) return { ...user, ...policy.ai }
    this.deps.logger.error(`ai settings do not fit the policy, using the policy alone: ${describeZodError(merged.error)}`)
    return { ...policy.ai }
  }

  /**
   * One tiny completion against the form's values. Locked fields use the
   * policy's values. The saved key is only sent to the address it was saved
   * for: testing a new address needs the key typed again, so nothing that
   * can reach IPC can send the key somewhere else.
   */
  async testConnection(request: unknown): Promise<AiConnectionTestResult> {
    const parsed = AiConnectionTestRequestSchema.safeParse(request)
    if (!parsed.success) return { ok: false, code: 'invalid', message: describeZodError(parsed.error) }
    const policy = this.policy()
    const user = this.userLayer()
    const form = AiConfigLayerSchema.safeParse({ baseUrl: parsed.data.baseUrl, model: parsed.data.model })
    if (!form.success) return { ok: false, code: 'invalid', message: describeZodError(form.error) }
    const baseUrl = policy.ai.baseUrl ?? form.data.baseUrl ?? ''
    const model = policy.ai.model ?? form.data.model ?? ''
    let apiKey = policy.ai.apiKey ?? parsed.data.apiKey
    if (apiKey === undefined && user.apiKey !== undefined) {
      const savedFor = policy.ai.baseUrl ?? user.baseUrl
      if (savedFor !== baseUrl) return { ok: false, code: 'key_needed', message: 'Type the API key again to test a different address' }
      apiKey = user.apiKey
    }
    const now = this.deps.now ?? Date.now
    const started = now()
    let reply = ''
    const outcome = await streamCompletion({
      target: { baseUrl, model, apiKey, vision: false },
      messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
      maxTokens: 16,
      timeoutMs: TEST_TIMEOUT_MS,
      signal: new AbortController().signal,
      onDelta: (text) => (reply += text),
      now,
      fetchImpl: this.deps.fetchImpl,
    })
    if (outcome.kind === 'error') return { ok: false, code: outcome.code, message: outcome.message.slice(0, 500) }
    return { ok: true, ms: Math.max(0, now() - started), model, reply: reply.trim().slice(0, 200) }
  }

  /** The Ai* policies in force, and what was wrong with the ones that are not. */
  private policy(): { ai: AiPolicyLayer; error: string | null } {
    const current = this.deps.policy.current()
    const aiNames = new Set<string>(Object.values(LEGACY_AI_KEYS))
    const problems = current.problems.filter((p) => p.policy === null || aiNames.has(p.policy) || p.policy.startsWith('ai.'))
    const error = problems.length > 0 ? problems.map((p) => `${p.source}${p.policy ? ` ${p.policy}` : ''}: ${p.message}`).join('; ').slice(0, 1000) : null
    return { ai: aiPolicyLayer(current.enforced), error }
  }

  /**
   * Whether the OS really encrypts the key. On Linux without a keychain
   * Electron falls back to 'basic_text', which seals with a key built into
   * Chromium: anyone with the file can open it, so it counts as none.
   */
  private osEncryption(): boolean {
    const { secrets, platform } = this.deps
    if (!secrets.isEncryptionAvailable()) return false
    if (platform === 'linux' && secrets.getSelectedStorageBackend) return secrets.getSelectedStorageBackend() !== 'basic_text'
    return true
  }

  private stored(): Stored {
    const parsed = StoredSchema.safeParse(this.deps.store.get(AI_SETTINGS_KEY) ?? {})
    if (parsed.success) return parsed.data
    this.deps.logger.error('ai settings: stored value unreadable, ignoring it')
    return {}
  }

  private seal(key: string): NonNullable<Stored['apiKey']> {
    if (this.osEncryption()) {
      return { encrypted: true, value: this.deps.secrets.encryptString(key).toString('base64') }
    }
    // No OS keychain, and the user agreed (update() checks): kept as typed, and Settings says so.
    this.deps.logger.warn('ai settings: no OS keychain, API key stored without encryption as the user agreed')
    return { encrypted: false, value: key }
  }

  private unseal(sealed: NonNullable<Stored['apiKey']>): string | undefined {
    if (!sealed.encrypted) return sealed.value
    try {
      return this.deps.secrets.decryptString(Buffer.from(sealed.value, 'base64'))
    } catch (error) {
      // Another OS user, a restored backup or a changed keychain: the key must be typed again.
      this.deps.logger.error('ai settings: the saved API key cannot be decrypted:', error)
      return undefined
    }
  }

  private plainLayer(stored: Stored): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    if (stored.baseUrl !== undefined) out.baseUrl = stored.baseUrl
    if (stored.model !== undefined) out.model = stored.model
    if (stored.vision !== undefined) out.vision = stored.vision
    if (stored.allowPractice !== undefined) out.allowPractice = stored.allowPractice
    if (stored.studentPractice !== undefined) out.studentPractice = stored.studentPractice
    const key = stored.apiKey ? this.unseal(stored.apiKey) : undefined
    if (key !== undefined) out.apiKey = key
    return out
  }

  /** The user's settings as an `ai` layer; fields that no longer validate are left out. */
  private userLayer(): z.infer<typeof AiConfigLayerSchema> {
    const plain = this.plainLayer(this.stored())
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(plain)) {
      const one = AiConfigLayerSchema.safeParse({ [key]: value })
      if (one.success) Object.assign(out, one.data)
    }
    return out
  }
}
