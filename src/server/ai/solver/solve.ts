import { parse } from 'mathjs'
import type { MathText, SolveResult } from '../../../shared/ai/solver'
import { extractProblem } from './extract'
import type { RawStep, SolverPool } from './pool'
import { verifySteps } from './verify'

/** "x = [2, 3]" (mathsteps' roots, a matrix in TeX) reads as "x = 2 or x = 3". */
function mathText(side: RawStep['before']): MathText {
  const roots = /^\s*\[(.*)\]\s*$/.exec(side.right ?? '')
  const variable = side.left?.trim() ?? ''
  // mathsteps writes 2x as "2~ x" (a TeX space); typeset it as 2x.
  if (!roots?.[1] || !/^[a-z]$/i.test(variable)) return { ascii: side.ascii, tex: side.tex.replace(/~\s*/g, '').trim() }
  const values = roots[1].split(',').map((v) => v.trim())
  try {
    return {
      ascii: values.map((v) => `${variable} = ${v}`).join(' or '),
      tex: values.map((v) => `${variable} = ${parse(v).toTex()}`).join(' \\quad\\text{or}\\quad '),
    }
  } catch {
    return { ascii: side.ascii, tex: side.tex }
  }
}

/**
 * The offline step-by-step solver behind the panel when no model is set up:
 * mathsteps' steps for arithmetic and one-unknown algebra, checked before
 * they are shown. It says plainly when it cannot help rather than guess.
 */
export async function solveProblem(pool: SolverPool, input: string): Promise<SolveResult> {
  const extracted = extractProblem(input)
  if (!extracted.ok) return { ok: false, reason: extracted.reason }
  const run = await pool.run({ kind: extracted.kind, problem: extracted.problem })
  if (!run.ok) return { ok: false, reason: run.reason === 'failed' ? 'unsupported' : 'too_complex' }
  // mathsteps answers "no steps" for what it cannot do, and NO_CHANGE for what is already simple.
  const steps = run.steps.filter((s) => s.change !== 'NO_CHANGE').slice(0, 60)
  const first = steps[0]
  const last = steps.at(-1)
  if (!first || !last) return { ok: false, reason: 'unsupported' }
  if (/Infinity|NaN/.test(last.after.ascii)) return { ok: false, reason: 'too_complex' }
  // An equation mathsteps gave up on ends without "x = ...": steps that lead nowhere are no help.
  const solved = /^[a-z]$/i.test(last.after.left?.trim() ?? '') || last.change.startsWith('STATEMENT_IS_')
  if (extracted.kind === 'equation' && !solved) return { ok: false, reason: 'unsupported' }
  if (!verifySteps(extracted.kind, extracted.problem, steps)) return { ok: false, reason: 'unverified' }
  return {
    ok: true,
    kind: extracted.kind,
    problem: mathText(first.before),
    steps: steps.map((s) => ({ change: s.change, before: mathText(s.before), after: mathText(s.after) })),
    answer: mathText(last.after),
  }
}
