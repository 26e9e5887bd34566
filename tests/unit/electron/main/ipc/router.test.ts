import { describe, expect, it, vi } from 'vitest'
import { appUrlChecker } from '../../../../../electron/main/appOrigin'
import { IpcRouter, type IpcMainLike, type InvokeEventLike } from '../../../../../electron/main/ipc/router'
import { INVOKE_CHANNELS, type InvokeHandlers } from '../../../../../src/shared/ipc'
import { DEFAULT_SETTINGS } from '../../../../../src/shared/settings'
import { APP_PAGE, DEV_ORIGIN, fakeLogger } from '../../fakes'
import { fakeRecordingHandlers } from '../services/recordingFakes'
import { fakeAiHandlers } from '../services/aiFakes'
import { fakePolicyUpdateHandlers } from '../services/policyUpdateFakes'

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown

function fakeIpcMain() {
  const registered = new Map<string, Listener>()
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (registered.has(channel)) throw new Error(`second handler for ${channel}`)
      registered.set(channel, listener)
    },
    removeHandler: (channel) => void registered.delete(channel),
  }
  /** Mimics ipcRenderer.invoke reaching main. */
  const invoke = async (channel: string, frameUrl: string | null, ...args: unknown[]) => {
    const listener = registered.get(channel)
    if (!listener) throw new Error(`No handler registered for '${channel}'`)
    return listener({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args)
  }
  return { ipcMain, registered, invoke }
}

function fakeHandlers() {
  return {
    'duet:settings:get': vi.fn(() => structuredClone(DEFAULT_SETTINGS)),
    'duet:settings:update': vi.fn((patch) => ({ ...structuredClone(DEFAULT_SETTINGS), ...patch })),
    'duet:lessonServer:ensure': vi.fn(async () => ({ url: 'http://127.0.0.1:47300', lanUrls: ['http://192.168.1.5:47300'], hosted: true })),
    'duet:lesson:setActive': vi.fn(() => undefined),
    'duet:app:info': vi.fn(() => ({ version: '1.2.3', platform: 'linux', locale: 'en-US' })),
    'duet:invite:ready': vi.fn(() => []),
    'duet:shell:openExternal': vi.fn(async () => undefined),
    'duet:screenPicker:answer': vi.fn(() => undefined),
    'duet:screenPicker:refresh': vi.fn(async () => []),
    'duet:sharingBar:set': vi.fn(() => undefined),
    'duet:permissions:get': vi.fn(async () => ({ camera: 'granted', microphone: 'granted', screen: 'unknown', canOpenSettings: false }) as const),
    'duet:permissions:openSettings': vi.fn(async () => undefined),
    'duet:notifications:show': vi.fn(() => true),
    ...fakeRecordingHandlers(),
    ...fakeAiHandlers(),
    ...fakePolicyUpdateHandlers(),
  } satisfies InvokeHandlers
}

function setup(devOrigin: string | null = null) {
  const fake = fakeIpcMain()
  const logger = fakeLogger()
  const router = new IpcRouter({ ipcMain: fake.ipcMain, isAppUrl: appUrlChecker(devOrigin), logger })
  const handlers = fakeHandlers()
  router.register(handlers)
  return { ...fake, logger, router, handlers }
}

describe('IpcRouter', () => {
  it('registers exactly the channels of the map', () => {
    const { registered } = setup()
    expect([...registered.keys()].sort()).toEqual(Object.keys(INVOKE_CHANNELS).sort())
  })

  it('returns the validated result for a valid call from the app', async () => {
    const { invoke, handlers } = setup()
    const result = await invoke('duet:settings:update', APP_PAGE, { displayName: 'Mei', unknownKey: 'dropped' })
    expect(handlers['duet:settings:update']).toHaveBeenCalledWith({ displayName: 'Mei' })
    expect(result).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Mei' })
  })

  it('refuses a call from a foreign frame and does not run the handler', async () => {
    const { invoke, handlers, logger } = setup()
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'app://other/index.html', 'http://localhost:5173/']) {
      await expect(invoke('duet:settings:get', url)).rejects.toThrow(/sender is not the app/)
    }
    expect(handlers['duet:settings:get']).not.toHaveBeenCalled()
    expect(logger.warn).toHaveBeenCalled()
  })

  it('refuses a call whose frame is gone', async () => {
    const { invoke, handlers } = setup()
    await expect(invoke('duet:app:info', null)).rejects.toThrow(/sender is not the app/)
    expect(handlers['duet:app:info']).not.toHaveBeenCalled()
  })

  it('accepts the dev server origin only when one is configured', async () => {
    const { invoke } = setup(DEV_ORIGIN)
    await expect(invoke('duet:app:info', `${DEV_ORIGIN}/#/lesson`)).resolves.toMatchObject({ version: '1.2.3' })
    await expect(invoke('duet:app:info', 'http://localhost:5174/')).rejects.toThrow(/sender/)
  })

  it('rejects an invalid payload with a clear error, without calling the handler', async () => {
    const { invoke, handlers, logger } = setup()
    await expect(invoke('duet:settings:update', APP_PAGE, { displayName: 'x'.repeat(41) })).rejects.toThrow(
      /duet:settings:update: invalid request \(displayName: /,
    )
    await expect(invoke('duet:lesson:setActive', APP_PAGE, 'yes')).rejects.toThrow(/invalid request/)
    await expect(invoke('duet:shell:openExternal', APP_PAGE, 'file:///etc/passwd')).rejects.toThrow(/http\(s\)/)
    await expect(invoke('duet:settings:get', APP_PAGE, undefined, 'extra')).rejects.toThrow(/too many arguments/)
    expect(handlers['duet:settings:update']).not.toHaveBeenCalled()
    expect(handlers['duet:lesson:setActive']).not.toHaveBeenCalled()
    expect(handlers['duet:shell:openExternal']).not.toHaveBeenCalled()
    expect(logger.warn).toHaveBeenCalledTimes(4)
    // The router keeps serving after bad input.
    await expect(invoke('duet:lesson:setActive', APP_PAGE, true)).resolves.toBeUndefined()
  })

  it('validates the screen-share and permission channels before their handlers run', async () => {
    const { invoke, handlers } = setup()
    const answer = { requestId: 'r1', choice: { sourceId: 'window:42:0', withAudio: true } }
    await expect(invoke('duet:screenPicker:answer', APP_PAGE, answer)).resolves.toBeUndefined()
    expect(handlers['duet:screenPicker:answer']).toHaveBeenCalledWith(answer)
    await expect(invoke('duet:screenPicker:answer', APP_PAGE, { requestId: 'r1', choice: { sourceId: '' } })).rejects.toThrow(
      /invalid request \(choice\./,
    )
    await expect(invoke('duet:screenPicker:answer', APP_PAGE, { requestId: 'r1' })).rejects.toThrow(/invalid request/)
    await expect(invoke('duet:screenPicker:refresh', APP_PAGE, 'x'.repeat(65))).rejects.toThrow(/invalid request/)
    await expect(invoke('duet:sharingBar:set', APP_PAGE, 1)).rejects.toThrow(/invalid request/)
    await expect(invoke('duet:permissions:openSettings', APP_PAGE, 'location')).rejects.toThrow(/invalid request/)
    await expect(invoke('duet:permissions:openSettings', 'https://evil.example/', 'camera')).rejects.toThrow(/sender/)
    expect(handlers['duet:screenPicker:answer']).toHaveBeenCalledTimes(1)
    expect(handlers['duet:screenPicker:refresh']).not.toHaveBeenCalled()
    expect(handlers['duet:sharingBar:set']).not.toHaveBeenCalled()
    expect(handlers['duet:permissions:openSettings']).not.toHaveBeenCalled()
  })

  it('refuses a refresh response that would hand the renderer an invalid source', async () => {
    const { invoke, handlers } = setup()
    handlers['duet:screenPicker:refresh'].mockResolvedValueOnce([
      { id: 'screen:0:0', name: 'Screen', kind: 'screen', thumbnail: 'javascript:alert(1)', appIcon: null },
    ] as never)
    await expect(invoke('duet:screenPicker:refresh', APP_PAGE, 'r1')).rejects.toThrow('internal error')
  })

  it('refuses unknown channels', async () => {
    const { router } = setup()
    await expect(router.dispatch('duet:fs:read', { senderFrame: { url: APP_PAGE } }, ['/etc/passwd'])).rejects.toThrow(
      /Unknown IPC channel/,
    )
  })

  it('turns an invalid handler response into an internal error', async () => {
    const { invoke, handlers, logger } = setup()
    handlers['duet:app:info'].mockReturnValueOnce({ version: 1 } as never)
    await expect(invoke('duet:app:info', APP_PAGE)).rejects.toThrow('duet:app:info: internal error')
    expect(logger.error).toHaveBeenCalled()
  })

  it('passes handler errors on as rejections', async () => {
    const { invoke, handlers } = setup()
    handlers['duet:lessonServer:ensure'].mockRejectedValueOnce(new Error('port busy'))
    await expect(invoke('duet:lessonServer:ensure', APP_PAGE)).rejects.toThrow('port busy')
  })

  it('refuses a handler map that misses or adds channels', () => {
    const fake = fakeIpcMain()
    const router = new IpcRouter({ ipcMain: fake.ipcMain, isAppUrl: appUrlChecker(null), logger: fakeLogger() })
    const { 'duet:app:info': _dropped, ...partial } = fakeHandlers()
    expect(() => router.register(partial as unknown as InvokeHandlers)).toThrow(/missing \[duet:app:info\]/)
    expect(() => router.register({ ...fakeHandlers(), 'duet:extra': () => 1 } as unknown as InvokeHandlers)).toThrow(
      /unknown \[duet:extra\]/,
    )
    expect(fake.registered.size).toBe(0)
  })

  it('removes its handlers on dispose', () => {
    const { router, registered } = setup()
    router.dispose()
    expect(registered.size).toBe(0)
  })
})
