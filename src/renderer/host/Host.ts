import type { AiConnectionTestRequest, AiConnectionTestResult, DesktopAiSettings, DesktopAiSettingsPatch } from '../../shared/ai/desktopSettings'
import type { ParsedInvite } from '../../shared/lesson/invite'
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
  /** Addresses a student on the same network can use (desktop-hosted server). */
  lanUrls: string[]
  /** Desktop-hosted server: the key that lets this app (and nothing else) start lessons on it. */
  tutorKey?: string
}

/** The desktop app's AI provider settings for its embedded server (main keeps the key; it never comes back). */
export interface DesktopAiSettingsApi {
  get(): Promise<DesktopAiSettings>
  update(patch: DesktopAiSettingsPatch): Promise<DesktopAiSettings>
  testConnection(request: AiConnectionTestRequest): Promise<AiConnectionTestResult>
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

  // ---- recording and the lesson library ----
  /**
   * 'local': the desktop app writes recordings into its own lesson library
   * (the methods below). 'server': a browser uploads them to the session
   * server (src/renderer/recording/serverSink.ts); the methods below refuse.
   */
  readonly recordingStorage: 'local' | 'server'
  recordingOpen(request: RecordingOpenRequest): Promise<RecordingOpenResult>
  /** Appends chunk `seq`; resolves once it is on disk (fsynced). */
  recordingWrite(recordingId: string, seq: number, data: Uint8Array): Promise<RecordingWriteResult>
  recordingThumbnail(recordingId: string, jpeg: Uint8Array): Promise<void>
  /** Stops and finalizes (duration, cues); null if it was not open. */
  recordingClose(recordingId: string): Promise<RecordingCloseResult | null>
  /** Date, people, duration: every lesson leaves a record. */
  librarySaveMeta(meta: LessonMeta): Promise<void>
  libraryAddMarker(lessonId: string, marker: LessonMarker): Promise<void>
  /** Whiteboard PDF, AI conversation, chat: other features add their files to the lesson record. */
  libraryAddFile(lessonId: string, name: LessonExtraFile, data: Uint8Array): Promise<void>
  libraryList(): Promise<LibraryEntry[]>
  libraryRename(lessonId: string, title: string): Promise<void>
  libraryDelete(id: string): Promise<void>
  libraryReveal(id: string): Promise<void>
  /** Save-as (a copy, or MP4 for a recording); false when cancelled. */
  libraryExport(id: string, file: string, format: 'original' | 'mp4'): Promise<boolean>
  /** URL a <video> or <img> in the page can load (app://duet/_library/… on desktop). */
  libraryFileUrl(id: string, file: string): string

  /** Desktop only: the embedded server's AI provider. Browsers have none (the server's admin sets it). */
  readonly aiSettings?: DesktopAiSettingsApi
}
