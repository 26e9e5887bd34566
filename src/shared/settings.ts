import { z } from 'zod'

export const LOCALES = ['en', 'zh-CN'] as const
export const LocaleSchema = z.enum(LOCALES)
export type Locale = z.infer<typeof LocaleSchema>

/** How this copy updates itself: 'none' never checks (a school deploys updates itself). */
export const UpdateModeSchema = z.enum(['auto', 'manual', 'none'])
export type UpdateMode = z.infer<typeof UpdateModeSchema>
export const UpdateChannelSchema = z.enum(['stable', 'beta'])
export type UpdateChannel = z.infer<typeof UpdateChannelSchema>

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
  /** Desktop: students on this network may join the lessons this app hosts (else it listens on 127.0.0.1 only). */
  lanAccess: z.boolean(),
  updateMode: UpdateModeSchema,
  updateChannel: UpdateChannelSchema,
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
  lanAccess: false,
  updateMode: 'auto',
  updateChannel: 'stable',
}

/**
 * The settings the user actually chose, read from storage that may be old,
 * hand-edited or corrupt: a field that does not validate is left out (so a
 * default or a school's recommendation applies), the rest is kept.
 */
export function sanitizeSettingsLayer(raw: unknown): Partial<Settings> {
  const source = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {}
  const out: Partial<Settings> = {}
  for (const key of ['locale', 'displayName', 'serverUrl', 'tutorKey', 'lanAccess', 'updateMode', 'updateChannel'] as const) {
    if (!(key in source)) continue
    const parsed = SettingsSchema.shape[key].safeParse(source[key])
    if (parsed.success) Object.assign(out, { [key]: parsed.data })
  }
  if (typeof source.devices === 'object' && source.devices !== null) {
    const devices = source.devices as Record<string, unknown>
    out.devices = structuredClone(DEFAULT_SETTINGS.devices)
    for (const key of ['cameraId', 'microphoneId', 'speakerId'] as const) {
      const parsed = DeviceIdSchema.safeParse(devices[key])
      if (parsed.success) out.devices[key] = parsed.data
    }
  }
  return out
}

/** Every field that does not validate falls back to its default, the rest is kept. */
export function sanitizeSettings(raw: unknown): Settings {
  return { ...structuredClone(DEFAULT_SETTINGS), ...sanitizeSettingsLayer(raw) }
}
