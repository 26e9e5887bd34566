import type { DuetBridge } from '../../shared/ipc'
import type { ParsedInvite } from '../../shared/lesson/invite'
import type {
  MediaPermissionKind,
  MediaPermissions,
  ScreenPickerAnswer,
  ScreenPickerRequest,
  ScreenSource,
} from '../../shared/screenShare'
import type { Settings, SettingsPatch } from '../../shared/settings'
import type { RecordingCloseResult, RecordingOpenRequest, RecordingOpenResult, RecordingWriteResult } from '../../shared/recording/io'
import { LIBRARY_URL_PREFIX } from '../../shared/recording/ipcSchemas'
import type { LessonExtraFile, LessonMarker, LessonMeta, LibraryEntry } from '../../shared/recording/library'
import type { DesktopAiSettingsApi, Host, LessonServerInfo } from './Host'

/** Host for the desktop app: everything goes through the preload's `window.duet`. */
export class ElectronHost implements Host {
  readonly kind = 'electron' as const

  constructor(private readonly bridge: DuetBridge) {}

  readonly aiSettings: DesktopAiSettingsApi = {
    get: () => this.bridge.getAiSettings(),
    update: (patch) => this.bridge.updateAiSettings(patch),
    testConnection: (request) => this.bridge.testAiConnection(request),
  }

  getSettings(): Promise<Settings> {
    return this.bridge.getSettings()
  }

  updateSettings(patch: SettingsPatch): Promise<Settings> {
    return this.bridge.updateSettings(patch)
  }

  lessonServer(): Promise<LessonServerInfo> {
    return this.bridge.ensureLessonServer()
  }

  /**
   * Subscribes first, then tells main the renderer is ready, so no invite falls
   * between the queue being drained and live events starting.
   */
  onInvite(listener: (invite: ParsedInvite) => void): () => void {
    let active = true
    const off = this.bridge.on('invite', listener)
    this.bridge.inviteReady().then(
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

  setLessonActive(active: boolean): Promise<void> {
    return this.bridge.setLessonActive(active)
  }

  appVersion(): string {
    return this.bridge.appVersion
  }

  // ---- screen sharing: main keeps getDisplayMedia() waiting until the picker answers ----

  onScreenPickerRequest(listener: (request: ScreenPickerRequest) => void): () => void {
    return this.bridge.on('screenPicker:request', listener)
  }

  answerScreenPicker(answer: ScreenPickerAnswer): Promise<void> {
    return this.bridge.answerScreenPicker(answer)
  }

  refreshScreenSources(requestId: string): Promise<ScreenSource[]> {
    return this.bridge.refreshScreenSources(requestId)
  }

  setSharingBar(visible: boolean): Promise<void> {
    return this.bridge.setSharingBar(visible)
  }

  onStopSharingRequest(listener: () => void): () => void {
    // The event carries an empty object; the listener takes nothing.
    return this.bridge.on('sharing:stopRequested', () => listener())
  }

  // ---- operating-system permissions ----

  mediaPermissions(): Promise<MediaPermissions> {
    return this.bridge.getMediaPermissions()
  }

  openPermissionSettings(kind: MediaPermissionKind): Promise<void> {
    return this.bridge.openPermissionSettings(kind)
  }

  // ---- recording and the lesson library: main writes to userData/library ----

  readonly recordingStorage = 'local' as const

  recordingOpen(request: RecordingOpenRequest): Promise<RecordingOpenResult> {
    return this.bridge.recordingOpen(request)
  }

  recordingWrite(recordingId: string, seq: number, data: Uint8Array): Promise<RecordingWriteResult> {
    return this.bridge.recordingWrite({ recordingId, seq, data })
  }

  recordingThumbnail(recordingId: string, jpeg: Uint8Array): Promise<void> {
    return this.bridge.recordingThumbnail({ recordingId, data: jpeg })
  }

  recordingClose(recordingId: string): Promise<RecordingCloseResult | null> {
    return this.bridge.recordingClose(recordingId)
  }

  librarySaveMeta(meta: LessonMeta): Promise<void> {
    return this.bridge.librarySaveMeta(meta)
  }

  libraryAddMarker(lessonId: string, marker: LessonMarker): Promise<void> {
    return this.bridge.libraryAddMarker({ lessonId, marker })
  }

  libraryAddFile(lessonId: string, name: LessonExtraFile, data: Uint8Array): Promise<void> {
    return this.bridge.libraryAddFile({ lessonId, name, data })
  }

  libraryList(): Promise<LibraryEntry[]> {
    return this.bridge.libraryList()
  }

  libraryRename(lessonId: string, title: string): Promise<void> {
    return this.bridge.libraryRename({ lessonId, title })
  }

  libraryDelete(id: string): Promise<void> {
    return this.bridge.libraryDelete(id)
  }

  libraryReveal(id: string): Promise<void> {
    return this.bridge.libraryReveal(id)
  }

  libraryExport(id: string, file: string, format: 'original' | 'mp4'): Promise<boolean> {
    return this.bridge.libraryExport({ id, file, format })
  }

  libraryFileUrl(id: string, file: string): string {
    return `app://duet${LIBRARY_URL_PREFIX}${encodeURIComponent(id)}/${encodeURIComponent(file)}`
  }

  /** Opens an http(s) link in the system browser. */
  openExternal(url: string): Promise<void> {
    return this.bridge.openExternal(url)
  }
}
