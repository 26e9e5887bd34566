import type { AppInfo, InvokeHandlers, LessonServerInfoMessage } from '../../../src/shared/ipc'
import type { ParsedInvite } from '../../../src/shared/invite'
import type {
  MediaPermissionKind,
  MediaPermissions,
  ScreenPickerAnswer,
  ScreenSource,
} from '../../../src/shared/screen-share'
import type { Settings } from '../../../src/shared/settings'
import { safeExternalUrl } from '../appOrigin'

/** What the IPC handlers need; each is a service method or an Electron call. */
export interface HandlerDeps {
  settings: { get(): Settings; update(patch: unknown): Settings }
  lessonServer: { ensure(): Promise<LessonServerInfoMessage> }
  power: { setLessonActive(active: boolean): void }
  deepLinks: { rendererReady(): ParsedInvite[] }
  displayMedia: { answer(answer: ScreenPickerAnswer): void; refresh(requestId: string): Promise<ScreenSource[]> }
  sharingBar: { setVisible(visible: boolean): void }
  permissions: { get(): Promise<MediaPermissions>; openSettings(kind: MediaPermissionKind): Promise<void> }
  appInfo(): AppInfo
  openExternal(url: string): Promise<void>
}

/** One handler per channel of INVOKE_CHANNELS (the router has already validated requests). */
export function createInvokeHandlers(deps: HandlerDeps): InvokeHandlers {
  return {
    'duet:settings:get': () => deps.settings.get(),
    'duet:settings:update': (patch) => deps.settings.update(patch),
    'duet:lessonServer:ensure': () => deps.lessonServer.ensure(),
    'duet:lesson:setActive': (active) => deps.power.setLessonActive(active),
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
  }
}
