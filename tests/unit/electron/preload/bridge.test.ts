import { describe, expect, it, vi } from 'vitest'
import { appVersionFromArgv, buildBridge, type IpcRendererLike } from '../../../../electron/preload/bridge'
import { BRIDGE_GROUPS, INVOKE_CHANNELS } from '../../../../src/shared/ipc'
import { fakeRecordingBridge } from '../main/services/recordingFakes'
import { fakeAiBridge } from '../main/services/aiFakes'
import { fakePolicyUpdateBridge } from '../main/services/policyUpdateFakes'

type Listener = (event: unknown, ...args: unknown[]) => void

function fakeIpcRenderer() {
  const listeners = new Map<string, Set<Listener>>()
  const ipc = {
    invoke: vi.fn(async (..._args: unknown[]) => 'result'),
    on: vi.fn((channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel)?.add(listener)
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => void listeners.get(channel)?.delete(listener)),
  } satisfies IpcRendererLike
  /** Mimics webContents.send from main; the first argument stands for the IpcRendererEvent. */
  const emit = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'ipcRenderer-internals' }, payload)
  }
  return { ipc, emit, listeners }
}

describe('preload bridge', () => {
  it('exposes exactly the allow-listed methods, in their groups, plus on and appVersion', () => {
    const bridge = buildBridge(fakeIpcRenderer().ipc, '1.0.0')
    const shape = (value: object) =>
      Object.fromEntries(Object.entries(value).map(([key, member]) => [key, typeof member === 'object' ? Object.keys(member as object).sort() : typeof member]))
    const expected: Record<string, unknown> = { appVersion: 'string', on: 'function' }
    for (const group of BRIDGE_GROUPS) {
      expected[group] = Object.values(INVOKE_CHANNELS)
        .filter((spec) => spec.group === group)
        .map((spec) => spec.method)
        .sort()
    }
    expect(shape(bridge)).toEqual(expected)
    const fakes = { ...fakeRecordingBridge(), ...fakeAiBridge(), ...fakePolicyUpdateBridge() }
    expect(shape(bridge)).toMatchObject({
      app: ['ensureLessonServer', 'info', 'inviteReady', 'openExternal', 'setLessonActive'],
      settings: ['get', 'update'],
      screen: ['answerPicker', 'refreshSources', 'setSharingBar'],
      permissions: ['get', 'openSettings'],
      ...shape(fakes),
    })
    expect(Object.keys(bridge)).not.toContain('invoke')
    expect(Object.keys(bridge)).not.toContain('send')
    expect(Object.isFrozen(bridge)).toBe(true)
    for (const group of BRIDGE_GROUPS) expect(Object.isFrozen(bridge[group]), group).toBe(true)
  })

  it('exposes the screen-share and permission methods on their channels', async () => {
    const { ipc } = fakeIpcRenderer()
    const bridge = buildBridge(ipc, '1.0.0')
    await bridge.screen.answerPicker({ requestId: 'r1', choice: null })
    expect(ipc.invoke).toHaveBeenLastCalledWith('duet:screenPicker:answer', { requestId: 'r1', choice: null })
    await bridge.screen.refreshSources('r1')
    expect(ipc.invoke).toHaveBeenLastCalledWith('duet:screenPicker:refresh', 'r1')
    await bridge.screen.setSharingBar(true)
    expect(ipc.invoke).toHaveBeenLastCalledWith('duet:sharingBar:set', true)
    await bridge.permissions.get()
    expect(ipc.invoke).toHaveBeenLastCalledWith('duet:permissions:get')
    await bridge.permissions.openSettings('camera')
    expect(ipc.invoke).toHaveBeenLastCalledWith('duet:permissions:openSettings', 'camera')
  })

  it('delivers picker requests and stop requests, dropping malformed ones', () => {
    const { ipc, emit } = fakeIpcRenderer()
    const bridge = buildBridge(ipc, '1.0.0')
    const picker = vi.fn()
    const stop = vi.fn()
    bridge.on('screenPicker:request', picker)
    bridge.on('sharing:stopRequested', stop)
    const request = { requestId: 'r1', sources: [], systemAudio: { supported: false, reason: 'os-unsupported' } }
    emit('duet:screenPicker:request', request)
    emit('duet:screenPicker:request', { requestId: 'r2', sources: 'all of them' })
    emit('duet:sharing:stopRequested', {})
    expect(picker).toHaveBeenCalledTimes(1)
    expect(picker).toHaveBeenCalledWith(request)
    expect(stop).toHaveBeenCalledWith({})
  })

  it('invokes the matching channel with no argument or exactly one', async () => {
    const { ipc } = fakeIpcRenderer()
    const bridge = buildBridge(ipc, '1.0.0')
    await expect(bridge.settings.get()).resolves.toBe('result')
    expect(ipc.invoke).toHaveBeenLastCalledWith('duet:settings:get')
    await bridge.settings.update({ displayName: 'Ana' })
    expect(ipc.invoke).toHaveBeenLastCalledWith('duet:settings:update', { displayName: 'Ana' })
    // Extra arguments from page script are not forwarded.
    await (bridge.app.setLessonActive as (...a: unknown[]) => Promise<void>)(true, 'smuggled')
    expect(ipc.invoke).toHaveBeenLastCalledWith('duet:lesson:setActive', true)
    const groups = bridge as unknown as Record<string, Record<string, () => Promise<unknown>>>
    for (const [channel, spec] of Object.entries(INVOKE_CHANNELS)) {
      await groups[spec.group]?.[spec.method]?.()
      expect(ipc.invoke).toHaveBeenLastCalledWith(channel)
    }
  })

  it('delivers validated event payloads without the IPC event object, and unsubscribes', () => {
    const { ipc, emit, listeners } = fakeIpcRenderer()
    const bridge = buildBridge(ipc, '1.0.0')
    const listener = vi.fn()
    const off = bridge.on('invite', listener)
    emit('duet:invite', { code: 'K7P2QXMA', server: 'https://school.example' })
    expect(listener).toHaveBeenCalledWith({ code: 'K7P2QXMA', server: 'https://school.example' })
    expect(listener.mock.calls[0]).toHaveLength(1)
    emit('duet:invite', { code: 'nope', server: null })
    expect(listener).toHaveBeenCalledTimes(1)
    off()
    off()
    expect(ipc.removeListener).toHaveBeenCalledTimes(1)
    expect(listeners.get('duet:invite')?.size).toBe(0)
    emit('duet:invite', { code: 'K7P2QXMA', server: null })
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('refuses unknown events and non-function listeners', () => {
    const { ipc } = fakeIpcRenderer()
    const bridge = buildBridge(ipc, '1.0.0')
    const on = bridge.on as (event: string, listener: unknown) => () => void
    expect(() => on('duet:invite', () => {})).toThrow(/Unknown event/)
    expect(() => on('__proto__', () => {})).toThrow(/Unknown event/)
    expect(() => on('invite', 'not a function')).toThrow(TypeError)
    expect(ipc.on).not.toHaveBeenCalled()
  })

  it('reads the app version from argv, with a safe fallback', () => {
    expect(appVersionFromArgv(['electron', '--type=renderer', '--duet-app-version=0.1.0'])).toBe('0.1.0')
    expect(appVersionFromArgv(['electron'])).toBe('0.0.0')
    expect(appVersionFromArgv(['--duet-app-version=<script>'])).toBe('0.0.0')
    expect(buildBridge(fakeIpcRenderer().ipc, '2.1.0-beta.1').appVersion).toBe('2.1.0-beta.1')
  })
})
