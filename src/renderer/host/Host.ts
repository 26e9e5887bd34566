import type { AiConnectionTestRequest, AiConnectionTestResult, DesktopAiSettings, DesktopAiSettingsPatch } from '../../shared/ai/desktopSettings'
import type { ParsedInvite } from '../../shared/lesson/invite'
import type { NotificationRequest } from '../../shared/notifications'
import type { PolicyView } from '../../shared/policy/view'
import type { UpdateStatus } from '../../shared/update'
import type { Settings, SettingsPatch } from '../../shared/settings'
import type { RecordingCloseResult, RecordingOpenRequest, RecordingOpenResult, RecordingWriteResult } from '../../shared/recording/io'
import type { LessonExtraFile, LessonMarker, LessonMeta, LibraryEntry } from '../../shared/recording/library'
import type {
  MediaPermissionKind,
  MediaPermissions,
  ScreenPickerAnswer,
  ScreenPickerRequest,
  ScreenSource,
} from '../../shared/screenShare'

/** Where the session server that this app talks to lives. */
export interface LessonServerInfo {
  /** Origin this app uses itself, e.g. http://127.0.0.1:47300 */
  url: string
  /** Addresses a student on the same network can use (desktop-hosted server, once students on the network may join). */
  lanUrls: string[]
  /** This app hosts the server (the desktop app's own); false for a school server or the page's origin. */
  hosted: boolean
  /** Desktop-hosted server: the key that lets this app (and nothing else) start lessons on it. */
  tutorKey?: string
}

/** The app around the page: its version, the server it talks to, invites from outside, the display during a lesson. */
export interface AppApi {
  version(): string
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
}

/** The user's settings, kept by the host (desktop: main's settings file; web: localStorage). */
export interface SettingsApi {
  get(): Promise<Settings>
  /** Rejects for a setting the school's policy locks (desktop). */
  update(patch: SettingsPatch): Promise<Settings>
  /** The settings in effect changed without the window asking (a school policy changed). */
  onChange(listener: (settings: Settings) => void): () => void
}

/** The school's managed policy: what it locks, who to ask, what it turns off. Browsers have none. */
export interface PolicyApi {
  get(): Promise<PolicyView>
  /** An admin changed the policy (applied without a restart). */
  onChange(listener: (policy: PolicyView) => void): () => void
}

/** The desktop app's self-update (main runs electron-updater). */
export interface UpdatesApi {
  status(): Promise<UpdateStatus>
  check(): Promise<UpdateStatus>
  /** Manual mode: download the version found. */
  download(): Promise<UpdateStatus>
  /** "Restart to update"; main refuses during a lesson or outside the school's install window. */
  install(): Promise<void>
  onStatus(listener: (status: UpdateStatus) => void): () => void
}

/** Screen sharing: the desktop runs Duet's own picker and sharing bar; browsers use their own. */
export interface ScreenApi {
  /**
   * Desktop: getDisplayMedia() in the page makes main ask for Duet's picker.
   * Web: never fires (the browser shows its picker).
   */
  onPickerRequest(listener: (request: ScreenPickerRequest) => void): () => void
  /** The user's choice for a picker request (null = cancelled). */
  answerPicker(answer: ScreenPickerAnswer): Promise<void>
  /** Fresh thumbnails for an open picker, so they stay live. */
  refreshSources(requestId: string): Promise<ScreenSource[]>
  /** Desktop: the always-on-top "You are sharing — Stop" bar, left out of the capture. */
  setSharingBar(visible: boolean): Promise<void>
  /** The sharing bar's Stop was pressed. */
  onStopRequest(listener: () => void): () => void
}

/** Operating-system permissions for camera, microphone and screen. */
export interface PermissionsApi {
  get(): Promise<MediaPermissions>
  /** Opens the OS settings page where the user can allow Duet to use this. */
  openSettings(kind: MediaPermissionKind): Promise<void>
}

/**
 * Writing recordings. 'local': the desktop app writes them into its own
 * lesson library. 'server': a browser uploads them to the session server
 * (src/renderer/recording/serverSink.ts); the methods here refuse.
 */
export interface RecordingApi {
  readonly storage: 'local' | 'server'
  open(request: RecordingOpenRequest): Promise<RecordingOpenResult>
  /** Appends chunk `seq`; resolves once it is on disk (fsynced). */
  write(recordingId: string, seq: number, data: Uint8Array): Promise<RecordingWriteResult>
  thumbnail(recordingId: string, jpeg: Uint8Array): Promise<void>
  /** Stops and finalizes (duration, cues); null if it was not open. */
  close(recordingId: string): Promise<RecordingCloseResult | null>
}

/** The desktop app's lesson library (a browser has none: its records live on the session server). */
export interface LibraryApi {
  /** Date, people, duration: every lesson leaves a record. */
  saveMeta(meta: LessonMeta): Promise<void>
  addMarker(lessonId: string, marker: LessonMarker): Promise<void>
  /** Whiteboard PDF, AI conversation, chat and its files (`label`: the name a chat file's sender gave it): other features add their files to the lesson record. */
  addFile(lessonId: string, name: LessonExtraFile, data: Uint8Array, label?: string): Promise<void>
  list(): Promise<LibraryEntry[]>
  rename(lessonId: string, title: string): Promise<void>
  delete(id: string): Promise<void>
  reveal(id: string): Promise<void>
  /** Save-as (a copy, or MP4 for a recording); false when cancelled. */
  export(id: string, file: string, format: 'original' | 'mp4'): Promise<boolean>
  /** URL a <video> or <img> in the page can load (app://duet/_library/… on desktop). */
  fileUrl(id: string, file: string): string
}

/** The desktop app's AI provider settings for its embedded server (main keeps the key; it never comes back). */
export interface AiSettingsApi {
  get(): Promise<DesktopAiSettings>
  update(patch: DesktopAiSettingsPatch): Promise<DesktopAiSettings>
  testConnection(request: AiConnectionTestRequest): Promise<AiConnectionTestResult>
}

/** Operating-system notifications, for what arrives while Duet is in the background. */
export interface NotificationsApi {
  /**
   * Shows a notification unless the person is looking at Duet (desktop: the
   * window is focused; browser: the page is visible or notifications are not
   * allowed). True when one was shown.
   */
  show(request: NotificationRequest): Promise<boolean>
}

/**
 * Everything the renderer needs from whatever runs it, grouped by capability.
 * ElectronHost talks to the main process through `window.duet` (grouped the
 * same way); WebHost uses browser APIs. Nothing else in the renderer knows
 * which one it is on.
 */
export interface Host {
  readonly kind: 'electron' | 'web'
  readonly app: AppApi
  readonly settings: SettingsApi
  readonly screen: ScreenApi
  readonly permissions: PermissionsApi
  readonly recording: RecordingApi
  readonly library: LibraryApi
  readonly policy: PolicyApi
  /** Desktop only: the embedded server's AI provider. Browsers have none (the server's admin sets it). */
  readonly aiSettings?: AiSettingsApi
  /** Desktop only: updates. A browser always runs the server's current web client. */
  readonly updates?: UpdatesApi
  readonly notifications: NotificationsApi
}
