import { z } from 'zod'
import { DisplayNameSchema, RoleSchema } from '../lesson/lesson'
import { StudentCodeSchema } from '../students/link'

/**
 * POST /api/ai/practice/pass — the AI outside lessons. No Authorization:
 * this is how a device gets one. `role: 'tutor'` is granted only to the
 * server's own machine (the tutor's desktop app and its embedded server);
 * everyone else gets a student pass, and the answer says which was given.
 */
export const PracticePassRequestSchema = z.strictObject({
  role: RoleSchema.default('student'),
  name: DisplayNameSchema.optional(),
  /** The device keeps this student's personal link: their practice counts in their record (progress, early warning). */
  studentCode: StudentCodeSchema.optional(),
})
export type PracticePassRequest = z.input<typeof PracticePassRequestSchema>

export const PracticePassResponseSchema = z.object({
  pass: z.string().min(10).max(4096),
  role: RoleSchema,
  name: z.string().max(40),
  expiresAt: z.number().int(),
  /** Whose record the practice counts for (the personal code was valid), else null. */
  studentId: z.string().nullable().default(null),
})
export type PracticePassResponse = z.infer<typeof PracticePassResponseSchema>
