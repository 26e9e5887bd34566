import type { AppApi, Host, LibraryApi, NotificationsApi, PermissionsApi, PolicyApi, RecordingApi, ScreenApi, SettingsApi } from './Host'
import { NotificationRequestSchema } from '../../shared/notifications'
import { EMPTY_POLICY_VIEW } from '../../shared/policy/view'
import type { MediaPermissions, MediaPermissionStatus } from '../../shared/screenShare'
import { sanitizeSettings, SettingsPatchSchema, type Settings } from '../../shared/settings'

const SETTINGS_KEY = 'duet.settings'

/** Host for the browser client: settings in localStorage, server = page origin. */
export class WebHost implements Host {
  readonly kind = 'web' as const

  constructor(
    private readonly storage: Storage = window.localStorage,
    private readonly origin: string = window.location.origin,
  ) {}

  /** A browser is not a managed install: the session server's admin decides on their server. */
  readonly policy: PolicyApi = { get: async () => EMPTY_POLICY_VIEW, onChange: () => () => {} }

  readonly app: AppApi = {
    version: () => import.meta.env.VITE_APP_VERSION ?? 'web',
    lessonServer: async () => ({ url: this.origin, lanUrls: [], hosted: false }),
    // Browsers receive invites as /join/<code> page loads, handled by the router.
    onInvite: () => () => {},
    setLessonActive: (active) => this.setLessonActive(active),
  }

  readonly settings: SettingsApi = {
    get: async () => this.read(),
    update: async (patch) => {
      const valid = SettingsPatchSchema.parse(patch)
      const next = sanitizeSettings({ ...this.read(), ...valid })
      try {
        this.storage.setItem(SETTINGS_KEY, JSON.stringify(next))
      } catch {
        // Private mode or full storage: keep working with the in-memory value.
      }
      return next
    },
    onChange: () => () => {},
  }

  // Browsers show their own screen picker and "you are sharing" bar.
  readonly screen: ScreenApi = {
    onPickerRequest: () => () => {},
    answerPicker: async () => {},
    refreshSources: async () => [],
    setSharingBar: async () => {},
    onStopRequest: () => () => {},
  }

  readonly permissions: PermissionsApi = {
    get: () => browserPermissions(),
    // A page cannot open browser or OS settings; the UI explains the steps instead.
    openSettings: async () => {},
  }

  // A browser has no library of its own; recordings and their records go to the session server.
  readonly recording: RecordingApi = {
    storage: 'server',
    open: noLocalLibrary,
    write: noLocalLibrary,
    thumbnail: noLocalLibrary,
    close: noLocalLibrary,
  }

  readonly library: LibraryApi = {
    // The server keeps the record of a browser-recorded lesson itself.
    saveMeta: async () => {},
    addMarker: noLocalLibrary,
    addFile: noLocalLibrary,
    list: async () => [],
    rename: noLocalLibrary,
    delete: noLocalLibrary,
    reveal: noLocalLibrary,
    export: noLocalLibrary,
    fileUrl: () => '',
  }

  /** The browser's own notifications, if this site was allowed them; never asked for out of the blue. */
  readonly notifications: NotificationsApi = {
    show: async (request) => {
      const valid = NotificationRequestSchema.parse(request)
      if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || document.visibilityState === 'visible') return false
      const notification = new Notification(valid.title, { body: valid.body, tag: valid.tag, silent: true })
      notification.onclick = () => window.focus()
      return true
    },
  }

  /** Keeps the screen on during a lesson (Screen Wake Lock API); the lock is dropped when the tab is hidden, so it is taken again on return. */
  private async setLessonActive(active: boolean): Promise<void> {
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

function noLocalLibrary(): Promise<never> {
  return Promise.reject(new Error('A browser keeps no local lesson library; recordings are uploaded to the session server'))
}

/** What the browser lets this page use; screen capture is asked for each time, so it is 'unknown'. */
async function browserPermissions(): Promise<MediaPermissions> {
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
