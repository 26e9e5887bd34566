import {
  SettingsPatchSchema,
  SettingsSchema,
  sanitizeSettings,
  DEFAULT_SETTINGS,
  type Settings,
} from '../../../src/shared/settings'
import type { Logger } from '../../../src/shared/logger'
import { describeZodError } from '../../../src/shared/zodError'

/** The part of electron-store the service uses. */
export interface KeyValueStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

export const SETTINGS_KEY = 'settings'

export class SettingsValidationError extends Error {
  override name = 'SettingsValidationError'
}

/**
 * User settings on this machine. Reads go through sanitizeSettings so a
 * corrupt or hand-edited store yields defaults field by field instead of
 * breaking the app; writes accept only a valid SettingsPatch.
 */
export class SettingsService {
  constructor(
    private readonly store: KeyValueStore,
    private readonly logger: Logger,
  ) {}

  get(): Settings {
    try {
      return sanitizeSettings(this.store.get(SETTINGS_KEY))
    } catch (error) {
      this.logger.error('settings: store unreadable, using defaults:', error)
      return structuredClone(DEFAULT_SETTINGS)
    }
  }

  update(patch: unknown): Settings {
    const parsed = SettingsPatchSchema.safeParse(patch)
    if (!parsed.success) throw new SettingsValidationError(`Invalid settings: ${describeZodError(parsed.error)}`)
    const next = SettingsSchema.parse({ ...this.get(), ...parsed.data })
    this.store.set(SETTINGS_KEY, next)
    return next
  }
}
