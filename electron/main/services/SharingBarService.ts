import type { Logger } from '../../../src/shared/logger'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** BrowserWindow options the bar is created with (a subset of BrowserWindowConstructorOptions). */
export interface BarWindowOptions extends Rect {
  frame: false
  resizable: false
  minimizable: false
  maximizable: false
  fullscreenable: false
  movable: true
  alwaysOnTop: true
  skipTaskbar: true
  focusable: boolean
  show: false
  title: string
  backgroundColor: string
}

/** The slice of BrowserWindow the service drives. */
export interface BarWindow {
  readonly webContentsId: number
  setContentProtection(enable: boolean): void
  setAlwaysOnTop(flag: boolean, level: 'screen-saver'): void
  setVisibleOnAllWorkspaces(visible: boolean, options: { visibleOnFullScreen: boolean }): void
  loadURL(url: string): Promise<void>
  showInactive(): void
  close(): void
  isDestroyed(): boolean
  getMediaSourceId(): string
  onClosed(listener: () => void): void
}

export interface SharingBarDeps {
  createWindow(options: BarWindowOptions): BarWindow
  /** Work area of the primary display (screen.getPrimaryDisplay().workArea). */
  primaryWorkArea(): Rect
  /** The bar page for the current app locale. */
  pageUrl(): string
  backgroundColor: string
  /** Emits `sharing:stopRequested` to the main window. */
  requestStop(): boolean
  platform: NodeJS.Platform
  logger: Logger
}

export const BAR_SIZE = { width: 380, height: 48 }
const TOP_MARGIN = 8

/**
 * The "You are sharing — Stop" bar: a small frameless window at the top centre
 * of the primary display, above everything, left out of screen captures so
 * the person sharing never shares their own controls.
 */
export class SharingBarService {
  private win: BarWindow | null = null

  constructor(private readonly deps: SharingBarDeps) {}

  get visible(): boolean {
    return this.win !== null && !this.win.isDestroyed()
  }

  setVisible(visible: boolean): void {
    if (visible) this.show()
    else this.hide()
  }

  /** The bar's media source id, so the picker can leave it out; null when not shown. */
  mediaSourceId(): string | null {
    return this.visible ? (this.win?.getMediaSourceId() ?? null) : null
  }

  /** The bar's Stop button. Only the bar's own web contents may press it. */
  handleStop(senderWebContentsId: number): void {
    if (!this.win || this.win.isDestroyed() || senderWebContentsId !== this.win.webContentsId) {
      this.deps.logger.warn('sharing bar: ignored a stop from web contents', senderWebContentsId)
      return
    }
    if (!this.deps.requestStop()) this.deps.logger.warn('sharing bar: no main window to tell about the stop')
    this.hide()
  }

  /** The main window's page went away: whatever it was sharing has stopped. */
  rendererGone(): void {
    this.hide()
  }

  dispose(): void {
    this.hide()
  }

  private show(): void {
    if (this.visible) return
    const area = this.deps.primaryWorkArea()
    const { width, height } = BAR_SIZE
    const win = this.deps.createWindow({
      x: Math.round(area.x + (area.width - width) / 2),
      y: area.y + TOP_MARGIN,
      width,
      height,
      frame: false,
      resizable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      movable: true,
      alwaysOnTop: true,
      skipTaskbar: true,
      // Windows/Linux: clicking Stop must not pull focus from what is being presented.
      // macOS: a non-focusable window may swallow the first click, so it stays focusable.
      focusable: this.deps.platform === 'darwin',
      show: false,
      title: 'Duet',
      backgroundColor: this.deps.backgroundColor,
    })
    this.win = win
    win.onClosed(() => {
      if (this.win === win) this.win = null
    })
    // Excluded from capture (Windows 10 2004+, macOS); a no-op on Linux.
    win.setContentProtection(true)
    // Above full-screen presentations too.
    win.setAlwaysOnTop(true, 'screen-saver')
    if (this.deps.platform === 'darwin') win.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true })
    win.loadURL(this.deps.pageUrl()).then(
      () => {
        if (this.win === win && !win.isDestroyed()) win.showInactive()
      },
      (error: unknown) => this.deps.logger.error('sharing bar: page failed to load:', error),
    )
  }

  private hide(): void {
    const win = this.win
    this.win = null
    if (win && !win.isDestroyed()) win.close()
  }
}
