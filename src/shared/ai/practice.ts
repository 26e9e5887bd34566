import { z } from 'zod'
import { DisplayNameSchema, RoleSchema } from '../lesson/lesson'

/**
 * POST /api/ai/practice/pass — the AI outside lessons. No Authorization:
 * this is how a device gets one. `role: 'tutor'` is granted only to the
 * server's own machine (the tutor's desktop app and its embedded server);
 * everyone else gets a student pass, and the answer says which was given.
 */
export const PracticePassRequestSchema = z.strictObject({
  role: RoleSchema.default('student'),
  name: DisplayNameSchema.optional(),
})
export type PracticePassRequest = z.input<typeof PracticePassRequestSchema>

export const PracticePassResponseSchema = z.object({
  pass: z.string().min(10).max(4096),
  role: RoleSchema,
  name: z.string().max(40),
  expiresAt: z.number().int(),
})
export type PracticePassResponse = z.infer<typeof PracticePassResponseSchema>
