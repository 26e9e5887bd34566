import { describe, expect, it, vi } from 'vitest'
import { PermissionsService, SETTINGS_PAGES, type SystemPreferencesLike } from '../../../../../electron/main/services/PermissionsService'
import { fakeLogger } from '../../fakes'

type Status = 'not-determined' | 'granted' | 'denied' | 'restricted' | 'unknown'
type Kind = 'camera' | 'microphone' | 'screen'

function setup(platform: NodeJS.Platform, statuses: Partial<Record<Kind, Status>> = {}, askGrants = true) {
  const state: Record<Kind, Status> = { camera: 'granted', microphone: 'granted', screen: 'granted', ...statuses }
  const systemPreferences = {
    getMediaAccessStatus: vi.fn((kind: Kind) => state[kind]),
    askForMediaAccess: vi.fn(async (kind: 'camera' | 'microphone') => {
      state[kind] = askGrants ? 'granted' : 'denied'
      return askGrants
    }),
  } satisfies SystemPreferencesLike
  const openExternal = vi.fn(async (_url: string) => {})
  const service = new PermissionsService({ platform, systemPreferences, openExternal, logger: fakeLogger() })
  return { service, systemPreferences, openExternal, state }
}

describe('PermissionsService.get', () => {
  it.each([
    ['darwin', { camera: 'granted', microphone: 'denied', screen: 'denied' }, { camera: 'granted', microphone: 'denied', screen: 'denied', canOpenSettings: true }],
    ['darwin', { camera: 'restricted', microphone: 'granted', screen: 'not-determined' }, { camera: 'restricted', microphone: 'granted', screen: 'not-determined', canOpenSettings: true }],
    ['win32', { camera: 'denied', microphone: 'granted', screen: 'granted' }, { camera: 'denied', microphone: 'granted', screen: 'granted', canOpenSettings: true }],
    ['linux', { camera: 'denied', microphone: 'denied', screen: 'denied' }, { camera: 'granted', microphone: 'granted', screen: 'unknown', canOpenSettings: false }],
    ['freebsd', {}, { camera: 'granted', microphone: 'granted', screen: 'unknown', canOpenSettings: false }],
  ] as const)('%s: %o → %o', async (platform, statuses, expected) => {
    const { service, systemPreferences } = setup(platform, statuses)
    await expect(service.get()).resolves.toEqual(expected)
    // Linux has no per-app switch: the OS is not asked at all.
    if (platform === 'linux' || platform === 'freebsd') expect(systemPreferences.getMediaAccessStatus).not.toHaveBeenCalled()
  })

  it('asks macOS for camera and microphone when not determined yet, then reports the answer', async () => {
    const { service, systemPreferences } = setup('darwin', { camera: 'not-determined', microphone: 'not-determined', screen: 'not-determined' })
    await expect(service.get()).resolves.toMatchObject({ camera: 'granted', microphone: 'granted', screen: 'not-determined' })
    expect(systemPreferences.askForMediaAccess.mock.calls).toEqual([['camera'], ['microphone']])
  })

  it('reports a refusal in the macOS dialog as denied', async () => {
    const { service } = setup('darwin', { camera: 'not-determined' }, false)
    await expect(service.get()).resolves.toMatchObject({ camera: 'denied', microphone: 'granted' })
  })

  it('never asks when already decided, and never on Windows', async () => {
    const mac = setup('darwin', { camera: 'denied', microphone: 'granted' })
    await mac.service.get()
    expect(mac.systemPreferences.askForMediaAccess).not.toHaveBeenCalled()
    const win = setup('win32', { camera: 'not-determined' })
    await expect(win.service.get()).resolves.toMatchObject({ camera: 'not-determined' })
    expect(win.systemPreferences.askForMediaAccess).not.toHaveBeenCalled()
  })

  it('turns odd or failing OS answers into unknown', async () => {
    const { service, systemPreferences } = setup('darwin')
    systemPreferences.getMediaAccessStatus.mockImplementation((kind: Kind) => {
      if (kind === 'screen') throw new Error('boom')
      return 'maybe' as Status
    })
    await expect(service.get()).resolves.toMatchObject({ camera: 'unknown', microphone: 'unknown', screen: 'unknown' })
    const bare = new PermissionsService({ platform: 'darwin', systemPreferences: {}, openExternal: vi.fn(), logger: fakeLogger() })
    await expect(bare.get()).resolves.toMatchObject({ camera: 'unknown', screen: 'unknown' })
  })

  it('reads the screen status without prompting', () => {
    const { service, systemPreferences } = setup('darwin', { screen: 'denied', camera: 'not-determined' })
    expect(service.screenStatus()).toBe('denied')
    expect(systemPreferences.askForMediaAccess).not.toHaveBeenCalled()
    expect(setup('linux').service.screenStatus()).toBe('unknown')
  })
})

describe('PermissionsService.openSettings', () => {
  it('opens the macOS Privacy panes', async () => {
    const { service, openExternal } = setup('darwin')
    for (const kind of ['camera', 'microphone', 'screen'] as const) await service.openSettings(kind)
    expect(openExternal.mock.calls.map((c) => c[0])).toEqual([
      'x-apple.systempreferences:com.apple.preference.security?Privacy_Camera',
      'x-apple.systempreferences:com.apple.preference.security?Privacy_Microphone',
      'x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture',
    ])
  })

  it('opens the Windows privacy pages for camera and microphone', async () => {
    const { service, openExternal } = setup('win32')
    await service.openSettings('camera')
    await service.openSettings('microphone')
    expect(openExternal.mock.calls.map((c) => c[0])).toEqual(['ms-settings:privacy-webcam', 'ms-settings:privacy-microphone'])
  })

  it('refuses with a clear error where there is no page, opening nothing', async () => {
    const win = setup('win32')
    await expect(win.service.openSettings('screen')).rejects.toThrow('There is no screen settings page to open on win32')
    const linux = setup('linux')
    await expect(linux.service.openSettings('camera')).rejects.toThrow(/no camera settings page/)
    expect(win.openExternal).not.toHaveBeenCalled()
    expect(linux.openExternal).not.toHaveBeenCalled()
  })

  it('has settings pages for exactly macOS and Windows', () => {
    expect(Object.keys(SETTINGS_PAGES).sort()).toEqual(['darwin', 'win32'])
  })
})
