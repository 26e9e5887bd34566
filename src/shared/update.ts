import { z } from 'zod'
import { UpdateChannelSchema, UpdateModeSchema } from './settings'

/**
 * The desktop app's self-update as the window sees it (IPC). Main runs
 * electron-updater; the window only shows this and asks for a check, a
 * download (manual mode) or "restart to update".
 */

/** Why a check or download failed, in words the window can translate. */
export const UpdateErrorCodeSchema = z.enum([
  /** The feed could not be reached (offline, DNS, refused, time-out, HTTP 5xx). */
  'feed-unreachable',
  /** The feed answered with something that is not update information (HTML, bad YAML, missing file). */
  'feed-invalid',
  /** The downloaded file is not the one the feed described (checksum or size): thrown away. */
  'download-corrupt',
  /** Not enough room or no permission where the download goes. */
  'disk',
  'unknown',
])
export type UpdateErrorCode = z.infer<typeof UpdateErrorCodeSchema>

export const UpdatePhaseSchema = z.enum([
  /** UpdateMode none: no checks, no update UI. */
  'disabled',
  /** Installed where this user cannot write (per-machine): updates come from the school. */
  'managed',
  /** A development run or an install without an update feed. */
  'unsupported',
  'idle',
  'checking',
  'up-to-date',
  /** Manual mode: a newer version exists, the user may download it. */
  'available',
  'downloading',
  /** Downloaded and verified: installs when Duet quits (or in the install window). */
  'ready',
  'error',
])
export type UpdatePhase = z.infer<typeof UpdatePhaseSchema>

const VersionSchema = z.string().max(64)

export const UpdateStatusSchema = z.object({
  phase: UpdatePhaseSchema,
  mode: UpdateModeSchema,
  channel: UpdateChannelSchema,
  currentVersion: VersionSchema,
  /** The newer version found (available, downloading, ready). */
  next: z
    .object({
      version: VersionSchema,
      /** Plain text; the window never renders it as HTML. */
      releaseNotes: z.string().max(20_000).nullable(),
      releaseDate: z.string().max(64).nullable(),
    })
    .nullable(),
  /** 0-100 while downloading. */
  percent: z.number().min(0).max(100).nullable(),
  error: z.object({ code: UpdateErrorCodeSchema, message: z.string().max(500) }).nullable(),
  /** Epoch ms of the last finished check. */
  lastChecked: z.number().nullable(),
  /** A lesson is running: nothing installs or restarts until it ends. */
  lessonRunning: z.boolean(),
  /** "Restart to update" may be offered (ready, no lesson, inside the install window if there is one). */
  canRestart: z.boolean(),
  /** The school's install window ("18:00-07:00"), if any. */
  installWindow: z.string().max(16).nullable(),
  /** The channel, mode or feed come from the school's policy. */
  managedByPolicy: z.boolean(),
})
export type UpdateStatus = z.infer<typeof UpdateStatusSchema>

/**
 * Whether a local time falls inside an install window "HH:MM-HH:MM" (the
 * start included, the end not); a window whose end is before its start runs
 * past midnight (18:00-07:00).
 */
export function insideInstallWindow(window: string, at: Date): boolean {
  const match = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(window)
  if (!match) return false
  const [start, end] = [Number(match[1]) * 60 + Number(match[2]), Number(match[3]) * 60 + Number(match[4])]
  const now = at.getHours() * 60 + at.getMinutes()
  return start <= end ? now >= start && now < end : now >= start || now < end
}
