import { z } from 'zod'

/**
 * Who may record a lesson, set by the session server's config (later by a
 * school policy): the tutor chooses, nobody may, or every lesson is recorded.
 */
export const RecordingPolicySchema = z.enum(['allowed', 'forbidden', 'always'])
export type RecordingPolicy = z.infer<typeof RecordingPolicySchema>

/** Where the recorder keeps its file: the desktop app's own library, or the session server. */
export const RecordingStorageSchema = z.enum(['local', 'server'])
export type RecordingStorage = z.infer<typeof RecordingStorageSchema>

/**
 * The lesson's recording as the session server holds it; both sides render
 * exactly this, so they always agree on whether the lesson is being recorded.
 */
export const RecordingStateSchema = z.object({
  on: z.boolean(),
  /** Server time the current recording was switched on, null while off. */
  startedAt: z.number().nullable(),
  /** 'tutor' pressed Record; 'policy' = the server's `always` rule made the tutor's app start it. */
  by: z.enum(['tutor', 'policy']).nullable(),
  policy: RecordingPolicySchema,
  /** The server can keep recordings (it has a data directory); browsers need this. */
  serverStorage: z.boolean(),
})
export type RecordingState = z.infer<typeof RecordingStateSchema>

/** Why the server refused a `recording` request. */
export const RecordingRefusalSchema = z.enum(['not-tutor', 'forbidden', 'always-on', 'no-storage'])
export type RecordingRefusal = z.infer<typeof RecordingRefusalSchema>

export function recordingOff(policy: RecordingPolicy, serverStorage: boolean): RecordingState {
  return { on: false, startedAt: null, by: null, policy, serverStorage }
}
