import { z } from 'zod'
import { RoleSchema } from '../../shared/lesson/lesson'

/** What this window needs to (re)enter its lesson; kept per tab so a reload rejoins. */
export const LessonPassSchema = z.object({
  server: z.string().url(),
  lessonId: z.string(),
  token: z.string(),
  /** Who this window is in the lesson (the server says so when it hands out the token). */
  participantId: z.string().min(1).max(64),
  role: RoleSchema,
  selfName: z.string(),
  tutorName: z.string(),
  /** The tutor's app: the student the lesson was started for from their record, named before they come. */
  studentName: z.string().max(80).optional(),
  invite: z
    .object({
      code: z.string(),
      url: z.string(),
      deepLink: z.string(),
      expiresAt: z.number(),
      lanUrls: z.array(z.string()),
      /** The tutor's own app hosts the server (it may let students on the network join). */
      hosted: z.boolean().default(false),
    })
    .nullable(),
})
export type LessonPass = z.infer<typeof LessonPassSchema>

const KEY = 'duet.lessonPass'

export function savePass(pass: LessonPass | null, storage: Storage = sessionStorage): void {
  try {
    if (pass) storage.setItem(KEY, JSON.stringify(pass))
    else storage.removeItem(KEY)
  } catch {
    // Storage unavailable: the pass lives in memory for this page only.
  }
}

export function loadPass(storage: Storage = sessionStorage): LessonPass | null {
  try {
    const parsed = LessonPassSchema.safeParse(JSON.parse(storage.getItem(KEY) ?? 'null'))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
