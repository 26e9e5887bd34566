import type { Host, LessonServerInfo } from './Host'
import type { ParsedInvite } from '../../shared/lesson/invite'
import type { MediaPermissions, MediaPermissionStatus, ScreenSource } from '../../shared/screenShare'
import { sanitizeSettings, SettingsPatchSchema, type Settings, type SettingsPatch } from '../../shared/settings'
import type { RecordingCloseResult, RecordingOpenResult, RecordingWriteResult } from '../../shared/recording/io'
import type { LibraryEntry } from '../../shared/recording/library'

const SETTINGS_KEY = 'duet.settings'

/** Host for the browser client: settings in localStorage, server = page origin. */
export class WebHost implements Host {
  readonly kind = 'web' as const

  constructor(
    private readonly storage: Storage = window.localStorage,
    private readonly origin: string = window.location.origin,
  ) {}

  async getSettings(): Promise<Settings> {
    return this.read()
  }

  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    const valid = SettingsPatchSchema.parse(patch)
    const next = sanitizeSettings({ ...this.read(), ...valid })
    try {
      this.storage.setItem(SETTINGS_KEY, JSON.stringify(next))
    } catch {
      // Private mode or full storage: keep working with the in-memory value.
    }
    return next
  }

  async lessonServer(): Promise<LessonServerInfo> {
    return { url: this.origin, lanUrls: [] }
  }

  onInvite(_listener: (invite: ParsedInvite) => void): () => void {
    // Browsers receive invites as /join/<code> page loads, handled by the router.
    return () => {}
  }

  /** Keeps the screen on during a lesson (Screen Wake Lock API); the lock is dropped when the tab is hidden, so it is taken again on return. */
  async setLessonActive(active: boolean): Promise<void> {
    this.wantWakeLock = active
    if (!active) {
      document.removeEventListener('visibilitychange', this.onVisible)
      await this.wakeLock?.release().catch(() => {})
      this.wakeLock = null
      return
    }
    document.addEventListener('visibilitychange', this.onVisible)
    await this.takeWakeLock()
  }

  private wantWakeLock = false
  private wakeLock: WakeLockSentinel | null = null
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') void this.takeWakeLock()
  }

  private async takeWakeLock(): Promise<void> {
    if (!this.wantWakeLock || !('wakeLock' in navigator) || (this.wakeLock && !this.wakeLock.released)) return
    try {
      this.wakeLock = await navigator.wakeLock.request('screen')
    } catch {
      // Refused (battery saver, insecure origin on a LAN address): the lesson goes on without it.
    }
  }

  // Browsers show their own screen picker and "you are sharing" bar.
  onScreenPickerRequest(): () => void {
    return () => {}
  }

  async answerScreenPicker(): Promise<void> {}

  async refreshScreenSources(): Promise<ScreenSource[]> {
    return []
  }

  async setSharingBar(): Promise<void> {}

  onStopSharingRequest(): () => void {
    return () => {}
  }

  /** What the browser lets this page use; screen capture is asked for each time, so it is 'unknown'. */
  async mediaPermissions(): Promise<MediaPermissions> {
    const query = async (name: 'camera' | 'microphone'): Promise<MediaPermissionStatus> => {
      try {
        const status = await navigator.permissions.query({ name: name as PermissionName })
        return status.state === 'prompt' ? 'not-determined' : status.state
      } catch {
        return 'unknown'
      }
    }
    return { camera: await query('camera'), microphone: await query('microphone'), screen: 'unknown', canOpenSettings: false }
  }

  /** A page cannot open browser or OS settings; the UI explains the steps instead. */
  async openPermissionSettings(): Promise<void> {}

  appVersion(): string {
    return import.meta.env.VITE_APP_VERSION ?? 'web'
  }

  // ---- recording: a browser has no library of its own; recordings go to the session server ----

  readonly recordingStorage = 'server' as const

  private noLocalLibrary(): Promise<never> {
    return Promise.reject(new Error('A browser keeps no local lesson library; recordings are uploaded to the session server'))
  }

  recordingOpen(): Promise<RecordingOpenResult> {
    return this.noLocalLibrary()
  }

  recordingWrite(): Promise<RecordingWriteResult> {
    return this.noLocalLibrary()
  }

  recordingThumbnail(): Promise<void> {
    return this.noLocalLibrary()
  }

  recordingClose(): Promise<RecordingCloseResult | null> {
    return this.noLocalLibrary()
  }

  /** The server keeps the record of a browser-recorded lesson itself. */
  async librarySaveMeta(): Promise<void> {}

  libraryAddMarker(): Promise<void> {
    return this.noLocalLibrary()
  }

  libraryAddFile(): Promise<void> {
    return this.noLocalLibrary()
  }

  async libraryList(): Promise<LibraryEntry[]> {
    return []
  }

  libraryRename(): Promise<void> {
    return this.noLocalLibrary()
  }

  libraryDelete(): Promise<void> {
    return this.noLocalLibrary()
  }

  libraryReveal(): Promise<void> {
    return this.noLocalLibrary()
  }

  libraryExport(): Promise<boolean> {
    return this.noLocalLibrary()
  }

  libraryFileUrl(): string {
    return ''
  }

  private read(): Settings {
    let raw: unknown = null
    try {
      raw = JSON.parse(this.storage.getItem(SETTINGS_KEY) ?? 'null')
    } catch {
      raw = null
    }
    return sanitizeSettings(raw)
  }
}
