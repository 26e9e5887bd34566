import type { Logger } from '../../../src/shared/logger'
import { safeExternalUrl, type AppUrlCheck } from '../appOrigin'

interface Preventable {
  preventDefault(): void
}

/** What Electron passes to 'will-frame-navigate' (the fields used). */
export interface FrameNavigation extends Preventable {
  url: string
  isMainFrame: boolean
}

/** The slice of Electron's WebContents the guard touches (fakeable in tests). */
export interface GuardedContents {
  on(event: 'will-navigate', listener: (event: Preventable, url: string) => void): unknown
  on(event: 'will-frame-navigate', listener: (details: FrameNavigation) => void): unknown
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

export interface GuardDeps {
  isAppUrl: AppUrlCheck
  /** shell.openExternal; only ever called with a validated http(s) URL. */
  openExternal(url: string): Promise<void> | void
  logger: Logger
}

/** Where a frame may sit without loading anything (a fresh iframe starts at about:blank). */
const INERT_FRAME_URLS = new Set(['about:blank', 'about:srcdoc'])

/**
 * Locks a web contents to the app: no navigation away from the app origin,
 * in the page or in any frame inside it, no new windows, no <webview>. Web
 * links the page follows go to the system browser instead; a frame that
 * tries to load something else is just stopped (nothing the user clicked).
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
  // 'will-navigate' covers the page itself; frames inside it only raise this one.
  contents.on('will-frame-navigate', (details) => {
    if (details.isMainFrame || deps.isAppUrl(details.url) || INERT_FRAME_URLS.has(details.url)) return
    details.preventDefault()
    deps.logger.warn('blocked a frame navigating to', details.url.slice(0, 200))
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
