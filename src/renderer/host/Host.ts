import type { ParsedInvite } from '../../shared/invite'
import type { Settings, SettingsPatch } from '../../shared/settings'

/** Where the session server that this app talks to lives. */
export interface LessonServerInfo {
  /** Origin this app uses itself, e.g. http://127.0.0.1:47300 */
  url: string
  /** Addresses a student on the same network can use (desktop-hosted server). */
  lanUrls: string[]
}

/**
 * Everything the renderer needs from whatever runs it. ElectronHost talks to
 * the main process through `window.duet`; WebHost uses browser APIs. Nothing
 * else in the renderer knows which one it is on.
 */
export interface Host {
  readonly kind: 'electron' | 'web'
  getSettings(): Promise<Settings>
  updateSettings(patch: SettingsPatch): Promise<Settings>
  /**
   * The session server to create lessons on. Desktop: starts the embedded
   * server on first use (or returns the policy/settings server). Web: the
   * origin the page was served from.
   */
  lessonServer(): Promise<LessonServerInfo>
  /** Invites that arrive from outside (duet:// deep links, second instance). */
  onInvite(listener: (invite: ParsedInvite) => void): () => void
  /** Keep the display awake during a lesson (no-op where unsupported). */
  setLessonActive(active: boolean): Promise<void>
  appVersion(): string
}
