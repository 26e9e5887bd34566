import type { z } from 'zod'

/**
 * One line for the first problem zod found, naming the field:
 * "tutorName: Too small: expected string to have >=1 characters".
 * `what` names the whole value when the problem is at its root.
 */
export function describeZodError(error: z.ZodError, what = 'value'): string {
  const first = error.issues[0]
  if (!first) return `invalid ${what}`
  const where = first.path.map(String).join('.')
  return where ? `${where}: ${first.message}` : `${what}: ${first.message}`
}
