import type { DuetBridge } from '../../shared/ipc'
import type { ParsedInvite } from '../../shared/lesson/invite'
import { LIBRARY_URL_PREFIX } from '../../shared/recording/ipcSchemas'
import type { AiSettingsApi, AppApi, Host, LibraryApi, NotificationsApi, PermissionsApi, PolicyApi, RecordingApi, ScreenApi, SettingsApi, UpdatesApi } from './Host'

/** Host for the desktop app: everything goes through the preload's `window.duet`, group by group. */
export class ElectronHost implements Host {
  readonly kind = 'electron' as const

  constructor(private readonly bridge: DuetBridge) {}

  readonly app: AppApi = {
    version: () => this.bridge.appVersion,
    lessonServer: () => this.bridge.app.ensureLessonServer(),
    onInvite: (listener) => subscribeInvites(this.bridge, listener),
    setLessonActive: (active) => this.bridge.app.setLessonActive(active),
  }

  readonly settings: SettingsApi = {
    get: () => this.bridge.settings.get(),
    update: (patch) => this.bridge.settings.update(patch),
    onChange: (listener) => this.bridge.on('settings:changed', listener),
  }

  // Screen sharing: main keeps getDisplayMedia() waiting until the picker answers.
  readonly screen: ScreenApi = {
    onPickerRequest: (listener) => this.bridge.on('screenPicker:request', listener),
    answerPicker: (answer) => this.bridge.screen.answerPicker(answer),
    refreshSources: (requestId) => this.bridge.screen.refreshSources(requestId),
    setSharingBar: (visible) => this.bridge.screen.setSharingBar(visible),
    // The event carries an empty object; the listener takes nothing.
    onStopRequest: (listener) => this.bridge.on('sharing:stopRequested', () => listener()),
  }

  readonly permissions: PermissionsApi = {
    get: () => this.bridge.permissions.get(),
    openSettings: (kind) => this.bridge.permissions.openSettings(kind),
  }

  // Recording and the lesson library: main writes to userData/library.
  readonly recording: RecordingApi = {
    storage: 'local',
    open: (request) => this.bridge.recording.open(request),
    write: (recordingId, seq, data) => this.bridge.recording.write({ recordingId, seq, data }),
    thumbnail: (recordingId, jpeg) => this.bridge.recording.thumbnail({ recordingId, data: jpeg }),
    close: (recordingId) => this.bridge.recording.close(recordingId),
  }

  readonly library: LibraryApi = {
    saveMeta: (meta) => this.bridge.library.saveMeta(meta),
    addMarker: (lessonId, marker) => this.bridge.library.addMarker({ lessonId, marker }),
    addFile: (lessonId, name, data, label) => this.bridge.library.addFile({ lessonId, name, data, ...(label ? { label } : {}) }),
    list: () => this.bridge.library.list(),
    rename: (lessonId, title) => this.bridge.library.rename({ lessonId, title }),
    delete: (id) => this.bridge.library.delete(id),
    reveal: (id) => this.bridge.library.reveal(id),
    export: (id, file, format) => this.bridge.library.export({ id, file, format }),
    fileUrl: (id, file) => `app://duet${LIBRARY_URL_PREFIX}${encodeURIComponent(id)}/${encodeURIComponent(file)}`,
  }

  readonly aiSettings: AiSettingsApi = {
    get: () => this.bridge.aiSettings.get(),
    update: (patch) => this.bridge.aiSettings.update(patch),
    testConnection: (request) => this.bridge.aiSettings.testConnection(request),
  }

  readonly policy: PolicyApi = {
    get: () => this.bridge.policy.get(),
    onChange: (listener) => this.bridge.on('policy:changed', listener),
  }

  readonly updates: UpdatesApi = {
    status: () => this.bridge.updates.status(),
    check: () => this.bridge.updates.check(),
    download: () => this.bridge.updates.download(),
    install: () => this.bridge.updates.install(),
    onStatus: (listener) => this.bridge.on('update:status', listener),
  }

  // Main shows it only while the window is not focused.
  readonly notifications: NotificationsApi = {
    show: (request) => this.bridge.notifications.show(request),
  }
}

/**
 * Subscribes first, then tells main the renderer is ready, so no invite falls
 * between the queue being drained and live events starting.
 */
function subscribeInvites(bridge: DuetBridge, listener: (invite: ParsedInvite) => void): () => void {
  let active = true
  const off = bridge.on('invite', listener)
  bridge.app.inviteReady().then(
    (queued) => {
      for (const invite of queued) if (active) listener(invite)
    },
    (error: unknown) => console.error('[duet] could not fetch queued invites', error),
  )
  return () => {
    active = false
    off()
  }
}
