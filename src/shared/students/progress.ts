import { z } from 'zod'

/** One week (Monday 00:00 in the student's time zone) of a student's progress. */
export const ProgressWeekSchema = z.object({
  weekStart: z.number(),
  planned: z.number().int().min(0),
  attended: z.number().int().min(0),
  lessonMinutes: z.number().min(0),
  /** Ask AI between lessons (questions, and the study minutes they count for). */
  practiceQuestions: z.number().int().min(0),
  practiceMinutes: z.number().min(0),
  /** Recordings watched again. */
  recordingMinutes: z.number().min(0),
})
export type ProgressWeek = z.infer<typeof ProgressWeekSchema>

export const PROGRESS_WEEKS = 12

/** Shown to both sides: the tutor on the record, the student on "My lessons". */
export const ProgressSchema = z.object({
  timeZone: z.string(),
  /** Oldest first; the last is the current week. */
  weeks: z.array(ProgressWeekSchema),
  attended: z.number().int().min(0),
  /** Planned lessons up to now over the same weeks. */
  planned: z.number().int().min(0),
  homework: z.object({ onTime: z.number().int(), late: z.number().int(), missing: z.number().int(), pending: z.number().int() }),
  practiceQuestions: z.number().int().min(0),
  recordingViews: z.number().int().min(0),
  /** Weeks in a row with any study (a lesson, practice, a recording, homework handed in), up to this week or the last. */
  streakWeeks: z.number().int().min(0),
  nextLessonAt: z.number().nullable(),
})
export type Progress = z.infer<typeof ProgressSchema>
