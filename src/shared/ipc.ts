import { z } from 'zod'
import { NotificationRequestSchema } from './notifications'
import { InviteCodeSchema, type ParsedInvite } from './lesson/invite'
import {
  MediaPermissionKindSchema,
  MediaPermissionsSchema,
  ScreenPickerAnswerSchema,
  ScreenPickerRequestSchema,
  ScreenSourceSchema,
} from './screenShare'
import { SettingsPatchSchema, SettingsSchema } from './settings'
import { RecordingCloseResultSchema, RecordingIdSchema, RecordingOpenRequestSchema, RecordingOpenResultSchema, RecordingWriteResultSchema } from './recording/io'
import {
  LibraryExportRequestSchema,
  LibraryFileRequestSchema,
  LibraryMarkerRequestSchema,
  LibraryRenameRequestSchema,
  RecordingThumbnailRequestSchema,
  RecordingWriteRequestSchema,
} from './recording/ipcSchemas'
import { LessonMetaSchema, LibraryFolderSchema, LibraryListSchema } from './recording/library'
import { AiConnectionTestRequestSchema, AiConnectionTestResultSchema, DesktopAiSettingsPatchSchema, DesktopAiSettingsSchema } from './ai/desktopSettings'
import { PolicyViewSchema } from './policy/view'
import { UpdateStatusSchema } from './update'

/**
 * The one IPC channel map between the Electron main process and the renderer.
 * Main registers a handler for every invoke channel and validates requests and
 * responses with these schemas; the preload exposes exactly these methods as
 * `window.duet[group][method]`; the renderer only sees the DuetBridge type below.
 * No DOM, no Node, no Electron here.
 */

export const IPC_PREFIX = 'duet:'

/** Main passes the app version to the preload as this argv flag (webPreferences.additionalArguments). */
export const APP_VERSION_ARG = '--duet-app-version='

/**
 * Main marks the sharing bar's renderer with this argv flag; its preload then
 * wires the bar's Stop button instead of exposing `window.duet`.
 */
export const SHARING_BAR_ROLE_ARG = '--duet-window=sharing-bar'

/**
 * The sharing bar's one message to main (ipcRenderer.send, no payload). Not part
 * of window.duet: main accepts it only from the bar's own web contents.
 */
export const SHARING_BAR_STOP_CHANNEL = 'duet:sharingBar:stop'

/** http: or https: URL, nothing else (no file:, javascript:, custom schemes). */
export function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

const HttpUrlSchema = z.string().max(4096).refine(isHttpUrl, 'must be an http(s) URL')

/** An invite delivered from outside the window (duet:// link, second instance). */
export const ParsedInviteSchema = z.object({
  code: InviteCodeSchema,
  server: HttpUrlSchema.nullable(),
}) satisfies z.ZodType<ParsedInvite>

export const LessonServerInfoSchema = z.object({
  url: HttpUrlSchema,
  /** Where students on this network join; empty while the hosted server listens on 127.0.0.1 only. */
  lanUrls: z.array(HttpUrlSchema).max(32),
  /** The embedded server's tutor key, only ever handed to this app's own window. */
  tutorKey: z.string().min(24).max(256).optional(),
  /** This app hosts the server (false: a school server). */
  hosted: z.boolean(),
})
export type LessonServerInfoMessage = z.infer<typeof LessonServerInfoSchema>

export const AppInfoSchema = z.object({
  version: z.string().max(64),
  platform: z.string().max(32),
  locale: z.string().max(64),
})
export type AppInfo = z.infer<typeof AppInfoSchema>

const NoArgs = z.void()
const NoResult = z.void()

/** The capabilities `window.duet` groups its methods by (the renderer's Host groups the same way). */
export const BRIDGE_GROUPS = ['app', 'settings', 'screen', 'permissions', 'recording', 'library', 'aiSettings', 'policy', 'updates', 'notifications'] as const
export type BridgeGroup = (typeof BRIDGE_GROUPS)[number]

interface InvokeSpec {
  /** The window.duet group this channel's method sits in: `window.duet[group][method]`. */
  readonly group: BridgeGroup
  /** Name of the method in its group. */
  readonly method: string
  readonly request: z.ZodType
  readonly response: z.ZodType
}

/** renderer → main request/response channels. */
export const INVOKE_CHANNELS = {
  'duet:settings:get': { group: 'settings', method: 'get', request: NoArgs, response: SettingsSchema },
  'duet:settings:update': { group: 'settings', method: 'update', request: SettingsPatchSchema, response: SettingsSchema },
  'duet:lessonServer:ensure': { group: 'app', method: 'ensureLessonServer', request: NoArgs, response: LessonServerInfoSchema },
  /** true while a lesson runs: keeps the display awake. */
  'duet:lesson:setActive': { group: 'app', method: 'setLessonActive', request: z.boolean(), response: NoResult },
  'duet:app:info': { group: 'app', method: 'info', request: NoArgs, response: AppInfoSchema },
  /** Renderer can receive invites now; returns the ones queued before it was. */
  'duet:invite:ready': { group: 'app', method: 'inviteReady', request: NoArgs, response: z.array(ParsedInviteSchema).max(32) },
  'duet:shell:openExternal': { group: 'app', method: 'openExternal', request: HttpUrlSchema, response: NoResult },
  /** The user's choice in Duet's screen picker (choice null = cancelled). */
  'duet:screenPicker:answer': { group: 'screen', method: 'answerPicker', request: ScreenPickerAnswerSchema, response: NoResult },
  /** Fresh thumbnails for the open picker request with this id. */
  'duet:screenPicker:refresh': {
    group: 'screen', method: 'refreshSources',
    request: ScreenPickerRequestSchema.shape.requestId,
    response: z.array(ScreenSourceSchema).max(64),
  },
  /** Shows or hides the always-on-top "You are sharing — Stop" bar. */
  'duet:sharingBar:set': { group: 'screen', method: 'setSharingBar', request: z.boolean(), response: NoResult },
  /** Camera, microphone and screen-recording status as the OS reports it. */
  'duet:permissions:get': { group: 'permissions', method: 'get', request: NoArgs, response: MediaPermissionsSchema },
  /** Opens the OS settings page for one permission (where the OS has one). */
  'duet:permissions:openSettings': { group: 'permissions', method: 'openSettings', request: MediaPermissionKindSchema, response: NoResult },
  // ---- recording: the renderer encodes, main appends each chunk to the lesson library and fsyncs it ----
  'duet:recording:open': { group: 'recording', method: 'open', request: RecordingOpenRequestSchema, response: RecordingOpenResultSchema },
  'duet:recording:write': { group: 'recording', method: 'write', request: RecordingWriteRequestSchema, response: RecordingWriteResultSchema },
  'duet:recording:thumbnail': { group: 'recording', method: 'thumbnail', request: RecordingThumbnailRequestSchema, response: NoResult },
  /** Stops, finalizes (duration + cues); null if the recording was not open. */
  'duet:recording:close': { group: 'recording', method: 'close', request: RecordingIdSchema, response: RecordingCloseResultSchema.nullable() },
  // ---- the lesson library (userData/library) ----
  'duet:library:saveMeta': { group: 'library', method: 'saveMeta', request: LessonMetaSchema, response: NoResult },
  'duet:library:addMarker': { group: 'library', method: 'addMarker', request: LibraryMarkerRequestSchema, response: NoResult },
  'duet:library:addFile': { group: 'library', method: 'addFile', request: LibraryFileRequestSchema, response: NoResult },
  'duet:library:list': { group: 'library', method: 'list', request: NoArgs, response: LibraryListSchema },
  'duet:library:rename': { group: 'library', method: 'rename', request: LibraryRenameRequestSchema, response: NoResult },
  'duet:library:delete': { group: 'library', method: 'delete', request: LibraryFolderSchema, response: NoResult },
  'duet:library:reveal': { group: 'library', method: 'reveal', request: LibraryFolderSchema, response: NoResult },
  /** Save-as dialog, then a copy (or an MP4 remux); false when the user cancelled. */
  'duet:library:export': { group: 'library', method: 'export', request: LibraryExportRequestSchema, response: z.boolean() },
  // ---- the embedded server's AI provider (Settings); the API key goes in, never comes back ----
  'duet:aiSettings:get': { group: 'aiSettings', method: 'get', request: NoArgs, response: DesktopAiSettingsSchema },
  'duet:aiSettings:update': { group: 'aiSettings', method: 'update', request: DesktopAiSettingsPatchSchema, response: DesktopAiSettingsSchema },
  'duet:aiSettings:test': { group: 'aiSettings', method: 'testConnection', request: AiConnectionTestRequestSchema, response: AiConnectionTestResultSchema },
  // ---- the school's managed policy (what it locks, who to ask, what was ignored) ----
  'duet:policy:get': { group: 'policy', method: 'get', request: NoArgs, response: PolicyViewSchema },
  // ---- self-update (electron-updater in main) ----
  'duet:update:status': { group: 'updates', method: 'status', request: NoArgs, response: UpdateStatusSchema },
  'duet:update:check': { group: 'updates', method: 'check', request: NoArgs, response: UpdateStatusSchema },
  /** Manual mode: download the version found. */
  'duet:update:download': { group: 'updates', method: 'download', request: NoArgs, response: UpdateStatusSchema },
  /** "Restart to update"; refused during a lesson and outside the school's install window. */
  'duet:update:install': { group: 'updates', method: 'install', request: NoArgs, response: NoResult },
  // ---- OS notifications (only while the window is in the background); true when one was shown ----
  'duet:notifications:show': { group: 'notifications', method: 'show', request: NotificationRequestSchema, response: z.boolean() },
} as const satisfies Record<`duet:${string}`, InvokeSpec>

/** main → renderer events, by the name the renderer subscribes with. */
export const EVENT_CHANNELS = {
  invite: { channel: 'duet:invite', payload: ParsedInviteSchema },
  /** The page called getDisplayMedia(): show Duet's picker and answer with this requestId. */
  'screenPicker:request': { channel: 'duet:screenPicker:request', payload: ScreenPickerRequestSchema },
  /** The sharing bar's Stop was pressed: stop sharing the screen. */
  'sharing:stopRequested': { channel: 'duet:sharing:stopRequested', payload: z.object({}) },
  /** The school's policy changed (an admin's edit, applied without a restart). */
  'policy:changed': { channel: 'duet:policy:changed', payload: PolicyViewSchema },
  /** The settings in effect changed without the window asking (a policy locked or recommended one). */
  'settings:changed': { channel: 'duet:settings:changed', payload: SettingsSchema },
  'update:status': { channel: 'duet:update:status', payload: UpdateStatusSchema },
} as const satisfies Record<string, { channel: `duet:${string}`; payload: z.ZodType }>

type Invokes = typeof INVOKE_CHANNELS
type Events = typeof EVENT_CHANNELS

export type InvokeChannel = keyof Invokes
export type EventName = keyof Events

/** What the renderer passes / what the handler receives after parsing. */
export type InvokeRequestInput<C extends InvokeChannel> = z.input<Invokes[C]['request']>
export type InvokeRequest<C extends InvokeChannel> = z.output<Invokes[C]['request']>
/** What a handler may return / what the renderer receives after parsing. */
export type InvokeResponseInput<C extends InvokeChannel> = z.input<Invokes[C]['response']>
export type InvokeResponse<C extends InvokeChannel> = z.output<Invokes[C]['response']>
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>

type InvokeArgs<C extends InvokeChannel> = [InvokeRequestInput<C>] extends [void] ? [] : [request: InvokeRequestInput<C>]

/** Main-side implementation of every invoke channel. */
export type InvokeHandlers = {
  [C in InvokeChannel]: (request: InvokeRequest<C>) => Promise<InvokeResponseInput<C>> | InvokeResponseInput<C>
}

/** One group of window.duet: the methods of the channels in that group. */
export type DuetBridgeGroup<G extends BridgeGroup> = {
  [C in InvokeChannel as Invokes[C]['group'] extends G ? Invokes[C]['method'] : never]: (...args: InvokeArgs<C>) => Promise<InvokeResponse<C>>
}

export type DuetInvokeMethods = { readonly [G in BridgeGroup]: DuetBridgeGroup<G> }

/**
 * `window.duet` as exposed by the preload, grouped by capability (BRIDGE_GROUPS):
 * app (info, inviteReady, ensureLessonServer, setLessonActive, openExternal),
 * settings, screen (picker and sharing bar), permissions, recording, library,
 * aiSettings, policy (the school's), updates and notifications, plus `on(event, listener)`
 * and `appVersion`.
 */
export interface DuetBridge extends DuetInvokeMethods {
  /** App version, known synchronously (passed to the preload at window creation). */
  readonly appVersion: string
  /** Subscribes to a main → renderer event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

export function isInvokeChannel(channel: string): channel is InvokeChannel {
  return Object.prototype.hasOwnProperty.call(INVOKE_CHANNELS, channel)
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(EVENT_CHANNELS, name)
}

