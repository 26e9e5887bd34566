import type { DuetBridge } from '../../shared/ipc'
import type { ParsedInvite } from '../../shared/lesson/invite'
import { LIBRARY_URL_PREFIX } from '../../shared/recording/ipcSchemas'
import type { AiSettingsApi, AppApi, Host, LibraryApi, PermissionsApi, PolicyApi, RecordingApi, ScreenApi, SettingsApi, UpdatesApi } from './Host'

/** Host for the desktop app: everything goes through the preload's `window.duet`, group by group. */
export class ElectronHost implements Host {
  readonly kind = 'electron' as const
  readonly app: AppApi
  readonly settings: SettingsApi
  readonly screen: ScreenApi
  readonly permissions: PermissionsApi
  readonly recording: RecordingApi
  readonly library: LibraryApi
  readonly aiSettings: AiSettingsApi
  readonly policy: PolicyApi
  readonly updates: UpdatesApi

  constructor(bridge: DuetBridge) {
    this.app = {
      version: () => bridge.appVersion,
      lessonServer: () => bridge.app.ensureLessonServer(),
      onInvite: (listener) => subscribeInvites(bridge, listener),
      setLessonActive: (active) => bridge.app.setLessonActive(active),
    }
    this.settings = {
      get: () => bridge.settings.get(),
      update: (patch) => bridge.settings.update(patch),
      onChange: (listener) => bridge.on('settings:changed', listener),
    }
    // Screen sharing: main keeps getDisplayMedia() waiting until the picker answers.
    this.screen = {
      onPickerRequest: (listener) => bridge.on('screenPicker:request', listener),
      answerPicker: (answer) => bridge.screen.answerPicker(answer),
      refreshSources: (requestId) => bridge.screen.refreshSources(requestId),
      setSharingBar: (visible) => bridge.screen.setSharingBar(visible),
      // The event carries an empty object; the listener takes nothing.
      onStopRequest: (listener) => bridge.on('sharing:stopRequested', () => listener()),
    }
    this.permissions = bridge.permissions
    // Recording and the lesson library: main writes to userData/library.
    this.recording = {
      storage: 'local',
      open: (request) => bridge.recording.open(request),
      write: (recordingId, seq, data) => bridge.recording.write({ recordingId, seq, data }),
      thumbnail: (recordingId, jpeg) => bridge.recording.thumbnail({ recordingId, data: jpeg }),
      close: (recordingId) => bridge.recording.close(recordingId),
    }
    this.library = {
      saveMeta: (meta) => bridge.library.saveMeta(meta),
      addMarker: (lessonId, marker) => bridge.library.addMarker({ lessonId, marker }),
      addFile: (lessonId, name, data) => bridge.library.addFile({ lessonId, name, data }),
      list: () => bridge.library.list(),
      rename: (lessonId, title) => bridge.library.rename({ lessonId, title }),
      delete: (id) => bridge.library.delete(id),
      reveal: (id) => bridge.library.reveal(id),
      export: (id, file, format) => bridge.library.export({ id, file, format }),
      fileUrl: (id, file) => `app://duet${LIBRARY_URL_PREFIX}${encodeURIComponent(id)}/${encodeURIComponent(file)}`,
    }
    this.aiSettings = bridge.aiSettings
    this.policy = {
      get: () => bridge.policy.get(),
      onChange: (listener) => bridge.on('policy:changed', listener),
    }
    this.updates = {
      status: () => bridge.updates.status(),
      check: () => bridge.updates.check(),
      download: () => bridge.updates.download(),
      install: () => bridge.updates.install(),
      onStatus: (listener) => bridge.on('update:status', listener),
    }
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
