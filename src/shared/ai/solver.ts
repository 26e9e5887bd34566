import { z } from 'zod'
import { MAX_SOLVER_INPUT_CHARS } from './limits'

/** POST /api/ai/solve — the offline step-by-step solver (no language model involved). */
export const SolveRequestSchema = z.strictObject({
  // Sentences ("Solve 2x + 3 = 11, please") are trimmed to the maths on the server.
  problem: z.string().trim().min(1).max(MAX_SOLVER_INPUT_CHARS * 4),
})

const MathTextSchema = z.object({ ascii: z.string().max(2000), tex: z.string().max(4000) })
export type MathText = z.infer<typeof MathTextSchema>

export const SolveStepSchema = z.object({
  /** A mathsteps change type, e.g. SUBTRACT_FROM_BOTH_SIDES; the panel words it. */
  change: z.string().regex(/^[A-Z_]{2,60}$/),
  before: MathTextSchema,
  after: MathTextSchema,
})
export type SolveStep = z.infer<typeof SolveStepSchema>

export const SolveFailureSchema = z.enum([
  /** Not something that reads as arithmetic or algebra. */
  'not_math',
  /** Too long, too large numbers or exponents, or took too long. */
  'too_complex',
  /** Valid maths the solver has no steps for (x^2 = 4, two unknowns, calculus...). */
  'unsupported',
  /** Steps came out, but the answer did not check out (division by zero, ...). */
  'unverified',
])
export type SolveFailure = z.infer<typeof SolveFailureSchema>

export const SolveResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    kind: z.enum(['equation', 'expression']),
    problem: MathTextSchema,
    steps: z.array(SolveStepSchema).min(1).max(60),
    answer: MathTextSchema,
  }),
  z.object({ ok: z.literal(false), reason: SolveFailureSchema }),
])
export type SolveResult = z.infer<typeof SolveResultSchema>
