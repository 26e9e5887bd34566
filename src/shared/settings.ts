import { z } from 'zod'

export const LOCALES = ['en', 'zh-CN'] as const
export const LocaleSchema = z.enum(LOCALES)
export type Locale = z.infer<typeof LocaleSchema>

const DeviceIdSchema = z.string().max(512).nullable()

export const DeviceChoiceSchema = z.object({
  cameraId: DeviceIdSchema,
  microphoneId: DeviceIdSchema,
  speakerId: DeviceIdSchema,
})
export type DeviceChoice = z.infer<typeof DeviceChoiceSchema>

/** What the user can change, remembered per machine (desktop) or browser. */
export const SettingsSchema = z.object({
  /** null = follow the OS / browser language. */
  locale: LocaleSchema.nullable(),
  displayName: z.string().max(40),
  devices: DeviceChoiceSchema,
  /** Session server to join bare invite codes on; null = this app's own. */
  serverUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2048).nullable(),
  /** The school server's tutor key (it lets this person start lessons there); null when none was given. */
  tutorKey: z.string().trim().min(1).max(256).nullable(),
})
export type Settings = z.infer<typeof SettingsSchema>

export const SettingsPatchSchema = SettingsSchema.partial()
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>

export const DEFAULT_SETTINGS: Settings = {
  locale: null,
  displayName: '',
  devices: { cameraId: null, microphoneId: null, speakerId: null },
  serverUrl: null,
  tutorKey: null,
}

/**
 * Reads settings from storage that may be old, hand-edited or corrupt: every
 * field that does not validate falls back to its default, the rest is kept.
 */
export function sanitizeSettings(raw: unknown): Settings {
  const source = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {}
  const out: Settings = structuredClone(DEFAULT_SETTINGS)
  const locale = SettingsSchema.shape.locale.safeParse(source.locale)
  if (locale.success) out.locale = locale.data
  const name = SettingsSchema.shape.displayName.safeParse(source.displayName)
  if (name.success) out.displayName = name.data
  const server = SettingsSchema.shape.serverUrl.safeParse(source.serverUrl)
  if (server.success) out.serverUrl = server.data
  const tutorKey = SettingsSchema.shape.tutorKey.safeParse(source.tutorKey)
  if (tutorKey.success) out.tutorKey = tutorKey.data
  const devices = typeof source.devices === 'object' && source.devices !== null ? (source.devices as Record<string, unknown>) : {}
  for (const key of ['cameraId', 'microphoneId', 'speakerId'] as const) {
    const parsed = DeviceIdSchema.safeParse(devices[key])
    if (parsed.success) out.devices[key] = parsed.data
  }
  return out
}
