import { describe, expect, it, vi } from 'vitest'
import { ElectronHost } from '../../../src/renderer/host/ElectronHost'
import type { DuetBridge } from '../../../src/shared/ipc'
import type { ParsedInvite } from '../../../src/shared/invite'
import { DEFAULT_SETTINGS } from '../../../src/shared/settings'

function fakeBridge(queued: ParsedInvite[] = []) {
  const order: string[] = []
  let emit: ((invite: ParsedInvite) => void) | null = null
  const off = vi.fn()
  const bridge = {
    appVersion: '0.1.0',
    getSettings: vi.fn(async () => DEFAULT_SETTINGS),
    updateSettings: vi.fn(async (patch) => ({ ...DEFAULT_SETTINGS, ...patch })),
    ensureLessonServer: vi.fn(async () => ({ url: 'http://127.0.0.1:47300', lanUrls: [] })),
    setLessonActive: vi.fn(async () => undefined),
    getAppInfo: vi.fn(async () => ({ version: '0.1.0', platform: 'linux', locale: 'en' })),
    inviteReady: vi.fn(async () => {
      order.push('ready')
      return queued
    }),
    openExternal: vi.fn(async () => undefined),
    on: vi.fn((_event: 'invite', listener: (invite: ParsedInvite) => void) => {
      order.push('on')
      emit = listener
      return off
    }),
  } satisfies DuetBridge
  return { bridge, order, off, emit: (i: ParsedInvite) => emit?.(i) }
}

describe('ElectronHost', () => {
  it('forwards to the bridge', async () => {
    const { bridge } = fakeBridge()
    const host = new ElectronHost(bridge)
    expect(host.kind).toBe('electron')
    expect(host.appVersion()).toBe('0.1.0')
    await expect(host.updateSettings({ displayName: 'Li' })).resolves.toMatchObject({ displayName: 'Li' })
    await expect(host.lessonServer()).resolves.toEqual({ url: 'http://127.0.0.1:47300', lanUrls: [] })
    await host.setLessonActive(true)
    expect(bridge.setLessonActive).toHaveBeenCalledWith(true)
  })

  it('subscribes before announcing readiness, then delivers queued and live invites', async () => {
    const queued = { code: 'K7P2QXMA', server: null }
    const { bridge, order, emit, off } = fakeBridge([queued])
    const listener = vi.fn()
    const unsubscribe = new ElectronHost(bridge).onInvite(listener)
    expect(order).toEqual(['on', 'ready'])
    await vi.waitFor(() => expect(listener).toHaveBeenCalledWith(queued))
    emit({ code: 'ABCDEFGH', server: 'https://school.example' })
    expect(listener).toHaveBeenCalledTimes(2)
    unsubscribe()
    expect(off).toHaveBeenCalled()
  })

  it('drops queued invites if unsubscribed before they arrive', async () => {
    const { bridge } = fakeBridge([{ code: 'K7P2QXMA', server: null }])
    const listener = vi.fn()
    new ElectronHost(bridge).onInvite(listener)()
    await Promise.resolve()
    await Promise.resolve()
    expect(listener).not.toHaveBeenCalled()
  })
})
