// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { provideHost } from '../../../../src/renderer/host/current'
import { i18n } from '../../../../src/renderer/i18n'
import { useSettingsStore } from '../../../../src/renderer/settings/stores/settingsStore'
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/shared/settings'
import { fakeHost } from '../fakeHost'
import { EMPTY_POLICY_VIEW } from '../../../../src/shared/policy/view'

const SAVED: Settings = {
  locale: 'zh-CN',
  displayName: 'Ms Li',
  devices: { cameraId: 'cam-1', microphoneId: null, speakerId: null },
  serverUrl: null,
  tutorKey: null,
  lanAccess: false,
  updateMode: 'auto',
  updateChannel: 'stable',
}

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('settings store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    i18n.global.locale.value = 'en'
    document.documentElement.lang = ''
    vi.spyOn(console, 'warn').mockImplementation(() => {})
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.unstubAllGlobals()
  })

  it('starts with defaults and loads from the host, applying the saved language', async () => {
    const { host } = fakeHost({ settings: SAVED })
    provideHost(host)
    const store = useSettingsStore()
    expect(store.loaded).toBe(false)
    expect(store.settings).toEqual(DEFAULT_SETTINGS)

    await store.load()
    expect(host.settings.get).toHaveBeenCalledTimes(1)
    expect(store.loaded).toBe(true)
    expect(store.settings).toEqual(SAVED)
    expect(store.locale).toBe('zh-CN')
    expect(i18n.global.locale.value).toBe('zh-CN')
    expect(document.documentElement.lang).toBe('zh-CN')
  })

  it('follows the browser language when no locale is saved', async () => {
    vi.stubGlobal('navigator', { languages: ['zh-TW', 'en-US'], language: 'zh-TW' })
    provideHost(fakeHost({ settings: { ...SAVED, locale: null } }).host)
    const store = useSettingsStore()
    await store.load()
    expect(store.locale).toBe('zh-CN')
    expect(i18n.global.locale.value).toBe('zh-CN')

    vi.stubGlobal('navigator', { languages: ['fr-FR'], language: 'fr-FR' })
    setActivePinia(createPinia())
    const other = useSettingsStore()
    await other.load()
    expect(other.locale).toBe('en')
    expect(i18n.global.locale.value).toBe('en')
  })

  it('keeps working with defaults when the host cannot read settings', async () => {
    const { host } = fakeHost({ settings: SAVED })
    host.settings.get.mockRejectedValueOnce(new Error('disk on fire'))
    provideHost(host)
    const store = useSettingsStore()
    await store.load()
    expect(store.loaded).toBe(true)
    expect(store.settings).toEqual(DEFAULT_SETTINGS)
    expect(console.warn).toHaveBeenCalled()
  })

  it('updates optimistically, persists through the host and takes its answer', async () => {
    const fake = fakeHost({ settings: SAVED })
    const gate = deferred<Settings>()
    fake.host.settings.update.mockImplementationOnce(async (patch) => {
      await gate.promise
      return { ...SAVED, ...patch, displayName: 'Normalised by host' }
    })
    provideHost(fake.host)
    const store = useSettingsStore()
    await store.load()

    const pending = store.update({ displayName: 'Wei', locale: 'en' })
    // The UI follows at once, before the host answers.
    expect(store.settings.displayName).toBe('Wei')
    expect(i18n.global.locale.value).toBe('en')
    gate.resolve(SAVED)
    await pending
    expect(fake.host.settings.update).toHaveBeenCalledWith({ displayName: 'Wei', locale: 'en' })
    expect(store.settings.displayName).toBe('Normalised by host')
    expect(store.settings.devices.cameraId).toBe('cam-1')
    expect(document.documentElement.lang).toBe('en')
  })

  it('saves through the host so a new store reads the change back', async () => {
    const fake = fakeHost()
    provideHost(fake.host)
    const store = useSettingsStore()
    await store.load()
    await store.setLocale('zh-CN')
    await store.update({ devices: { cameraId: 'cam-9', microphoneId: 'mic-2', speakerId: null } })
    expect(fake.saved()).toEqual({ ...DEFAULT_SETTINGS, locale: 'zh-CN', devices: { cameraId: 'cam-9', microphoneId: 'mic-2', speakerId: null } })
    expect(i18n.global.locale.value).toBe('zh-CN')

    setActivePinia(createPinia())
    const reloaded = useSettingsStore()
    await reloaded.load()
    expect(reloaded.settings).toEqual(fake.saved())
  })

  it("a setting the school locks: the host refuses, the UI goes back and says why; a policy change arrives without a reload", async () => {
    const fake = fakeHost({ settings: SAVED })
    fake.host.settings.update.mockRejectedValueOnce(new Error("Error invoking remote method 'duet:settings:update': SettingLockedError: locale is set by your school and cannot be changed"))
    provideHost(fake.host)
    const store = useSettingsStore()
    await store.load()
    await store.update({ locale: 'en' })
    expect(store.settings.locale).toBe('zh-CN')
    expect(i18n.global.locale.value).toBe('zh-CN')
    expect(store.refused).toBe('locale is set by your school and cannot be changed')
    // The admin sets Language: en; main pushes the new settings.
    fake.pushPolicy({ ...EMPTY_POLICY_VIEW, lockedSettings: ['locale'] }, { ...SAVED, locale: 'en' })
    expect(store.settings.locale).toBe('en')
    expect(i18n.global.locale.value).toBe('en')
  })

  it('keeps the optimistic value when the host cannot save', async () => {
    const { host } = fakeHost({ settings: SAVED })
    host.settings.update.mockRejectedValueOnce(new Error('read-only'))
    provideHost(host)
    const store = useSettingsStore()
    await store.load()
    await expect(store.update({ locale: 'en', displayName: 'Wei' })).resolves.toBeUndefined()
    expect(store.settings).toEqual({ ...SAVED, locale: 'en', displayName: 'Wei' })
    expect(store.locale).toBe('en')
    expect(i18n.global.locale.value).toBe('en')
    expect(console.warn).toHaveBeenCalled()
  })
})
