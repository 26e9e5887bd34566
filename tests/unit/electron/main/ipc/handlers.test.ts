import { describe, expect, it, vi } from 'vitest'
import { createInvokeHandlers, type HandlerDeps } from '../../../../../electron/main/ipc/handlers'
import { DEFAULT_SETTINGS } from '../../../../../src/shared/settings'
import { fakeAiDeps } from '../services/aiFakes'
import { fakePolicyUpdateDeps } from '../services/policyUpdateFakes'
import { fakeRecordingDeps } from '../services/recordingFakes'

function deps() {
  return {
    settings: { get: () => DEFAULT_SETTINGS, update: (p) => ({ ...DEFAULT_SETTINGS, ...(p as object) }) },
    lessonServer: { ensure: async () => ({ url: 'http://127.0.0.1:47300', lanUrls: [], hosted: true }) },
    lesson: { set: vi.fn() },
    deepLinks: { rendererReady: () => [{ code: 'K7P2QXMA', server: null }] },
    displayMedia: { answer: vi.fn(), refresh: vi.fn(async () => []) },
    sharingBar: { setVisible: vi.fn() },
    permissions: {
      get: vi.fn(async () => ({ camera: 'granted', microphone: 'denied', screen: 'unknown', canOpenSettings: true }) as const),
      openSettings: vi.fn(async () => {}),
    },
    appInfo: () => ({ version: '0.1.0', platform: 'darwin', locale: 'zh-CN' }),
    openExternal: vi.fn(async () => {}),
    notifications: { show: vi.fn(() => true) },
    ...fakeRecordingDeps(),
    ...fakeAiDeps(),
    ...fakePolicyUpdateDeps(),
  } satisfies HandlerDeps
}

describe('createInvokeHandlers', () => {
  it('wires each channel to its service', async () => {
    const d = deps()
    const h = createInvokeHandlers(d)
    expect(await h['duet:invite:ready']()).toEqual([{ code: 'K7P2QXMA', server: null }])
    await h['duet:lesson:setActive'](true)
    expect(d.lesson.set).toHaveBeenCalledWith(true)
    await h['duet:update:install']()
    expect(d.updates.install).toHaveBeenCalled()
    expect(await h['duet:policy:get']()).toMatchObject({ lockedSettings: [] })
    expect(await h['duet:app:info']()).toMatchObject({ platform: 'darwin' })
  })

  it('wires screen sharing and permissions to their services', async () => {
    const d = deps()
    const h = createInvokeHandlers(d)
    const answer = { requestId: 'r1', choice: { sourceId: 'screen:0:0', withAudio: false } }
    await h['duet:screenPicker:answer'](answer)
    expect(d.displayMedia.answer).toHaveBeenCalledWith(answer)
    await h['duet:screenPicker:refresh']('r1')
    expect(d.displayMedia.refresh).toHaveBeenCalledWith('r1')
    await h['duet:sharingBar:set'](true)
    expect(d.sharingBar.setVisible).toHaveBeenCalledWith(true)
    await expect(h['duet:permissions:get']()).resolves.toMatchObject({ microphone: 'denied' })
    await h['duet:permissions:openSettings']('screen')
    expect(d.permissions.openSettings).toHaveBeenCalledWith('screen')
  })

  it('opens only http(s) links, even if called past the router', async () => {
    const d = deps()
    const h = createInvokeHandlers(d)
    await h['duet:shell:openExternal']('https://example.com/docs')
    expect(d.openExternal).toHaveBeenCalledWith('https://example.com/docs')
    await expect(h['duet:shell:openExternal']('file:///etc/passwd')).rejects.toThrow(/http\(s\)/)
    expect(d.openExternal).toHaveBeenCalledTimes(1)
  })
})
