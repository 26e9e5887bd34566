import { z } from 'zod'
import { DisplayNameSchema } from '../lesson/lesson'
import { StudentCodeSchema } from './link'
import { WeeklyPlanSchema } from './plan'

/** Who keeps a roster: a tutor (their own students) or a school's staff (every tutor's students). */
export const AccountRoleSchema = z.enum(['tutor', 'staff'])
export type AccountRole = z.infer<typeof AccountRoleSchema>

const text = (max: number) => z.string().trim().max(max)

/** What a tutor writes about a student (POST /api/roster to add one). */
export const StudentFieldsSchema = z.object({
  name: DisplayNameSchema,
  notes: text(2000),
  subject: text(60),
  goal: text(200),
  plan: WeeklyPlanSchema.nullable(),
})
export const CreateStudentRequestSchema = StudentFieldsSchema.extend({
  notes: text(2000).default(''),
  subject: text(60).default(''),
  goal: text(200).default(''),
  plan: WeeklyPlanSchema.nullable().default(null),
})
export type CreateStudentRequest = z.input<typeof CreateStudentRequestSchema>
/** POST /api/roster/:id — only the fields sent change. */
export const UpdateStudentRequestSchema = StudentFieldsSchema.partial().strict()
export type UpdateStudentRequest = z.infer<typeof UpdateStudentRequestSchema>
/** POST /api/roster/:id/archive */
export const ArchiveStudentRequestSchema = z.object({ archived: z.boolean() })

export const StudentSchema = z.object({
  id: z.string().min(1).max(64),
  tutorId: z.string().min(1).max(80),
  name: DisplayNameSchema,
  notes: z.string().max(2000),
  subject: z.string().max(60),
  goal: z.string().max(200),
  plan: WeeklyPlanSchema.nullable(),
  /** The standing personal code (XXXX-XXXX-XXXX without dashes) and the link made of it. */
  code: StudentCodeSchema,
  link: z.string().url(),
  archived: z.boolean(),
  createdAt: z.number(),
})
export type Student = z.infer<typeof StudentSchema>

/** One line of the roster. */
export const RosterEntrySchema = StudentSchema.extend({
  tutorName: z.string().max(40),
  lastLessonAt: z.number().nullable(),
  nextLessonAt: z.number().nullable(),
  openFlags: z.number().int().min(0),
})
export type RosterEntry = z.infer<typeof RosterEntrySchema>

/** GET /api/roster?archived=1&q=… */
export const RosterResponseSchema = z.object({
  role: AccountRoleSchema,
  students: z.array(RosterEntrySchema),
})
export type RosterResponse = z.infer<typeof RosterResponseSchema>

/** GET /api/roster/lessons/:lessonId/student — whose a lesson is (the tutor's summary after it). */
export const LessonOwnerSchema = z.object({ studentId: z.string().nullable(), studentName: z.string().max(40).nullable() })
export type LessonOwner = z.infer<typeof LessonOwnerSchema>
/** POST /api/roster/lessons/:lessonId/student — attach a lesson (a one-off invite) to a student, or detach it (null). */
export const AttachLessonRequestSchema = z.object({ studentId: z.string().min(1).max(64).nullable() })

/** A lesson held through a one-off invite that belongs to no student yet (the tutor may attach it to one). */
export const InviteLessonSchema = z.object({
  id: z.string().min(1).max(64),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  /** Minutes the lesson ran once both were in it. */
  minutes: z.number().min(0),
  /** The name the student typed at the door. */
  studentName: z.string().max(40),
})
export type InviteLesson = z.infer<typeof InviteLessonSchema>
/** GET /api/roster/:id/invite-lessons — the student's tutor's recent lessons that belong to nobody yet, newest first. */
export const InviteLessonsResponseSchema = z.object({ lessons: z.array(InviteLessonSchema) })
export type InviteLessonsResponse = z.infer<typeof InviteLessonsResponseSchema>

/**
 * The key a tutor's device makes for itself on a server that configures no
 * tutor keys: it names the device's roster (nobody without it sees it).
 */
export const SELF_MADE_TUTOR_KEY = /^duet-tutor-[A-Za-z0-9_-]{43}$/
