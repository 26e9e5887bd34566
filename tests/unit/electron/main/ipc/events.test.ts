import { describe, expect, it, vi } from 'vitest'
import { sendEvent, type EventTarget } from '../../../../../electron/main/ipc/events'
import type { ParsedInvite } from '../../../../../src/shared/lesson/invite'
import { fakeLogger } from '../../fakes'

function target(destroyed = false) {
  return { isDestroyed: () => destroyed, send: vi.fn<EventTarget['send']>() }
}

describe('sendEvent', () => {
  it('sends a valid payload on the event channel', () => {
    const t = target()
    expect(sendEvent(t, 'invite', { code: 'K7P2QXMA', server: null }, fakeLogger())).toBe(true)
    expect(t.send).toHaveBeenCalledWith('duet:invite', { code: 'K7P2QXMA', server: null })
  })

  it('refuses an invalid payload and logs it', () => {
    const t = target()
    const logger = fakeLogger()
    const bad = { code: 'bad', server: 'file:///x' } as ParsedInvite
    expect(sendEvent(t, 'invite', bad, logger)).toBe(false)
    expect(t.send).not.toHaveBeenCalled()
    expect(logger.error).toHaveBeenCalled()
  })

  it('reports false when there is no live window', () => {
    expect(sendEvent(null, 'invite', { code: 'K7P2QXMA', server: null }, fakeLogger())).toBe(false)
    const gone = target(true)
    expect(sendEvent(gone, 'invite', { code: 'K7P2QXMA', server: null }, fakeLogger())).toBe(false)
    expect(gone.send).not.toHaveBeenCalled()
  })

  it('sends the picker request and the stop request on their channels', () => {
    const t = target()
    const request = { requestId: 'r1', sources: [], systemAudio: { supported: true, reason: null } }
    expect(sendEvent(t, 'screenPicker:request', request, fakeLogger())).toBe(true)
    expect(t.send).toHaveBeenCalledWith('duet:screenPicker:request', request)
    expect(sendEvent(t, 'sharing:stopRequested', {}, fakeLogger())).toBe(true)
    expect(t.send).toHaveBeenLastCalledWith('duet:sharing:stopRequested', {})
    const bad = { ...request, requestId: '' }
    expect(sendEvent(t, 'screenPicker:request', bad, fakeLogger())).toBe(false)
    expect(t.send).toHaveBeenCalledTimes(2)
  })
})
