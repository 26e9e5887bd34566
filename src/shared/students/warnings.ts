import { z } from 'zod'
import { DisplayNameSchema } from '../lesson/lesson'

/**
 * Early warning: the rules of the tutoring-industry table this product is
 * built on, each with its suggested action.
 */
export const WarningRuleSchema = z.enum(['inactive', 'low_completion', 'late_homework', 'low_ratings', 'study_time_drop'])
export type WarningRule = z.infer<typeof WarningRuleSchema>

export const SuggestedActionSchema = z.enum(['check_in', 'talk', 'find_blockers', 'escalate', 'adjust_plan'])
export type SuggestedAction = z.infer<typeof SuggestedActionSchema>

export const SUGGESTED_ACTION: Record<WarningRule, SuggestedAction> = {
  inactive: 'check_in',
  low_completion: 'talk',
  late_homework: 'find_blockers',
  low_ratings: 'escalate',
  study_time_drop: 'adjust_plan',
}

/** The thresholds a tutor (or a school, for all its tutors) may change. */
export const WarningThresholdsSchema = z.object({
  /** No lesson and no practice for this many calendar days (in the student's time zone). */
  inactiveDays: z.number().int().min(1).max(90),
  /** Lessons attended / planned over the window below this percentage. */
  completionBelowPercent: z.number().min(1).max(100),
  completionWindowDays: z.number().int().min(7).max(120),
  /** Fewer planned lessons than this in the window is too little to judge. */
  completionMinPlanned: z.number().int().min(1).max(50),
  /** Homework more than this many days late (handed in late, or still missing) … */
  homeworkLateDays: z.number().min(0).max(60),
  /** … this many times within the window. */
  homeworkLateCount: z.number().int().min(1).max(50),
  homeworkWindowDays: z.number().int().min(7).max(120),
  /** A rating of this many stars or fewer is a low rating (a complaint) … */
  lowRatingStars: z.number().int().min(1).max(4),
  /** … this many within the window. */
  lowRatingCount: z.number().int().min(1).max(50),
  ratingWindowDays: z.number().int().min(7).max(120),
  /** Weekly study minutes down by at least this percentage … */
  studyDropPercent: z.number().min(1).max(100),
  /** … this many complete weeks running. */
  studyDropWeeks: z.number().int().min(1).max(8),
  /** A school is alerted when more than this share of its students trip the inactivity rule. */
  schoolAlertPercent: z.number().min(0).max(100),
})
export type WarningThresholds = z.infer<typeof WarningThresholdsSchema>

export const DEFAULT_THRESHOLDS: WarningThresholds = {
  inactiveDays: 7,
  completionBelowPercent: 20,
  completionWindowDays: 28,
  completionMinPlanned: 2,
  homeworkLateDays: 3,
  homeworkLateCount: 2,
  homeworkWindowDays: 30,
  lowRatingStars: 2,
  lowRatingCount: 2,
  ratingWindowDays: 30,
  studyDropPercent: 50,
  studyDropWeeks: 2,
  schoolAlertPercent: 5,
}

/** What made a rule fire: the numbers the dashboard shows ("last lesson 9 days ago; planned 2/week"). */
export const EvidenceSchema = z.discriminatedUnion('rule', [
  z.object({
    rule: z.literal('inactive'),
    days: z.number().int().min(0),
    lastLessonAt: z.number().nullable(),
    lastPracticeAt: z.number().nullable(),
    plannedPerWeek: z.number().int().min(0),
  }),
  z.object({
    rule: z.literal('low_completion'),
    attended: z.number().int().min(0),
    planned: z.number().int().min(0),
    percent: z.number().min(0),
    windowDays: z.number().int(),
  }),
  z.object({
    rule: z.literal('late_homework'),
    items: z.array(z.object({ title: z.string().max(120), dueAt: z.number(), daysLate: z.number(), missing: z.boolean() })).max(20),
  }),
  z.object({
    rule: z.literal('low_ratings'),
    items: z.array(z.object({ stars: z.number().int(), word: z.string().max(60), at: z.number() })).max(20),
  }),
  z.object({
    rule: z.literal('study_time_drop'),
    /** The weeks compared, oldest first: the first, then each down by the threshold or more. */
    weeks: z.array(z.object({ weekStart: z.number(), minutes: z.number() })).max(9),
  }),
])
export type Evidence = z.infer<typeof EvidenceSchema>

export const FlagStateSchema = z.enum(['open', 'snoozed', 'dismissed', 'resolved'])
export type FlagState = z.infer<typeof FlagStateSchema>

/** What a tutor did about a student, kept in the record. */
export const RecordActionKindSchema = z.enum(['message', 'reschedule', 'snooze', 'dismiss'])
export const RecordActionSchema = z.object({
  id: z.string(),
  studentId: z.string(),
  flagId: z.string().nullable(),
  kind: RecordActionKindSchema,
  text: z.string().max(1000),
  at: z.number(),
  by: z.string().max(40),
  /** reschedule: the lesson moved to; snooze: until when. */
  until: z.number().nullable(),
})
export type RecordAction = z.infer<typeof RecordActionSchema>

export const FlagSchema = z.object({
  id: z.string(),
  studentId: z.string(),
  rule: WarningRuleSchema,
  state: FlagStateSchema,
  evidence: EvidenceSchema,
  suggestedAction: SuggestedActionSchema,
  raisedAt: z.number(),
  snoozedUntil: z.number().nullable(),
  lastAction: RecordActionSchema.nullable(),
})
export type Flag = z.infer<typeof FlagSchema>

/** One student on the at-risk dashboard, with every open flag. */
export const AtRiskStudentSchema = z.object({
  id: z.string(),
  name: DisplayNameSchema,
  subject: z.string().max(60),
  tutorName: z.string().max(40),
  flags: z.array(FlagSchema).min(1),
})
export type AtRiskStudent = z.infer<typeof AtRiskStudentSchema>

/** GET /api/roster/at-risk */
export const AtRiskResponseSchema = z.object({
  /** When the flags were last worked out. */
  computedAt: z.number(),
  /** Students on the roster (not archived) and how many are flagged. */
  total: z.number().int().min(0),
  flagged: z.number().int().min(0),
  /** At most `limit` students, the most flags first; `more` is how many are left off. */
  students: z.array(AtRiskStudentSchema),
  more: z.number().int().min(0),
  /** Staff only: the share of the school's students who trip the inactivity rule, and whether it passes the alert threshold. */
  school: z.object({ inactivePercent: z.number().min(0), alertPercent: z.number().min(0), alert: z.boolean() }).nullable(),
})
export type AtRiskResponse = z.infer<typeof AtRiskResponseSchema>

/** POST /api/roster/flags/:id/action */
export const FlagActionRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), text: z.string().trim().min(1).max(1000) }),
  /** Moves the student's next planned lesson (if any) to `to`. */
  z.object({ kind: z.literal('reschedule'), to: z.number().int().positive(), note: z.string().trim().max(200).default('') }),
  z.object({ kind: z.literal('snooze'), days: z.number().int().min(1).max(60) }),
  z.object({ kind: z.literal('dismiss'), note: z.string().trim().max(200).default('') }),
])
export type FlagActionRequest = z.input<typeof FlagActionRequestSchema>

/** GET /api/roster/warnings/settings, POST to change (a tutor: theirs; staff: the school's), POST …/reset to go back to `defaults`. */
export const WarningSettingsSchema = z.object({
  thresholds: WarningThresholdsSchema,
  scope: z.enum(['tutor', 'school']),
  /** What reset brings back: for a tutor the school's thresholds, for the school the built-in defaults. */
  defaults: WarningThresholdsSchema,
})
export type WarningSettings = z.infer<typeof WarningSettingsSchema>
export const WarningSettingsRequestSchema = WarningThresholdsSchema.partial().strict()

/** GET /api/roster/digest — flags raised since the tutor last looked (the daily digest). */
export const DigestSchema = z.object({
  since: z.number(),
  students: z.array(z.object({ id: z.string(), name: DisplayNameSchema, rules: z.array(WarningRuleSchema) })),
})
export type Digest = z.infer<typeof DigestSchema>

/** A message from the tutor, as the student sees it on "My lessons". */
export const TutorMessageSchema = z.object({ id: z.string(), text: z.string().max(1000), at: z.number(), from: z.string().max(40) })
export type TutorMessage = z.infer<typeof TutorMessageSchema>
