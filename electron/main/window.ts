/** The part of BrowserWindow needed to bring the app to the front. */
export interface FocusableWindow {
  isDestroyed(): boolean
  isMinimized(): boolean
  restore(): void
  show(): void
  focus(): void
}

/** Restores, shows and focuses a window (second launch, deep link). */
export function bringToFront(win: FocusableWindow | null | undefined): void {
  if (!win || win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}
