import { effectiveSettings, lockedSettings, NO_POLICY, type EffectivePolicy } from '../../../src/shared/policy/parse'
import { DEFAULT_SETTINGS, sanitizeSettingsLayer, SettingsPatchSchema, type Settings } from '../../../src/shared/settings'
import { describeZodError } from '../../../src/shared/zodError'
import type { Logger } from '../../../src/shared/logger'

/** The part of electron-store the service uses. */
export interface KeyValueStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

/** What the user chose (only what they chose: defaults and recommendations fill the rest). */
export const USER_SETTINGS_KEY = 'userSettings'
/** Before policy: every field written, chosen or not. Read once to migrate. */
export const LEGACY_SETTINGS_KEY = 'settings'

export class SettingsValidationError extends Error {
  override name = 'SettingsValidationError'
}

export class SettingLockedError extends Error {
  override name = 'SettingLockedError'
}

export interface SettingsServiceDeps {
  store: KeyValueStore
  logger: Logger
  policy?: { current(): EffectivePolicy }
}

/**
 * Settings on this machine: defaults < the school's recommendations < what
 * the user chose < what the school enforces. Only the user's own choices are
 * stored, so a recommendation reaches everyone who has not chosen otherwise.
 * A corrupt or hand-edited store loses only its bad fields. Writes accept a
 * valid patch and never a setting the policy locks.
 */
export class SettingsService {
  constructor(private readonly deps: SettingsServiceDeps) {}

  get(): Settings {
    return effectiveSettings(this.userLayer(), this.policy())
  }

  update(patch: unknown): Settings {
    const parsed = SettingsPatchSchema.safeParse(patch)
    if (!parsed.success) throw new SettingsValidationError(`Invalid settings: ${describeZodError(parsed.error)}`)
    const locked = lockedSettings(this.policy())
    const refused = locked.filter((key) => key in parsed.data)
    if (refused.length > 0) throw new SettingLockedError(`${refused.join(', ')} ${refused.length > 1 ? 'are' : 'is'} set by your school and cannot be changed`)
    const next = { ...this.userLayer(), ...parsed.data }
    this.deps.store.set(USER_SETTINGS_KEY, next)
    return this.get()
  }

  private policy(): EffectivePolicy {
    return this.deps.policy?.current() ?? NO_POLICY
  }

  private userLayer(): Partial<Settings> {
    const { store, logger } = this.deps
    try {
      const stored = store.get(USER_SETTINGS_KEY)
      if (stored !== undefined) return sanitizeSettingsLayer(stored)
      const legacy = store.get(LEGACY_SETTINGS_KEY)
      if (legacy === undefined) return {}
      // Older versions wrote every field; a field still at its default was most likely never chosen.
      const layer = sanitizeSettingsLayer(legacy)
      for (const key of Object.keys(layer) as (keyof Settings)[]) {
        if (JSON.stringify(layer[key]) === JSON.stringify(DEFAULT_SETTINGS[key])) delete layer[key]
      }
      store.set(USER_SETTINGS_KEY, layer)
      return layer
    } catch (error) {
      logger.error('settings: store unreadable, using defaults:', error)
      return {}
    }
  }
}
