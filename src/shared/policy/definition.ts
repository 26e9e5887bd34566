import type { z } from 'zod'

/**
 * What a policy is (its kinds, categories, what it locks, when it applies)
 * and the names every policy source shares. The policies themselves are the
 * catalogue in `schema.ts`.
 */

/**
 * The app's id (electron-builder.yml appId): the macOS bundle id, whose
 * managed preferences (configuration profiles) hold policy.
 */
export const APP_BUNDLE_ID = 'com.duet.app'

export type PolicyCategory = 'server' | 'ai' | 'recording' | 'updates' | 'general'

/**
 * How a value is written where admins write it. `boolean` and `integer` are
 * REG_DWORD in the registry, <true/>/<integer> in a plist; `string`, `enum`
 * and `json` are REG_SZ and <string> (json: the JSON text; a plist may also
 * hold the array itself).
 */
export type PolicyValueKind = 'boolean' | 'integer' | 'string' | 'enum' | 'json'

/** The user settings a policy can lock (src/shared/settings.ts keys). */
export type LockableSetting = 'serverUrl' | 'lanAccess' | 'locale' | 'updateMode' | 'updateChannel'

/**
 * When a change of this policy takes effect in a running app:
 * - `live`: at once (Settings, the next question, the next update check);
 * - `server-idle`: the app's own session server picks it up the next time no
 *   lesson is running on it (it restarts between lessons, never in one);
 * - `app-restart`: the next time Duet starts.
 */
export type PolicyApplies = 'live' | 'server-idle' | 'app-restart'

export interface Localized {
  en: string
  'zh-CN': string
}

export interface PolicyDefinition {
  kind: PolicyValueKind
  category: PolicyCategory
  /** Validates one value (after registry/plist coercion, see coercePolicyValue). */
  value: z.ZodType
  /** Enum values and what each means (kind 'enum' only). */
  options?: readonly { value: string; label: Localized }[]
  /** What applies without this policy, in words (the admin guide and templates show it). */
  defaultText: Localized
  /** The user setting this policy sets (enforced: locked; recommended: the starting value). */
  setting?: LockableSetting
  /** May be set as a recommendation the user can change (only policies behind a user setting). */
  recommendable: boolean
  applies: PolicyApplies
  /** Never sent to the window or written to logs (the AI key). */
  secret?: boolean
  /** A value for the templates and the example policy.json. */
  example: unknown
  title: Localized
  description: Localized
  /** Numbers: bounds the ADMX editor enforces too. */
  min?: number
  max?: number
}

export const POLICY_CATEGORY_TITLES: Record<PolicyCategory, Localized> = {
  server: { en: 'Session server and network', 'zh-CN': '课堂服务器与网络' },
  ai: { en: 'AI side panel', 'zh-CN': 'AI 侧边栏' },
  recording: { en: 'Recording', 'zh-CN': '录制' },
  updates: { en: 'Updates', 'zh-CN': '更新' },
  general: { en: 'General', 'zh-CN': '常规' },
}

/** The key that holds recommended values inside every policy source (registry subkey, plist dict, JSON object). */
export const RECOMMENDED_KEY = 'Recommended'
