import { describe, expect, it, vi } from 'vitest'
import {
  BAR_SIZE,
  SharingBarService,
  type BarWindow,
  type BarWindowOptions,
  type SharingBarDeps,
} from '../../../../../electron/main/services/SharingBarService'
import { barLocale, renderSharingBarPage, SHARING_BAR_PATH, sharingBarUrl } from '../../../../../electron/main/sharingBar/page'
import { isSharingBar, wireSharingBar } from '../../../../../electron/preload/sharingBar'
import { SHARING_BAR_ROLE_ARG } from '../../../../../src/shared/ipc'
import { fakeLogger } from '../../fakes'

function fakeWindow(id: number) {
  let destroyed = false
  const closedListeners: Array<() => void> = []
  const win = {
    webContentsId: id,
    setContentProtection: vi.fn(),
    setAlwaysOnTop: vi.fn(),
    setVisibleOnAllWorkspaces: vi.fn(),
    loadURL: vi.fn(async (_url: string) => {}),
    showInactive: vi.fn(),
    close: vi.fn(() => {
      destroyed = true
      for (const l of closedListeners) l()
    }),
    isDestroyed: () => destroyed,
    getMediaSourceId: () => `window:${id}00:0`,
    onClosed: (listener: () => void) => void closedListeners.push(listener),
  } satisfies BarWindow
  return win
}

function setup(overrides: Partial<SharingBarDeps> = {}) {
  const windows: ReturnType<typeof fakeWindow>[] = []
  const options: BarWindowOptions[] = []
  const requestStop = vi.fn(() => true)
  const deps: SharingBarDeps = {
    createWindow: (o) => {
      options.push(o)
      const w = fakeWindow(40 + windows.length)
      windows.push(w)
      return w
    },
    primaryWorkArea: () => ({ x: 0, y: 25, width: 1440, height: 875 }),
    pageUrl: () => 'app://duet/_duet/sharing-bar.html?lang=en',
    backgroundColor: '#1f2430',
    requestStop,
    platform: 'win32',
    logger: fakeLogger(),
    ...overrides,
  }
  return { bar: new SharingBarService(deps), windows, options, requestStop, deps }
}

describe('SharingBarService', () => {
  it('shows a small frameless always-on-top bar at the top centre, excluded from capture', async () => {
    const { bar, windows, options } = setup()
    bar.setVisible(true)
    expect(options[0]).toMatchObject({
      x: Math.round((1440 - BAR_SIZE.width) / 2),
      y: 25 + 8,
      width: BAR_SIZE.width,
      height: BAR_SIZE.height,
      frame: false,
      resizable: false,
      alwaysOnTop: true,
      skipTaskbar: true,
      focusable: false,
      show: false,
    })
    const win = windows[0]!
    expect(win.setContentProtection).toHaveBeenCalledWith(true)
    expect(win.setAlwaysOnTop).toHaveBeenCalledWith(true, 'screen-saver')
    expect(win.loadURL).toHaveBeenCalledWith('app://duet/_duet/sharing-bar.html?lang=en')
    await vi.waitFor(() => expect(win.showInactive).toHaveBeenCalled())
    expect(bar.visible).toBe(true)
    expect(bar.mediaSourceId()).toBe('window:4000:0')
  })

  it('stays focusable on macOS and follows the user across Spaces and full-screen apps', () => {
    const { bar, windows, options } = setup({ platform: 'darwin' })
    bar.setVisible(true)
    expect(options[0]?.focusable).toBe(true)
    expect(windows[0]?.setVisibleOnAllWorkspaces).toHaveBeenCalledWith(true, { visibleOnFullScreen: true })
    expect(windows[0]?.setContentProtection).toHaveBeenCalledWith(true)
  })

  it('is idempotent: one window at most, closed on hide', () => {
    const { bar, windows } = setup()
    bar.setVisible(true)
    bar.setVisible(true)
    expect(windows).toHaveLength(1)
    bar.setVisible(false)
    bar.setVisible(false)
    expect(windows[0]?.close).toHaveBeenCalledTimes(1)
    expect(bar.visible).toBe(false)
    expect(bar.mediaSourceId()).toBeNull()
    bar.setVisible(true)
    expect(windows).toHaveLength(2)
  })

  it('Stop from the bar tells the main window and hides the bar', () => {
    const { bar, windows, requestStop } = setup()
    bar.setVisible(true)
    bar.handleStop(windows[0]!.webContentsId)
    expect(requestStop).toHaveBeenCalledTimes(1)
    expect(windows[0]?.close).toHaveBeenCalled()
    expect(bar.visible).toBe(false)
  })

  it('ignores a stop from any other web contents, or when no bar is shown', () => {
    const { bar, windows, requestStop, deps } = setup()
    bar.handleStop(40)
    bar.setVisible(true)
    bar.handleStop(1) // e.g. the main window's id
    expect(requestStop).not.toHaveBeenCalled()
    expect(windows[0]?.close).not.toHaveBeenCalled()
    expect(deps.logger.warn).toHaveBeenCalledTimes(2)
  })

  it('hides when the main page goes away, and forgets a bar the OS closed', () => {
    const { bar, windows } = setup()
    bar.setVisible(true)
    bar.rendererGone()
    expect(bar.visible).toBe(false)
    bar.setVisible(true)
    windows[1]!.close()
    expect(bar.visible).toBe(false)
    bar.setVisible(true)
    expect(windows).toHaveLength(3)
  })

  it('does not show a bar that was hidden while its page loaded', async () => {
    const { bar, windows } = setup()
    bar.setVisible(true)
    bar.setVisible(false)
    await Promise.resolve()
    await Promise.resolve()
    expect(windows[0]?.showInactive).not.toHaveBeenCalled()
  })
})

describe('sharing bar page', () => {
  it('follows the chosen language, else the OS language', () => {
    expect(barLocale('zh-CN', 'en-US')).toBe('zh-CN')
    expect(barLocale('en', 'zh-CN')).toBe('en')
    expect(barLocale(null, 'zh-TW')).toBe('zh-CN')
    expect(barLocale(null, 'de-DE')).toBe('en')
  })

  it('renders the text in the app locale, with a Stop button and no script', () => {
    const zh = renderSharingBarPage(new URL(sharingBarUrl('zh-CN')))
    expect(zh).toContain('<html lang="zh-CN">')
    expect(zh).toContain('你正在共享屏幕')
    expect(zh).toContain('<button id="stop" type="button">停止共享</button>')
    const en = renderSharingBarPage(new URL(sharingBarUrl('en')))
    expect(en).toContain('You are sharing your screen')
    expect(en).toContain('>Stop sharing</button>')
    for (const page of [zh, en]) expect(page).not.toMatch(/<script|on\w+=/i)
  })

  it('falls back to English for an unknown lang and ignores other paths', () => {
    expect(renderSharingBarPage(new URL(`app://duet${SHARING_BAR_PATH}?lang=<script>`))).toContain('lang="en"')
    expect(renderSharingBarPage(new URL('app://duet/index.html'))).toBeNull()
  })
})

describe('sharing bar preload', () => {
  it('recognises the bar by its role flag only', () => {
    expect(isSharingBar(['electron', SHARING_BAR_ROLE_ARG])).toBe(true)
    expect(isSharingBar(['electron', '--duet-app-version=1.0.0'])).toBe(false)
  })

  it('sends stop once when the button is clicked', () => {
    let click: (() => void) | null = null
    const button = { disabled: false, addEventListener: (_type: 'click', l: () => void) => void (click = l) }
    const send = vi.fn()
    expect(wireSharingBar({ getElementById: (id) => (id === 'stop' ? button : null) }, send)).toBe(true)
    const press = click as unknown as () => void
    press()
    press()
    expect(send).toHaveBeenCalledTimes(1)
    expect(button.disabled).toBe(true)
  })

  it('does nothing on a page without the button', () => {
    const send = vi.fn()
    expect(wireSharingBar({ getElementById: () => null }, send)).toBe(false)
    expect(send).not.toHaveBeenCalled()
  })
})
