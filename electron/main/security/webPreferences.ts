import type { WebPreferences } from 'electron'
import { APP_VERSION_ARG } from '../../../src/shared/ipc'

/** Locked-down preferences for every app window; `extraArguments` reach the preload's process.argv. */
export function secureWebPreferences(preloadPath: string, appVersion: string, extraArguments: string[] = []): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // Sandboxed preloads can read process.argv: the version reaches window.duet synchronously.
    additionalArguments: [`${APP_VERSION_ARG}${appVersion}`, ...extraArguments],
  }
}
