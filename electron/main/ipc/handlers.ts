import type { AppInfo, InvokeHandlers, LessonServerInfoMessage } from '../../../src/shared/ipc'
import type { ParsedInvite } from '../../../src/shared/lesson/invite'
import type {
  MediaPermissionKind,
  MediaPermissions,
  ScreenPickerAnswer,
  ScreenSource,
} from '../../../src/shared/screenShare'
import type { Settings } from '../../../src/shared/settings'
import type { RecordingCloseResult, RecordingOpenRequest, RecordingOpenResult, RecordingWriteResult } from '../../../src/shared/recording/io'
import type { LibraryExportRequest, RecordingWriteRequest } from '../../../src/shared/recording/ipcSchemas'
import type { LessonExtraFile, LessonMarker, LessonMeta, LibraryEntry } from '../../../src/shared/recording/library'
import type { AiConnectionTestResult, DesktopAiSettings } from '../../../src/shared/ai/desktopSettings'
import type { PolicyView } from '../../../src/shared/policy/view'
import type { UpdateStatus } from '../../../src/shared/update'
import type { NotificationRequest } from '../../../src/shared/notifications'
import { safeExternalUrl } from '../appOrigin'

/** What the IPC handlers need; each is a service method or an Electron call. */
export interface HandlerDeps {
  settings: { get(): Settings; update(patch: unknown): Settings | Promise<Settings> }
  lessonServer: { ensure(): Promise<LessonServerInfoMessage> }
  lesson: { set(running: boolean): void }
  deepLinks: { rendererReady(): ParsedInvite[] }
  displayMedia: { answer(answer: ScreenPickerAnswer): void; refresh(requestId: string): Promise<ScreenSource[]> }
  sharingBar: { setVisible(visible: boolean): void }
  permissions: { get(): Promise<MediaPermissions>; openSettings(kind: MediaPermissionKind): Promise<void> }
  appInfo(): AppInfo
  openExternal(url: string): Promise<void>
  recording: {
    open(request: RecordingOpenRequest): Promise<RecordingOpenResult>
    write(request: RecordingWriteRequest): Promise<RecordingWriteResult>
    thumbnail(recordingId: string, data: Uint8Array): Promise<void>
    close(recordingId: string): Promise<RecordingCloseResult | null>
  }
  library: {
    list(): Promise<LibraryEntry[]>
    saveMeta(meta: LessonMeta): Promise<void>
    addMarker(lessonId: string, marker: LessonMarker): Promise<void>
    addFile(lessonId: string, name: LessonExtraFile, data: Uint8Array, label?: string): Promise<void>
    rename(lessonId: string, title: string): Promise<void>
    remove(id: string): Promise<void>
    reveal(id: string): void
    export(request: LibraryExportRequest): Promise<boolean>
  }
  aiSettings: {
    view(): DesktopAiSettings
    update(patch: unknown): DesktopAiSettings | Promise<DesktopAiSettings>
    testConnection(request: unknown): Promise<AiConnectionTestResult>
  }
  policy: { view(): PolicyView }
  updates: {
    status(): UpdateStatus
    check(): Promise<UpdateStatus>
    download(): Promise<UpdateStatus>
    install(): void
  }
  notifications: { show(request: NotificationRequest): boolean }
}

/** One handler per channel of INVOKE_CHANNELS (the router has already validated requests). */
export function createInvokeHandlers(deps: HandlerDeps): InvokeHandlers {
  return {
    'duet:settings:get': () => deps.settings.get(),
    'duet:settings:update': (patch) => deps.settings.update(patch),
    'duet:lessonServer:ensure': () => deps.lessonServer.ensure(),
    'duet:lesson:setActive': (active) => deps.lesson.set(active),
    'duet:app:info': () => deps.appInfo(),
    'duet:invite:ready': () => deps.deepLinks.rendererReady(),
    'duet:shell:openExternal': async (url) => {
      const safe = safeExternalUrl(url)
      if (!safe) throw new Error('Only http(s) links can be opened')
      await deps.openExternal(safe)
    },
    'duet:screenPicker:answer': (answer) => deps.displayMedia.answer(answer),
    'duet:screenPicker:refresh': (requestId) => deps.displayMedia.refresh(requestId),
    'duet:sharingBar:set': (visible) => deps.sharingBar.setVisible(visible),
    'duet:permissions:get': () => deps.permissions.get(),
    'duet:permissions:openSettings': (kind) => deps.permissions.openSettings(kind),
    'duet:recording:open': (request) => deps.recording.open(request),
    'duet:recording:write': (request) => deps.recording.write(request),
    'duet:recording:thumbnail': ({ recordingId, data }) => deps.recording.thumbnail(recordingId, data),
    'duet:recording:close': (recordingId) => deps.recording.close(recordingId),
    'duet:library:saveMeta': (meta) => deps.library.saveMeta(meta),
    'duet:library:addMarker': ({ lessonId, marker }) => deps.library.addMarker(lessonId, marker),
    'duet:library:addFile': ({ lessonId, name, data, label }) => deps.library.addFile(lessonId, name, data, label),
    'duet:library:list': () => deps.library.list(),
    'duet:library:rename': ({ lessonId, title }) => deps.library.rename(lessonId, title),
    'duet:library:delete': (id) => deps.library.remove(id),
    'duet:library:reveal': (id) => deps.library.reveal(id),
    'duet:library:export': (request) => deps.library.export(request),
    'duet:aiSettings:get': () => deps.aiSettings.view(),
    'duet:aiSettings:update': (patch) => deps.aiSettings.update(patch),
    'duet:aiSettings:test': (request) => deps.aiSettings.testConnection(request),
    'duet:notifications:show': (request) => deps.notifications.show(request),
    'duet:policy:get': () => deps.policy.view(),
    'duet:update:status': () => deps.updates.status(),
    'duet:update:check': () => deps.updates.check(),
    'duet:update:download': () => deps.updates.download(),
    'duet:update:install': () => deps.updates.install(),
  }
}
