// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { WebHost } from '../../../../src/renderer/host/WebHost'
import { DEFAULT_SETTINGS } from '../../../../src/shared/settings'

const KEY = 'duet.settings'

describe('WebHost', () => {
  beforeEach(() => localStorage.clear())

  it('is a web host whose lesson server is the page origin', async () => {
    const host = new WebHost(localStorage, 'https://lessons.school.edu')
    expect(host.kind).toBe('web')
    await expect(host.app.lessonServer()).resolves.toEqual({ url: 'https://lessons.school.edu', lanUrls: [], hosted: false })
    expect(host.app.version()).toEqual(expect.any(String))
    const off = host.app.onInvite(() => {})
    expect(() => off()).not.toThrow()
    await expect(host.app.setLessonActive(true)).resolves.toBeUndefined()
  })

  it('defaults to window.localStorage and location.origin', async () => {
    const host = new WebHost()
    await expect(host.app.lessonServer()).resolves.toEqual({ url: window.location.origin, lanUrls: [], hosted: false })
    await host.settings.update({ displayName: 'Wei' })
    expect(JSON.parse(localStorage.getItem(KEY) ?? 'null')).toMatchObject({ displayName: 'Wei' })
  })

  it('returns defaults when nothing is stored', async () => {
    await expect(new WebHost(localStorage, 'http://x').settings.get()).resolves.toEqual(DEFAULT_SETTINGS)
  })

  it('round-trips settings through localStorage', async () => {
    const host = new WebHost(localStorage, 'http://x')
    const next = await host.settings.update({ locale: 'zh-CN', displayName: 'Ms Li' })
    expect(next).toEqual({ ...DEFAULT_SETTINGS, locale: 'zh-CN', displayName: 'Ms Li' })
    await host.settings.update({ devices: { cameraId: 'cam-1', microphoneId: null, speakerId: 'spk' } })

    const expected = {
      ...DEFAULT_SETTINGS,
      locale: 'zh-CN',
      displayName: 'Ms Li',
      devices: { cameraId: 'cam-1', microphoneId: null, speakerId: 'spk' },
    }
    expect(JSON.parse(localStorage.getItem(KEY) ?? 'null')).toEqual(expected)
    // A new page load (new host) reads the same settings back.
    await expect(new WebHost(localStorage, 'http://x').settings.get()).resolves.toEqual(expected)
  })

  it('falls back to defaults for corrupt storage, field by field', async () => {
    const host = new WebHost(localStorage, 'http://x')
    localStorage.setItem(KEY, '{not json')
    await expect(host.settings.get()).resolves.toEqual(DEFAULT_SETTINGS)
    localStorage.setItem(KEY, '"a string"')
    await expect(host.settings.get()).resolves.toEqual(DEFAULT_SETTINGS)
    localStorage.setItem(KEY, JSON.stringify({ locale: 'klingon', displayName: 'Wei', devices: { cameraId: 12 }, serverUrl: 'nope' }))
    await expect(host.settings.get()).resolves.toEqual({ ...DEFAULT_SETTINGS, displayName: 'Wei' })
    // Updating over corrupt storage writes a clean value.
    localStorage.setItem(KEY, '{not json')
    await host.settings.update({ displayName: 'Li' })
    expect(JSON.parse(localStorage.getItem(KEY) ?? 'null')).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Li' })
  })

  it('rejects an invalid patch and leaves storage alone', async () => {
    const host = new WebHost(localStorage, 'http://x')
    await host.settings.update({ displayName: 'Wei' })
    const before = localStorage.getItem(KEY)
    // @ts-expect-error -- not a locale Duet speaks
    await expect(host.settings.update({ locale: 'de' })).rejects.toThrow()
    await expect(host.settings.update({ displayName: 'x'.repeat(41) })).rejects.toThrow()
    await expect(host.settings.update({ serverUrl: 'not a url' })).rejects.toThrow()
    expect(localStorage.getItem(KEY)).toBe(before)
  })

  it('keeps working when storage refuses to write or read', async () => {
    const broken = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
      removeItem: () => {},
      clear: () => {},
      key: () => null,
      length: 0,
    } satisfies Storage
    const host = new WebHost(broken, 'http://x')
    await expect(host.settings.get()).resolves.toEqual(DEFAULT_SETTINGS)
    await expect(host.settings.update({ displayName: 'Wei' })).resolves.toEqual({ ...DEFAULT_SETTINGS, displayName: 'Wei' })
  })
})
