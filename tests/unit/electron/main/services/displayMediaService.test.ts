import { describe, expect, it, vi } from 'vitest'
import { appUrlChecker } from '../../../../../electron/main/appOrigin'
import type { CapturerSourceLike } from '../../../../../electron/main/capture/screenSources'
import {
  DisplayMediaService,
  PICKER_TIMEOUT_MS,
  type DisplayMediaDeps,
  type DisplayMediaRequestLike,
  type GrantedStreams,
} from '../../../../../electron/main/services/DisplayMediaService'
import type { MediaPermissionStatus, ScreenPickerRequest } from '../../../../../src/shared/screenShare'
import { fakeLogger } from '../../fakes'

const png = (label: string) => ({ toDataURL: () => `data:image/png;base64,${Buffer.from(label).toString('base64')}` })

function capturerSource(id: string, name: string): CapturerSourceLike {
  return { id, name, thumbnail: png(`thumb ${name}`), appIcon: id.startsWith('window:') ? png(`icon ${name}`) : null }
}

const SCREEN = capturerSource('screen:0:0', 'Entire Screen')
const SLIDES = capturerSource('window:4242:0', 'Slides — Keynote')
const DUET_MAIN = capturerSource('window:777:1', 'Duet')
const DUET_BAR = capturerSource('window:778:0', 'Duet')

const REQUEST: DisplayMediaRequestLike = {
  securityOrigin: 'app://duet/',
  videoRequested: true,
  audioRequested: true,
  fromMainWindow: true,
}

/** Timers run by hand: `fire()` runs what is due. */
function fakeTimers() {
  let now = 0
  const due = new Map<number, { at: number; fn: () => void }>()
  let next = 1
  return {
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        const id = next++
        due.set(id, { at: now + ms, fn })
        return id
      },
      clearTimeout: (handle: unknown) => void due.delete(handle as number),
    },
    advance(ms: number) {
      now += ms
      for (const [id, t] of [...due]) {
        if (t.at <= now) {
          due.delete(id)
          t.fn()
        }
      }
    },
    get pending() {
      return due.size
    },
  }
}

function setup(overrides: Partial<DisplayMediaDeps> = {}) {
  const sent: ScreenPickerRequest[] = []
  let ids = 0
  let sources: CapturerSourceLike[] = [DUET_MAIN, SLIDES, SCREEN, DUET_BAR]
  const clock = fakeTimers()
  const screen = { status: 'granted' as MediaPermissionStatus }
  const getSources = vi.fn(async (_query: unknown) => sources)
  const deps: DisplayMediaDeps = {
    getSources,
    ownMediaSourceIds: () => ['window:777:0', 'window:778:0'],
    sendRequest: vi.fn((request: ScreenPickerRequest) => {
      sent.push(request)
      return true
    }),
    isAppUrl: appUrlChecker(null),
    screenStatus: () => screen.status,
    platform: 'win32',
    mode: 'duet-picker',
    newId: () => `req-${++ids}`,
    logger: fakeLogger(),
    timers: clock.timers,
    ...overrides,
  }
  const service = new DisplayMediaService(deps)
  return {
    service,
    deps,
    sent,
    clock,
    screen,
    getSources,
    setSources: (s: CapturerSourceLike[]) => void (sources = s),
    callback: () => vi.fn<(streams: GrantedStreams | null) => void>(),
  }
}

describe('DisplayMediaService: asking the renderer', () => {
  it('lists screens and windows with thumbnails and icons, leaves out Duet, and asks the main window', async () => {
    const { service, sent, getSources, callback } = setup()
    const cb = callback()
    await service.handleRequest(REQUEST, cb)
    expect(getSources).toHaveBeenCalledWith({
      types: ['screen', 'window'],
      thumbnailSize: { width: 320, height: 180 },
      fetchWindowIcons: true,
    })
    expect(sent).toHaveLength(1)
    const request = sent[0]!
    expect(request.requestId).toBe('req-1')
    expect(request.sources.map((s) => s.id)).toEqual(['screen:0:0', 'window:4242:0'])
    // Reduced to what the picker shows, nothing else from the NativeImage objects.
    expect(request.sources[1]).toEqual({
      id: 'window:4242:0',
      name: 'Slides — Keynote',
      kind: 'window',
      thumbnail: `data:image/png;base64,${Buffer.from('thumb Slides — Keynote').toString('base64')}`,
      appIcon: `data:image/png;base64,${Buffer.from('icon Slides — Keynote').toString('base64')}`,
    })
    expect(Object.keys(request.sources[0]!).sort()).toEqual(['appIcon', 'id', 'kind', 'name', 'thumbnail'])
    expect(service.pendingRequestId).toBe('req-1')
    expect(cb).not.toHaveBeenCalled()
  })

  it('offers system audio on Windows only, and only when the page asked for audio', async () => {
    const win = setup({ platform: 'win32' })
    await win.service.handleRequest(REQUEST, win.callback())
    expect(win.sent[0]?.systemAudio).toEqual({ supported: true, reason: null })

    const winNoAudio = setup({ platform: 'win32' })
    await winNoAudio.service.handleRequest({ ...REQUEST, audioRequested: false }, winNoAudio.callback())
    expect(winNoAudio.sent[0]?.systemAudio).toEqual({ supported: false, reason: null })

    for (const platform of ['darwin', 'linux'] as const) {
      const other = setup({ platform })
      await other.service.handleRequest(REQUEST, other.callback())
      expect(other.sent[0]?.systemAudio, platform).toEqual({ supported: false, reason: 'os-unsupported' })
    }
  })

  it('refuses requests that are not from the app, not from the main window, or ask for no video', async () => {
    const { service, sent, getSources, callback } = setup()
    for (const request of [
      { ...REQUEST, securityOrigin: 'https://evil.example' },
      { ...REQUEST, fromMainWindow: false },
      { ...REQUEST, videoRequested: false },
    ]) {
      const cb = callback()
      await service.handleRequest(request, cb)
      expect(cb).toHaveBeenCalledWith(null)
    }
    expect(getSources).not.toHaveBeenCalled()
    expect(sent).toHaveLength(0)
  })

  it('does not list sources when macOS screen recording is denied (no black pictures)', async () => {
    const { service, sent, getSources, callback, screen } = setup({ platform: 'darwin' })
    for (const status of ['denied', 'restricted'] as const) {
      screen.status = status
      const cb = callback()
      await service.handleRequest(REQUEST, cb)
      expect(cb).toHaveBeenCalledWith(null)
    }
    expect(getSources).not.toHaveBeenCalled()
    expect(sent).toHaveLength(0)
    // not-determined: listing is what makes macOS ask.
    screen.status = 'not-determined'
    await service.handleRequest(REQUEST, callback())
    expect(sent).toHaveLength(1)
  })

  it('cancels when there is no window to show the picker or listing fails', async () => {
    const noWindow = setup({ sendRequest: () => false })
    const cb = noWindow.callback()
    await noWindow.service.handleRequest(REQUEST, cb)
    expect(cb).toHaveBeenCalledWith(null)
    expect(noWindow.service.pendingRequestId).toBeNull()
    expect(noWindow.clock.pending).toBe(0)

    const failing = setup({ getSources: vi.fn(async () => Promise.reject(new Error('capturer crashed'))) })
    const cb2 = failing.callback()
    await failing.service.handleRequest(REQUEST, cb2)
    expect(cb2).toHaveBeenCalledWith(null)
    expect(failing.deps.logger.error).toHaveBeenCalled()
  })
})

describe('DisplayMediaService: answers', () => {
  it('grants the chosen source with loopback audio on Windows when asked', async () => {
    const { service, callback } = setup({ platform: 'win32' })
    const cb = callback()
    await service.handleRequest(REQUEST, cb)
    service.answer({ requestId: 'req-1', choice: { sourceId: 'window:4242:0', withAudio: true } })
    expect(cb).toHaveBeenCalledExactlyOnceWith({ video: { id: 'window:4242:0', name: 'Slides — Keynote' }, audio: 'loopback' })
    expect(service.pendingRequestId).toBeNull()
  })

  it('leaves the audio key out entirely when no system audio is shared (Electron throws on audio: undefined)', async () => {
    for (const [platform, withAudio, audioRequested] of [
      ['win32', false, true],
      ['win32', true, false],
      ['darwin', true, true],
      ['linux', true, true],
    ] as const) {
      const { service, callback } = setup({ platform })
      const cb = callback()
      await service.handleRequest({ ...REQUEST, audioRequested }, cb)
      service.answer({ requestId: 'req-1', choice: { sourceId: 'screen:0:0', withAudio } })
      const streams = cb.mock.calls[0]?.[0]
      expect(streams, `${platform} ${withAudio} ${audioRequested}`).toEqual({ video: { id: 'screen:0:0', name: 'Entire Screen' } })
      expect('audio' in (streams ?? {})).toBe(false)
    }
  })

  it('cancels with null (not {}) when the user cancels', async () => {
    const { service, callback, clock } = setup()
    const cb = callback()
    await service.handleRequest(REQUEST, cb)
    service.answer({ requestId: 'req-1', choice: null })
    expect(cb).toHaveBeenCalledExactlyOnceWith(null)
    expect(service.pendingRequestId).toBeNull()
    expect(clock.pending).toBe(0)
  })

  it('ignores stale and forged request ids, with a log, and keeps the open request', async () => {
    const { service, callback, deps } = setup()
    const cb = callback()
    await service.handleRequest(REQUEST, cb)
    service.answer({ requestId: 'req-999', choice: { sourceId: 'screen:0:0', withAudio: false } })
    expect(cb).not.toHaveBeenCalled()
    expect(deps.logger.warn).toHaveBeenCalledWith(expect.stringContaining('unknown or finished'), 'req-999')
    service.answer({ requestId: 'req-1', choice: { sourceId: 'screen:0:0', withAudio: false } })
    expect(cb).toHaveBeenCalledTimes(1)
    // A second answer for the finished request changes nothing.
    service.answer({ requestId: 'req-1', choice: null })
    expect(cb).toHaveBeenCalledTimes(1)
  })

  it('refuses a source that was not offered (Duet itself, or made up) and keeps the picker open', async () => {
    const { service, callback } = setup()
    const cb = callback()
    await service.handleRequest(REQUEST, cb)
    for (const sourceId of ['window:777:1', 'window:778:0', 'screen:9:0', 'window:1:0']) {
      expect(() => service.answer({ requestId: 'req-1', choice: { sourceId, withAudio: false } }), sourceId).toThrow(/not offered/)
    }
    expect(cb).not.toHaveBeenCalled()
    expect(service.pendingRequestId).toBe('req-1')
    service.answer({ requestId: 'req-1', choice: { sourceId: 'screen:0:0', withAudio: false } })
    expect(cb).toHaveBeenCalledTimes(1)
  })

  it('survives Electron throwing from the callback', async () => {
    const { service, deps } = setup()
    await service.handleRequest(REQUEST, () => {
      throw new TypeError('frame is gone')
    })
    expect(() => service.answer({ requestId: 'req-1', choice: null })).not.toThrow()
    expect(deps.logger.error).toHaveBeenCalled()
  })
})

describe('DisplayMediaService: lifetime of a request', () => {
  it('times out after two minutes', async () => {
    const { service, callback, clock } = setup()
    const cb = callback()
    await service.handleRequest(REQUEST, cb)
    clock.advance(PICKER_TIMEOUT_MS - 1)
    expect(cb).not.toHaveBeenCalled()
    clock.advance(1)
    expect(cb).toHaveBeenCalledExactlyOnceWith(null)
    expect(service.pendingRequestId).toBeNull()
    service.answer({ requestId: 'req-1', choice: { sourceId: 'screen:0:0', withAudio: false } })
    expect(cb).toHaveBeenCalledTimes(1)
  })

  it('a second request cancels the first; the first id is then stale', async () => {
    const { service, callback, sent } = setup()
    const first = callback()
    const second = callback()
    await service.handleRequest(REQUEST, first)
    await service.handleRequest(REQUEST, second)
    expect(first).toHaveBeenCalledExactlyOnceWith(null)
    expect(sent.map((r) => r.requestId)).toEqual(['req-1', 'req-2'])
    service.answer({ requestId: 'req-1', choice: { sourceId: 'screen:0:0', withAudio: false } })
    expect(second).not.toHaveBeenCalled()
    service.answer({ requestId: 'req-2', choice: { sourceId: 'screen:0:0', withAudio: false } })
    expect(second).toHaveBeenCalledTimes(1)
    expect(first).toHaveBeenCalledTimes(1)
  })

  it('a request replaced while its sources are still listing is never shown', async () => {
    const gate = { release: null as (() => void) | null }
    const getSources = vi.fn(async () => {
      if (!gate.release) await new Promise<void>((r) => (gate.release = r))
      return [SCREEN]
    })
    const { service, sent, callback } = setup({ getSources })
    const first = callback()
    const firstDone = service.handleRequest(REQUEST, first)
    await vi.waitFor(() => expect(gate.release).not.toBeNull())
    const second = callback()
    await service.handleRequest(REQUEST, second)
    gate.release?.()
    await firstDone
    expect(first).toHaveBeenCalledExactlyOnceWith(null)
    expect(sent.map((r) => r.requestId)).toEqual(['req-2'])
    expect(service.pendingRequestId).toBe('req-2')
  })

  it('cancels when the window closes or the page reloads mid-request', async () => {
    const { service, callback, clock } = setup()
    const cb = callback()
    await service.handleRequest(REQUEST, cb)
    service.rendererGone()
    expect(cb).toHaveBeenCalledExactlyOnceWith(null)
    expect(clock.pending).toBe(0)
    service.rendererGone()
    expect(cb).toHaveBeenCalledTimes(1)
    await expect(service.refresh('req-1')).rejects.toThrow(/No open screen picker/)
  })

  it('cancels on dispose', async () => {
    const { service, callback } = setup()
    const cb = callback()
    await service.handleRequest(REQUEST, cb)
    service.dispose()
    expect(cb).toHaveBeenCalledWith(null)
  })
})

describe('DisplayMediaService: refresh', () => {
  it('returns fresh sources and lets the user pick a window that appeared since', async () => {
    const { service, callback, setSources } = setup()
    const cb = callback()
    await service.handleRequest(REQUEST, cb)
    const NOTES = capturerSource('window:5151:0', 'Notes')
    setSources([SCREEN, NOTES, DUET_MAIN])
    const fresh = await service.refresh('req-1')
    expect(fresh.map((s) => s.id)).toEqual(['screen:0:0', 'window:5151:0'])
    // Still allowed: it was offered by the first listing.
    expect(() => service.answer({ requestId: 'req-1', choice: { sourceId: 'window:5151:0', withAudio: false } })).not.toThrow()
    expect(cb).toHaveBeenCalledWith({ video: { id: 'window:5151:0', name: 'Notes' } })
  })

  it('refuses to refresh an unknown request', async () => {
    const { service, getSources } = setup()
    await expect(service.refresh('req-1')).rejects.toThrow(/No open screen picker/)
    expect(getSources).not.toHaveBeenCalled()
  })

  it('rejects a refresh whose picker closed while listing', async () => {
    const gate = { release: null as (() => void) | null }
    let calls = 0
    const getSources = vi.fn(async () => {
      if (++calls === 2) await new Promise<void>((r) => (gate.release = r))
      return [SCREEN]
    })
    const { service, callback } = setup({ getSources })
    await service.handleRequest(REQUEST, callback())
    const refreshed = service.refresh('req-1')
    await vi.waitFor(() => expect(gate.release).not.toBeNull())
    service.answer({ requestId: 'req-1', choice: null })
    gate.release?.()
    await expect(refreshed).rejects.toThrow(/closed/)
  })
})

describe('DisplayMediaService: Wayland portal', () => {
  it('answers with the source the system picker returned, without Duet’s picker', async () => {
    const { service, callback, sent, getSources, setSources } = setup({ platform: 'linux', mode: 'portal' })
    setSources([capturerSource('screen:1:0', 'Portal screen')])
    const cb = callback()
    await service.handleRequest(REQUEST, cb)
    expect(getSources).toHaveBeenCalledWith({ types: ['screen', 'window'], thumbnailSize: { width: 0, height: 0 } })
    expect(cb).toHaveBeenCalledExactlyOnceWith({ video: { id: 'screen:1:0', name: 'Portal screen' } })
    expect(sent).toHaveLength(0)
    expect(service.pendingRequestId).toBeNull()
  })

  it('cancels when the portal is dismissed or fails', async () => {
    const dismissed = setup({ platform: 'linux', mode: 'portal' })
    dismissed.setSources([])
    const cb = dismissed.callback()
    await dismissed.service.handleRequest(REQUEST, cb)
    expect(cb).toHaveBeenCalledExactlyOnceWith(null)

    const failing = setup({ platform: 'linux', mode: 'portal', getSources: vi.fn(async () => Promise.reject(new Error('no portal'))) })
    const cb2 = failing.callback()
    await failing.service.handleRequest(REQUEST, cb2)
    expect(cb2).toHaveBeenCalledExactlyOnceWith(null)
  })
})
