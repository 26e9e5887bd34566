import { describe, expect, it, vi } from 'vitest'
import { appUrlChecker } from '../../../../../electron/main/appOrigin'
import { decidePermission, installPermissionHandlers, type MediaPolicy } from '../../../../../electron/main/security/permissions'
import { DEV_ORIGIN, fakeLogger } from '../../fakes'

const all: MediaPolicy = { camera: true, microphone: true, screen: true }
const prod = appUrlChecker(null)

describe('decidePermission', () => {
  it('grants camera and microphone to the app origin', () => {
    expect(decidePermission({ permission: 'media', origin: 'app://duet', mediaTypes: ['video', 'audio'] }, prod, all)).toEqual({
      granted: true,
    })
    expect(decidePermission({ permission: 'media', origin: 'app://duet/index.html', mediaTypes: ['audio'] }, prod, all).granted).toBe(true)
  })

  it('denies every other permission, even to the app', () => {
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'midi', 'openExternal', 'fullscreen', 'speaker-selection', 'unknown']) {
      expect(decidePermission({ permission, origin: 'app://duet', mediaTypes: undefined }, prod, all).granted, permission).toBe(false)
    }
  })

  it('denies media to other origins', () => {
    for (const origin of ['https://evil.example', 'file:///x.html', 'app://evil', DEV_ORIGIN, '', null, undefined]) {
      expect(decidePermission({ permission: 'media', origin, mediaTypes: ['video'] }, prod, all).granted, String(origin)).toBe(false)
    }
  })

  it('grants the dev server origin only in dev', () => {
    const dev = appUrlChecker(DEV_ORIGIN)
    expect(decidePermission({ permission: 'media', origin: DEV_ORIGIN, mediaTypes: ['audio'] }, dev, all).granted).toBe(true)
  })

  it('splits by media type: each kind must be allowed, unknown kinds are denied', () => {
    const micOnly: MediaPolicy = { camera: false, microphone: true, screen: false }
    expect(decidePermission({ permission: 'media', origin: 'app://duet', mediaTypes: ['audio'] }, prod, micOnly).granted).toBe(true)
    expect(decidePermission({ permission: 'media', origin: 'app://duet', mediaTypes: ['audio', 'video'] }, prod, micOnly).granted).toBe(false)
    expect(decidePermission({ permission: 'media', origin: 'app://duet', mediaTypes: ['unknown'] }, prod, all).granted).toBe(false)
    expect(decidePermission({ permission: 'media', origin: 'app://duet', mediaTypes: undefined }, prod, all).granted).toBe(false)
  })

  it('lets screen sharing through for the app only: display-capture, and media with no device named (getDisplayMedia)', () => {
    const noScreen: MediaPolicy = { camera: true, microphone: true, screen: false }
    expect(decidePermission({ permission: 'display-capture', origin: 'app://duet', mediaTypes: undefined }, prod, all)).toEqual({ granted: true })
    expect(decidePermission({ permission: 'media', origin: 'app://duet/index.html', mediaTypes: [] }, prod, all)).toEqual({ granted: true })
    for (const origin of ['https://evil.example', 'file:///x.html', 'app://evil', DEV_ORIGIN, null]) {
      expect(decidePermission({ permission: 'display-capture', origin, mediaTypes: undefined }, prod, all).granted, String(origin)).toBe(false)
      expect(decidePermission({ permission: 'media', origin, mediaTypes: [] }, prod, all).granted, String(origin)).toBe(false)
    }
    expect(decidePermission({ permission: 'display-capture', origin: 'app://duet', mediaTypes: undefined }, prod, noScreen)).toEqual({
      granted: false,
      reason: 'screen sharing is turned off',
    })
    expect(decidePermission({ permission: 'media', origin: 'app://duet', mediaTypes: [] }, prod, noScreen).granted).toBe(false)
    // Camera and microphone are unaffected by the screen switch.
    expect(decidePermission({ permission: 'media', origin: 'app://duet', mediaTypes: ['video'] }, prod, noScreen).granted).toBe(true)
  })
})

describe('installPermissionHandlers', () => {
  function install() {
    type RequestHandler = (wc: unknown, permission: string, callback: (granted: boolean) => void, details: object) => void
    type CheckHandler = (wc: unknown, permission: string, origin: string, details: object) => boolean
    let request: RequestHandler | null = null
    let check: CheckHandler | null = null
    const session = {
      setPermissionRequestHandler: (h: unknown) => void (request = h as RequestHandler),
      setPermissionCheckHandler: (h: unknown) => void (check = h as CheckHandler),
    }
    const logger = fakeLogger()
    installPermissionHandlers(session as never, prod, () => all, logger)
    if (!request || !check) throw new Error('handlers not installed')
    return { request: request as RequestHandler, check: check as CheckHandler, logger }
  }

  it('answers requests from details.mediaTypes and the requesting URL, logging denials', () => {
    const { request, logger } = install()
    const callback = vi.fn()
    request(null, 'media', callback, { requestingUrl: 'app://duet/index.html', mediaTypes: ['video'], isMainFrame: true })
    expect(callback).toHaveBeenLastCalledWith(true)
    request(null, 'media', callback, { requestingUrl: 'https://evil.example/', mediaTypes: ['video'], isMainFrame: false })
    expect(callback).toHaveBeenLastCalledWith(false)
    request(null, 'geolocation', callback, { requestingUrl: 'app://duet/index.html', isMainFrame: true })
    expect(callback).toHaveBeenLastCalledWith(false)
    expect(logger.warn).toHaveBeenCalledTimes(2)
    // What Electron sends for getDisplayMedia(): 'media' with no device type named.
    request(null, 'media', callback, { requestingUrl: 'app://duet/index.html', securityOrigin: 'app://duet/', mediaTypes: [], isMainFrame: true })
    expect(callback).toHaveBeenLastCalledWith(true)
  })

  it('answers checks from details.mediaType and the security origin', () => {
    const { check } = install()
    expect(check(null, 'media', 'app://duet', { mediaType: 'audio', securityOrigin: 'app://duet', isMainFrame: true })).toBe(true)
    expect(check(null, 'media', 'app://duet', { mediaType: 'unknown', isMainFrame: true })).toBe(false)
    expect(check(null, 'media', 'https://evil.example', { mediaType: 'video', isMainFrame: false })).toBe(false)
    expect(check(null, 'notifications', 'app://duet', { isMainFrame: true })).toBe(false)
    expect(check(null, 'display-capture', 'app://duet', { securityOrigin: 'app://duet', isMainFrame: true })).toBe(true)
    expect(check(null, 'display-capture', 'https://evil.example', { isMainFrame: false })).toBe(false)
  })
})
