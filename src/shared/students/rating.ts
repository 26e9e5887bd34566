import { z } from 'zod'

/** After a lesson the student may rate it: 1–5 stars and an optional word. */
export const RatingSchema = z.object({
  stars: z.number().int().min(1).max(5),
  word: z.string().trim().max(60).default(''),
})
export type Rating = z.infer<typeof RatingSchema>
export const RateLessonRequestSchema = RatingSchema

/** A rating at or below this many stars counts as a low rating (a complaint) for early warning. */
export const LOW_RATING_STARS = 2
