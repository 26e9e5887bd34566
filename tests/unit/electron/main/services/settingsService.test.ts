import { describe, expect, it } from 'vitest'
import { SETTINGS_KEY, SettingsService, type KeyValueStore } from '../../../../../electron/main/services/SettingsService'
import { DEFAULT_SETTINGS } from '../../../../../src/shared/settings'
import { fakeLogger } from '../../fakes'

function memoryStore(initial?: unknown): KeyValueStore & { data: Map<string, unknown>; writes: number } {
  const data = new Map<string, unknown>()
  if (initial !== undefined) data.set(SETTINGS_KEY, initial)
  const store = {
    data,
    writes: 0,
    get: (key: string) => data.get(key),
    set: (key: string, value: unknown) => {
      store.writes++
      data.set(key, structuredClone(value))
    },
  }
  return store
}

describe('SettingsService', () => {
  it('returns defaults for an empty store', () => {
    expect(new SettingsService(memoryStore(), fakeLogger()).get()).toEqual(DEFAULT_SETTINGS)
  })

  it('survives a corrupt or hand-edited store field by field', () => {
    const store = memoryStore({
      locale: 'klingon',
      displayName: 'Ana',
      devices: { cameraId: 42, microphoneId: 'mic-1' },
      serverUrl: 'not a url',
    })
    expect(new SettingsService(store, fakeLogger()).get()).toEqual({
      ...DEFAULT_SETTINGS,
      displayName: 'Ana',
      devices: { cameraId: null, microphoneId: 'mic-1', speakerId: null },
    })
    expect(new SettingsService(memoryStore('garbage'), fakeLogger()).get()).toEqual(DEFAULT_SETTINGS)
    expect(new SettingsService(memoryStore(null), fakeLogger()).get()).toEqual(DEFAULT_SETTINGS)
  })

  it('falls back to defaults when the store itself throws', () => {
    const logger = fakeLogger()
    const broken: KeyValueStore = {
      get: () => {
        throw new SyntaxError('Unexpected token')
      },
      set: () => {},
    }
    expect(new SettingsService(broken, logger).get()).toEqual(DEFAULT_SETTINGS)
    expect(logger.error).toHaveBeenCalled()
  })

  it('merges a valid patch, persists it and drops unknown keys', () => {
    const store = memoryStore({ ...DEFAULT_SETTINGS, displayName: 'Ana' })
    const service = new SettingsService(store, fakeLogger())
    const next = service.update({ locale: 'zh-CN', serverUrl: 'https://school.example', isAdmin: true })
    expect(next).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Ana', locale: 'zh-CN', serverUrl: 'https://school.example' })
    expect(store.data.get(SETTINGS_KEY)).toEqual(next)
    expect(service.get()).toEqual(next)
  })

  it('rejects an invalid patch and writes nothing', () => {
    const store = memoryStore()
    const service = new SettingsService(store, fakeLogger())
    expect(() => service.update({ locale: 'fr' })).toThrow(/Invalid settings: locale/)
    expect(() => service.update({ devices: { cameraId: 'a' } })).toThrow(/Invalid settings: devices/)
    expect(() => service.update('nope')).toThrow(/Invalid settings/)
    expect(store.writes).toBe(0)
  })

  it('repairs corrupt fields when the next valid patch is saved', () => {
    const store = memoryStore({ locale: 'xx', displayName: 7 })
    new SettingsService(store, fakeLogger()).update({ displayName: 'Bo' })
    expect(store.data.get(SETTINGS_KEY)).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Bo' })
  })
})
