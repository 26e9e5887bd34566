import type { Logger } from '../../../src/shared/logger'
import { safeExternalUrl, type AppUrlCheck } from '../appOrigin'

interface Preventable {
  preventDefault(): void
}

/** The slice of Electron's WebContents the guard touches (fakeable in tests). */
export interface GuardedContents {
  on(event: 'will-navigate', listener: (event: Preventable, url: string) => void): unknown
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

export interface GuardDeps {
  isAppUrl: AppUrlCheck
  /** shell.openExternal; only ever called with a validated http(s) URL. */
  openExternal(url: string): Promise<void> | void
  logger: Logger
}

/**
 * Locks a web contents to the app: no navigation away from the app origin,
 * no new windows, no <webview>. Web links go to the system browser instead.
 */
export function guardWebContents(contents: GuardedContents, deps: GuardDeps): void {
  const openOutside = (url: string): void => {
    const safe = safeExternalUrl(url)
    if (!safe) {
      deps.logger.warn('blocked link with a non-web URL:', url.slice(0, 200))
      return
    }
    Promise.resolve(deps.openExternal(safe)).catch((error: unknown) => deps.logger.error('openExternal failed:', error))
  }

  contents.on('will-navigate', (event, url) => {
    if (deps.isAppUrl(url)) return
    event.preventDefault()
    openOutside(url)
  })
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    deps.logger.warn('blocked a <webview>')
  })
}
