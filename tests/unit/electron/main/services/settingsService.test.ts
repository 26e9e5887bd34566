import { describe, expect, it } from 'vitest'
import { LEGACY_SETTINGS_KEY, SettingLockedError, SettingsService, USER_SETTINGS_KEY, type KeyValueStore } from '../../../../../electron/main/services/SettingsService'
import { mergePolicySources, parsePolicyDocument, type EffectivePolicy } from '../../../../../src/shared/policy/parse'
import { DEFAULT_SETTINGS } from '../../../../../src/shared/settings'
import { fakeLogger } from '../../fakes'

function memoryStore(initial?: unknown, key = USER_SETTINGS_KEY): KeyValueStore & { data: Map<string, unknown>; writes: number } {
  const data = new Map<string, unknown>()
  if (initial !== undefined) data.set(key, initial)
  const store = {
    data,
    writes: 0,
    get: (k: string) => data.get(k),
    set: (k: string, value: unknown) => {
      store.writes++
      data.set(k, structuredClone(value))
    },
  }
  return store
}

function policyOf(document: unknown): { current(): EffectivePolicy } {
  const merged = mergePolicySources([parsePolicyDocument(document, '/etc/duet/policy.json')])
  return { current: () => merged }
}

const service = (store: KeyValueStore, policy?: { current(): EffectivePolicy }) => new SettingsService({ store, logger: fakeLogger(), policy })

describe('SettingsService', () => {
  it('returns defaults for an empty store', () => {
    expect(service(memoryStore()).get()).toEqual(DEFAULT_SETTINGS)
  })

  it('survives a corrupt or hand-edited store field by field', () => {
    const store = memoryStore({ locale: 'klingon', displayName: 'Ana', devices: { cameraId: 42, microphoneId: 'mic-1' }, serverUrl: 'not a url', lanAccess: 'yes' })
    expect(service(store).get()).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Ana', devices: { cameraId: null, microphoneId: 'mic-1', speakerId: null } })
    expect(service(memoryStore('garbage')).get()).toEqual(DEFAULT_SETTINGS)
    expect(service(memoryStore(null)).get()).toEqual(DEFAULT_SETTINGS)
  })

  it('falls back to defaults when the store itself throws', () => {
    const logger = fakeLogger()
    const broken: KeyValueStore = {
      get: () => {
        throw new SyntaxError('Unexpected token')
      },
      set: () => {},
    }
    expect(new SettingsService({ store: broken, logger }).get()).toEqual(DEFAULT_SETTINGS)
    expect(logger.error).toHaveBeenCalled()
  })

  it('stores only what the user chose; a valid patch merges, unknown keys are dropped', () => {
    const store = memoryStore({ displayName: 'Ana' })
    const settings = service(store)
    const next = settings.update({ locale: 'zh-CN', serverUrl: 'https://school.example', isAdmin: true })
    expect(next).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Ana', locale: 'zh-CN', serverUrl: 'https://school.example' })
    expect(store.data.get(USER_SETTINGS_KEY)).toEqual({ displayName: 'Ana', locale: 'zh-CN', serverUrl: 'https://school.example' })
  })

  it('rejects an invalid patch and writes nothing', () => {
    const store = memoryStore()
    const settings = service(store)
    expect(() => settings.update({ locale: 'fr' })).toThrow(/Invalid settings: locale/)
    expect(() => settings.update({ devices: { cameraId: 'a' } })).toThrow(/Invalid settings: devices/)
    expect(() => settings.update({ updateMode: 'sometimes' })).toThrow(/Invalid settings: updateMode/)
    expect(() => settings.update('nope')).toThrow(/Invalid settings/)
    expect(store.writes).toBe(0)
  })

  it('migrates the older whole-settings record: fields still at their default count as never chosen', () => {
    const store = memoryStore({ ...DEFAULT_SETTINGS, displayName: 'Bo', locale: 'en' }, LEGACY_SETTINGS_KEY)
    const settings = service(store, policyOf({ Recommended: { Language: 'zh-CN', AllowLanJoin: true } }))
    // locale 'en' was chosen (it is not the default null); lanAccess false was only the default.
    expect(settings.get()).toMatchObject({ displayName: 'Bo', locale: 'en', lanAccess: true })
    expect(store.data.get(USER_SETTINGS_KEY)).toEqual({ displayName: 'Bo', locale: 'en' })
  })

  it('school policy: recommended values start, the user may change them; enforced values win and cannot be changed', () => {
    const store = memoryStore({ displayName: 'Li' })
    const settings = service(store, policyOf({ Language: 'zh-CN', ServerUrl: 'https://lessons.school.example', Recommended: { UpdateChannel: 'beta' } }))
    expect(settings.get()).toMatchObject({ locale: 'zh-CN', serverUrl: 'https://lessons.school.example', updateChannel: 'beta', displayName: 'Li' })
    expect(settings.update({ updateChannel: 'stable' }).updateChannel).toBe('stable')
    // Whatever the window sends, a locked setting does not change.
    expect(() => settings.update({ locale: 'en' })).toThrow(SettingLockedError)
    expect(() => settings.update({ serverUrl: null, displayName: 'Wang' })).toThrow(/serverUrl is set by your school/)
    expect(() => settings.update({ locale: 'zh-CN' })).toThrow(/locale is set by your school/)
    expect(store.data.get(USER_SETTINGS_KEY)).toEqual({ displayName: 'Li', updateChannel: 'stable' })
    expect(settings.get()).toMatchObject({ locale: 'zh-CN', serverUrl: 'https://lessons.school.example', displayName: 'Li' })
  })
})
