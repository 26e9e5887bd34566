import { z } from 'zod'
import { DisplayNameSchema } from '../lesson/lesson'
import { ScheduleChangeSchema, WeeklyPlanSchema } from './plan'
import { StudentSchema } from './roster'
import { HomeworkSchema } from './homework'
import { ProgressSchema } from './progress'
import { RatingSchema } from './rating'
import { FlagSchema, RecordActionSchema, TutorMessageSchema } from './warnings'

/** One lesson in a student's record. */
export const RecordLessonSchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  /** Minutes the student was in it with the tutor (0 if they never met). */
  minutes: z.number().min(0),
  attended: z.boolean(),
  /** The student's rating of it, once they gave one. */
  rating: RatingSchema.extend({ at: z.number() }).nullable(),
})
export type RecordLesson = z.infer<typeof RecordLessonSchema>

/** GET /api/roster/:id — a student's record as the tutor (or staff) sees it. */
export const StudentRecordSchema = z.object({
  student: StudentSchema,
  tutorName: z.string().max(40),
  lessons: z.array(RecordLessonSchema),
  scheduleChanges: z.array(ScheduleChangeSchema),
  nextLessonAt: z.number().nullable(),
  homework: z.array(HomeworkSchema),
  progress: ProgressSchema,
  /** Early-warning flags not resolved yet, and everything done about the student. */
  flags: z.array(FlagSchema),
  actions: z.array(RecordActionSchema),
})
export type StudentRecord = z.infer<typeof StudentRecordSchema>

/** GET /api/me — the student's own record (their personal code is the key). */
export const MyRecordSchema = z.object({
  student: z.object({
    id: z.string(),
    name: DisplayNameSchema,
    subject: z.string().max(60),
    goal: z.string().max(200),
    plan: WeeklyPlanSchema.nullable(),
  }),
  tutorName: z.string().max(40),
  /** The lesson their tutor has open for them now (Join), or null. */
  openLesson: z.object({ lessonId: z.string() }).nullable(),
  nextLessonAt: z.number().nullable(),
  lessons: z.array(RecordLessonSchema),
  homework: z.array(HomeworkSchema),
  progress: ProgressSchema,
  /** Check-ins from the school's staff, newest first (the tutor's are in the student's thread). */
  messages: z.array(TutorMessageSchema),
})
export type MyRecord = z.infer<typeof MyRecordSchema>
