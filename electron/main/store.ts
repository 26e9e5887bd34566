import Store from 'electron-store'
import type { KeyValueStore } from './services/SettingsService'
import type { Logger } from '../../src/shared/logger'

/**
 * The settings file in userData. A file that is not even JSON is reset rather
 * than stopping the app; if the store cannot be opened at all, settings live in
 * memory for this run.
 */
export function openSettingsStore(logger: Logger): KeyValueStore {
  try {
    return new Store<Record<string, unknown>>({ name: 'settings', clearInvalidConfig: true })
  } catch (error) {
    logger.error('settings store unavailable, keeping settings in memory:', error)
    const memory = new Map<string, unknown>()
    return { get: (key) => memory.get(key), set: (key, value) => void memory.set(key, value) }
  }
}
