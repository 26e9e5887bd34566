import { BrowserWindow } from 'electron'
import { SHARING_BAR_ROLE_ARG } from '../../../src/shared/ipc'
import { secureWebPreferences } from '../security/webPreferences'
import type { BarWindow, BarWindowOptions } from '../services/SharingBarService'

/**
 * The real BrowserWindow behind SharingBarService (the service is tested with
 * a fake). Same locked-down preferences as the main window; the role flag makes
 * the shared preload wire the Stop button instead of exposing window.duet.
 */
export function createBarWindow(options: BarWindowOptions, preloadPath: string, appVersion: string): BarWindow {
  const win = new BrowserWindow({
    ...options,
    webPreferences: { ...secureWebPreferences(preloadPath, appVersion, [SHARING_BAR_ROLE_ARG]), backgroundThrottling: false },
  })
  return {
    webContentsId: win.webContents.id,
    setContentProtection: (enable) => win.setContentProtection(enable),
    setAlwaysOnTop: (flag, level) => win.setAlwaysOnTop(flag, level),
    setVisibleOnAllWorkspaces: (visible, opts) => win.setVisibleOnAllWorkspaces(visible, opts),
    loadURL: (url) => win.loadURL(url),
    showInactive: () => win.showInactive(),
    close: () => win.close(),
    isDestroyed: () => win.isDestroyed(),
    getMediaSourceId: () => win.getMediaSourceId(),
    onClosed: (listener) => void win.on('closed', listener),
  }
}
