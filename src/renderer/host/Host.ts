import type { ParsedInvite } from '../../shared/invite'
import type { Settings, SettingsPatch } from '../../shared/settings'
import type {
  MediaPermissionKind,
  MediaPermissions,
  ScreenPickerAnswer,
  ScreenPickerRequest,
  ScreenSource,
} from '../../shared/screen-share'

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

  // ---- screen sharing (desktop runs Duet's own picker; browsers use their own) ----
  /**
   * Desktop: getDisplayMedia() in the page makes main ask for Duet's picker.
   * Web: never fires (the browser shows its picker).
   */
  onScreenPickerRequest(listener: (request: ScreenPickerRequest) => void): () => void
  /** The user's choice for a picker request (null = cancelled). */
  answerScreenPicker(answer: ScreenPickerAnswer): Promise<void>
  /** Fresh thumbnails for an open picker, so they stay live. */
  refreshScreenSources(requestId: string): Promise<ScreenSource[]>
  /** Desktop: the always-on-top "You are sharing — Stop" bar, left out of the capture. */
  setSharingBar(visible: boolean): Promise<void>
  /** The sharing bar's Stop was pressed. */
  onStopSharingRequest(listener: () => void): () => void

  // ---- operating-system permissions ----
  mediaPermissions(): Promise<MediaPermissions>
  /** Opens the OS settings page where the user can allow Duet to use this. */
  openPermissionSettings(kind: MediaPermissionKind): Promise<void>
}
