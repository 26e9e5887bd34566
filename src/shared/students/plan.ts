import { z } from 'zod'

/** An IANA time zone this runtime knows ("Asia/Shanghai", "Europe/Berlin", "UTC"). */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone })
      return true
    } catch {
      return false
    }
  }, 'an IANA time zone such as Asia/Shanghai')

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const WeekdaySchema = z.number().int().min(1).max(7)

/**
 * A student's weekly plan, e.g. "Tue and Thu 17:00, 60 min": the same time
 * on each chosen day, in the plan's time zone (the student's local time).
 */
export const WeeklyPlanSchema = z.object({
  days: z.array(WeekdaySchema).min(1).max(7).transform((days) => [...new Set(days)].sort((a, b) => a - b)),
  /** Local start time, 24-hour "HH:MM". */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 17:00'),
  minutes: z.number().int().min(10).max(240),
  timeZone: TimeZoneSchema,
})
export type WeeklyPlan = z.infer<typeof WeeklyPlanSchema>

/** One lesson moved by hand (the tutor rescheduled it): `from` is the planned start it replaces, if any. */
export const ScheduleChangeSchema = z.object({
  id: z.string().min(1).max(64),
  from: z.number().nullable(),
  to: z.number(),
  note: z.string().max(200),
})
export type ScheduleChange = z.infer<typeof ScheduleChangeSchema>
