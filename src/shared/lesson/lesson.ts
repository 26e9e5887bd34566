import { z } from 'zod'

export const RoleSchema = z.enum(['tutor', 'student'])
export type Role = z.infer<typeof RoleSchema>

/** A person's display name: trimmed, 1..40 characters, no control characters. */
export const DisplayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[^\p{Cc}]+$/u, 'no control characters')

export const ParticipantSchema = z.object({
  id: z.string().min(1).max(64),
  name: DisplayNameSchema,
  role: RoleSchema,
})
export type Participant = z.infer<typeof ParticipantSchema>

/** The same person: ids are given per role (students' and tutors' apart), so the role is compared too. */
export const samePerson = (a: Participant, b: Participant | null | undefined): boolean => a.id === b?.id && a.role === b.role

export const AttendanceSchema = ParticipantSchema.extend({
  /** First time this person joined (epoch ms). */
  joinedAt: z.number(),
  /** Last time they left, or null if still present when the lesson ended. */
  leftAt: z.number().nullable(),
})
export type Attendance = z.infer<typeof AttendanceSchema>

export const LessonSummarySchema = z.object({
  lessonId: z.string(),
  tutorName: DisplayNameSchema,
  /** When both people were first in the lesson together; null if never. */
  startedAt: z.number().nullable(),
  endedAt: z.number(),
  /** startedAt..endedAt, 0 when the lesson never started. */
  durationMs: z.number().nonnegative(),
  attendance: z.array(AttendanceSchema).max(16),
  endedBy: z.enum(['tutor', 'expired']),
})
export type LessonSummary = z.infer<typeof LessonSummarySchema>

export const LessonInfoSchema = z.object({
  id: z.string(),
  tutorName: DisplayNameSchema,
  /** Lesson clock start (epoch ms) once both sides met, else null. */
  startedAt: z.number().nullable(),
})
export type LessonInfo = z.infer<typeof LessonInfoSchema>
