import { describe, expect, it, vi } from 'vitest'
import { ElectronHost } from '../../../../src/renderer/host/ElectronHost'
import type { DuetBridge, EventName, EventPayload } from '../../../../src/shared/ipc'
import type { ParsedInvite } from '../../../../src/shared/lesson/invite'
import type { MediaPermissions, ScreenPickerRequest, ScreenSource } from '../../../../src/shared/screenShare'
import { DEFAULT_SETTINGS } from '../../../../src/shared/settings'
import { fakeAiBridge } from '../../electron/main/services/aiFakes'
import { fakePolicyUpdateBridge } from '../../electron/main/services/policyUpdateFakes'
import { fakeRecordingBridge } from '../../electron/main/services/recordingFakes'

const SOURCE: ScreenSource = { id: 'screen:0:0', name: 'Screen 1', kind: 'screen', thumbnail: 'data:image/png;base64,AA', appIcon: null }
const PERMISSIONS: MediaPermissions = { camera: 'granted', microphone: 'denied', screen: 'not-determined', canOpenSettings: true }

function fakeBridge(queued: ParsedInvite[] = []) {
  const order: string[] = []
  const listeners = new Map<string, (payload: unknown) => void>()
  const offs = new Map<string, ReturnType<typeof vi.fn>>()
  const bridge = {
    appVersion: '0.1.0',
    app: {
      ensureLessonServer: vi.fn(async () => ({ url: 'http://127.0.0.1:47300', lanUrls: [], hosted: true })),
      setLessonActive: vi.fn(async () => undefined),
      info: vi.fn(async () => ({ version: '0.1.0', platform: 'linux', locale: 'en' })),
      inviteReady: vi.fn(async () => {
        order.push('ready')
        return queued
      }),
      openExternal: vi.fn(async () => undefined),
    },
    settings: {
      get: vi.fn(async () => DEFAULT_SETTINGS),
      update: vi.fn(async (patch) => ({ ...DEFAULT_SETTINGS, ...patch })),
    },
    screen: {
      answerPicker: vi.fn(async () => undefined),
      refreshSources: vi.fn(async () => [SOURCE]),
      setSharingBar: vi.fn(async () => undefined),
    },
    permissions: {
      get: vi.fn(async () => PERMISSIONS),
      openSettings: vi.fn(async () => undefined),
    },
    notifications: { show: vi.fn(async () => true) },
    ...fakeRecordingBridge(),
    ...fakeAiBridge(),
    ...fakePolicyUpdateBridge(),
    on: vi.fn(<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => {
      order.push(`on:${event}`)
      listeners.set(event, listener as (payload: unknown) => void)
      const off = vi.fn()
      offs.set(event, off)
      return off
    }),
  } satisfies DuetBridge
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => listeners.get(event)?.(payload)
  return { bridge, order, offs, emit }
}

describe('ElectronHost', () => {
  it('forwards to the bridge', async () => {
    const { bridge } = fakeBridge()
    const host = new ElectronHost(bridge)
    expect(host.kind).toBe('electron')
    expect(host.app.version()).toBe('0.1.0')
    await expect(host.settings.update({ displayName: 'Li' })).resolves.toMatchObject({ displayName: 'Li' })
    await expect(host.app.lessonServer()).resolves.toEqual({ url: 'http://127.0.0.1:47300', lanUrls: [], hosted: true })
    await host.app.setLessonActive(true)
    expect(bridge.app.setLessonActive).toHaveBeenCalledWith(true)
  })

  it('subscribes before announcing readiness, then delivers queued and live invites', async () => {
    const queued = { code: 'K7P2QXMA', server: null }
    const { bridge, order, emit, offs } = fakeBridge([queued])
    const listener = vi.fn()
    const unsubscribe = new ElectronHost(bridge).app.onInvite(listener)
    expect(order).toEqual(['on:invite', 'ready'])
    await vi.waitFor(() => expect(listener).toHaveBeenCalledWith(queued))
    emit('invite', { code: 'ABCDEFGH', server: 'https://school.example' })
    expect(listener).toHaveBeenCalledTimes(2)
    unsubscribe()
    expect(offs.get('invite')).toHaveBeenCalled()
  })

  it('drops queued invites if unsubscribed before they arrive', async () => {
    const { bridge } = fakeBridge([{ code: 'K7P2QXMA', server: null }])
    const listener = vi.fn()
    new ElectronHost(bridge).app.onInvite(listener)()
    await Promise.resolve()
    await Promise.resolve()
    expect(listener).not.toHaveBeenCalled()
  })

  it('delivers picker requests and unsubscribes', () => {
    const { bridge, emit, offs } = fakeBridge()
    const listener = vi.fn()
    const off = new ElectronHost(bridge).screen.onPickerRequest(listener)
    const request: ScreenPickerRequest = { requestId: 'r1', sources: [SOURCE], systemAudio: { supported: true, reason: null } }
    emit('screenPicker:request', request)
    expect(listener).toHaveBeenCalledWith(request)
    off()
    expect(offs.get('screenPicker:request')).toHaveBeenCalledTimes(1)
  })

  it('answers, refreshes and toggles the sharing bar through the bridge', async () => {
    const { bridge } = fakeBridge()
    const host = new ElectronHost(bridge)
    await host.screen.answerPicker({ requestId: 'r1', choice: { sourceId: 'screen:0:0', withAudio: true } })
    expect(bridge.screen.answerPicker).toHaveBeenCalledWith({ requestId: 'r1', choice: { sourceId: 'screen:0:0', withAudio: true } })
    await expect(host.screen.refreshSources('r1')).resolves.toEqual([SOURCE])
    expect(bridge.screen.refreshSources).toHaveBeenCalledWith('r1')
    await host.screen.setSharingBar(true)
    await host.screen.setSharingBar(false)
    expect(bridge.screen.setSharingBar.mock.calls).toEqual([[true], [false]])
  })

  it('passes bridge rejections on (a source that was not offered)', async () => {
    const { bridge } = fakeBridge()
    bridge.screen.answerPicker.mockRejectedValueOnce(new Error('That screen or window was not offered'))
    await expect(new ElectronHost(bridge).screen.answerPicker({ requestId: 'r1', choice: null })).rejects.toThrow('not offered')
  })

  it('calls the stop listener with no arguments and unsubscribes', () => {
    const { bridge, emit, offs } = fakeBridge()
    const listener = vi.fn()
    const off = new ElectronHost(bridge).screen.onStopRequest(listener)
    emit('sharing:stopRequested', {})
    expect(listener).toHaveBeenCalledTimes(1)
    expect(listener.mock.calls[0]).toEqual([])
    off()
    expect(offs.get('sharing:stopRequested')).toHaveBeenCalledTimes(1)
  })

  it('reads permissions and opens their settings pages', async () => {
    const { bridge } = fakeBridge()
    const host = new ElectronHost(bridge)
    await expect(host.permissions.get()).resolves.toEqual(PERMISSIONS)
    await host.permissions.openSettings('microphone')
    expect(bridge.permissions.openSettings).toHaveBeenCalledWith('microphone')
  })
})
