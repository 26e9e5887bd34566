import { describe, expect, it, vi } from 'vitest'
import { appUrlChecker, safeExternalUrl } from '../../../../../electron/main/appOrigin'
import { guardWebContents, type GuardedContents } from '../../../../../electron/main/security/webContentsGuard'
import { secureWebPreferences } from '../../../../../electron/main/security/webPreferences'
import { DEV_ORIGIN, fakeLogger } from '../../fakes'

type Preventable = { preventDefault(): void }

function fakeContents() {
  const listeners: Record<string, (event: Preventable, url?: string) => void> = {}
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null
  const contents = {
    on: (event: string, listener: (event: Preventable, url?: string) => void) => {
      listeners[event] = listener
    },
    setWindowOpenHandler: (h: (details: { url: string }) => { action: 'deny' }) => {
      openHandler = h
    },
  }
  const event = () => ({ preventDefault: vi.fn() })
  return {
    contents: contents as unknown as GuardedContents,
    navigate(url: string) {
      const e = event()
      listeners['will-navigate']?.(e, url)
      return e.preventDefault.mock.calls.length > 0
    },
    navigateFrame(url: string, isMainFrame = false) {
      const e = { url, isMainFrame, preventDefault: vi.fn() }
      ;(listeners['will-frame-navigate'] as unknown as (d: typeof e) => void | undefined)?.(e)
      return e.preventDefault.mock.calls.length > 0
    },
    attachWebview() {
      const e = event()
      listeners['will-attach-webview']?.(e)
      return e.preventDefault.mock.calls.length > 0
    },
    openWindow: (url: string) => openHandler?.({ url }),
  }
}

function setup(devOrigin: string | null = null) {
  const fake = fakeContents()
  const openExternal = vi.fn(async (_url: string) => {})
  guardWebContents(fake.contents, { isAppUrl: appUrlChecker(devOrigin), openExternal, logger: fakeLogger() })
  return { ...fake, openExternal }
}

describe('guardWebContents', () => {
  it('lets the app navigate inside itself', () => {
    const { navigate, openExternal } = setup()
    expect(navigate('app://duet/index.html#/lesson')).toBe(false)
    expect(openExternal).not.toHaveBeenCalled()
  })

  it('blocks navigation elsewhere and sends web links to the system browser', () => {
    const { navigate, openExternal } = setup()
    expect(navigate('https://example.com/help')).toBe(true)
    expect(openExternal).toHaveBeenCalledWith('https://example.com/help')
    expect(navigate('file:///etc/passwd')).toBe(true)
    expect(navigate('app://evil/index.html')).toBe(true)
    expect(openExternal).toHaveBeenCalledTimes(1)
  })

  it('stops a frame inside the page from loading anything but the app (will-navigate only sees the page itself)', () => {
    const { navigateFrame, openExternal } = setup()
    expect(navigateFrame('https://evil.example/phish')).toBe(true)
    expect(navigateFrame('file:///etc/passwd')).toBe(true)
    expect(navigateFrame('javascript:alert(1)')).toBe(true)
    expect(navigateFrame('app://duet/index.html')).toBe(false)
    expect(navigateFrame('about:blank')).toBe(false)
    // The page's own navigation is will-navigate's job (which opens web links outside).
    expect(navigateFrame('https://example.com/', true)).toBe(false)
    expect(openExternal).not.toHaveBeenCalled()
  })

  it('allows the dev server only when it is the configured origin', () => {
    expect(setup(DEV_ORIGIN).navigate(`${DEV_ORIGIN}/#/`)).toBe(false)
    expect(setup().navigate(`${DEV_ORIGIN}/#/`)).toBe(true)
  })

  it('denies every new window, opening only http(s) links outside', () => {
    const { openWindow, openExternal } = setup()
    expect(openWindow('https://example.com/')).toEqual({ action: 'deny' })
    expect(openWindow('app://duet/index.html')).toEqual({ action: 'deny' })
    expect(openWindow('javascript:alert(1)')).toEqual({ action: 'deny' })
    expect(openExternal.mock.calls).toEqual([['https://example.com/']])
  })

  it('prevents <webview> from being attached', () => {
    expect(setup().attachWebview()).toBe(true)
  })
})

describe('app origin helpers', () => {
  it('recognises only app://duet and the dev origin', () => {
    const check = appUrlChecker(DEV_ORIGIN)
    expect(check('app://duet')).toBe(true)
    expect(check('app://duet/x/y')).toBe(true)
    expect(check('app://user:pw@duet/')).toBe(false)
    expect(check('app://duet.evil/')).toBe(false)
    expect(check('http://localhost:5173.evil.example/')).toBe(false)
    expect(check(undefined)).toBe(false)
    expect(appUrlChecker('file:///tmp')('file:///tmp/index.html')).toBe(false)
  })

  it('normalises external URLs and refuses non-web ones', () => {
    expect(safeExternalUrl('https://example.com')).toBe('https://example.com/')
    for (const bad of ['file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'ms-settings:', 'http://', 7, null]) {
      expect(safeExternalUrl(bad), String(bad)).toBeNull()
    }
  })
})

describe('secureWebPreferences', () => {
  it('turns every isolation switch on and passes the version to the preload', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs', '0.1.0')
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    })
    expect(prefs.additionalArguments).toEqual(['--duet-app-version=0.1.0'])
  })
})
