import { z } from 'zod'

/** A screen or window the user can share, as the picker shows it. */
export const ScreenSourceSchema = z.object({
  /** desktopCapturer source id, e.g. "screen:0:0" or "window:1234:0". */
  id: z.string().min(1).max(256),
  name: z.string().max(256),
  kind: z.enum(['screen', 'window']),
  /** PNG data URL of a live thumbnail (kept small: about 320x180). */
  thumbnail: z.string().max(512 * 1024).regex(/^data:image\/(png|jpeg);base64,/),
  /** The window's app icon as a PNG data URL, when the OS has one. */
  appIcon: z.string().max(128 * 1024).regex(/^data:image\/(png|jpeg);base64,/).nullable(),
})
export type ScreenSource = z.infer<typeof ScreenSourceSchema>

/** Why sharing system audio is offered disabled. */
export const SystemAudioSchema = z.object({
  supported: z.boolean(),
  /** null when supported; otherwise a reason the UI translates. */
  reason: z.enum(['os-unsupported']).nullable(),
})

/** Main → renderer: the page called getDisplayMedia; show Duet's picker. */
export const ScreenPickerRequestSchema = z.object({
  requestId: z.string().min(1).max(64),
  sources: z.array(ScreenSourceSchema).max(64),
  systemAudio: SystemAudioSchema,
})
export type ScreenPickerRequest = z.infer<typeof ScreenPickerRequestSchema>

/** Renderer → main: what the user picked, or null when they cancelled. */
export const ScreenPickerAnswerSchema = z.object({
  requestId: z.string().min(1).max(64),
  choice: z.object({ sourceId: z.string().min(1).max(256), withAudio: z.boolean() }).nullable(),
})
export type ScreenPickerAnswer = z.infer<typeof ScreenPickerAnswerSchema>

export const MediaPermissionStatusSchema = z.enum(['granted', 'denied', 'restricted', 'not-determined', 'unknown'])
export type MediaPermissionStatus = z.infer<typeof MediaPermissionStatusSchema>

/** What the operating system allows Duet to use (desktop; browsers report 'unknown'). */
export const MediaPermissionsSchema = z.object({
  camera: MediaPermissionStatusSchema,
  microphone: MediaPermissionStatusSchema,
  screen: MediaPermissionStatusSchema,
  /** True where Duet can open the OS settings page that changes these. */
  canOpenSettings: z.boolean(),
})
export type MediaPermissions = z.infer<typeof MediaPermissionsSchema>

export const MediaPermissionKindSchema = z.enum(['camera', 'microphone', 'screen'])
export type MediaPermissionKind = z.infer<typeof MediaPermissionKindSchema>
