import { parse } from 'mathjs'
import type { RawStep } from './pool'

/** Values tried for every letter: not 0 or 1, where wrong steps often still agree. */
const SAMPLES = [1.7, -2.3, 3.1]
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-7 * (1 + Math.abs(a) + Math.abs(b))

function evaluate(expr: string, scope: Record<string, number>): number {
  const value: unknown = parse(expr).evaluate({ ...scope })
  return typeof value === 'number' ? value : NaN
}

function symbolsOf(expr: string): string[] {
  // Single letters only: "2x" holds x, "sqrt" is a function.
  return [...new Set(expr.match(/(?<![a-z])[a-z](?![a-z])/gi) ?? [])]
}

function scopeFor(symbols: string[], sample: number): Record<string, number> {
  return Object.fromEntries(symbols.map((s, i) => [s, sample + i * 0.37]))
}

/**
 * Checks mathsteps' result with today's mathjs instead of trusting it (it
 * "solves" x/0 = 3): a simplified expression must equal the original at
 * sample values; an equation's answer must satisfy the original equation.
 */
export function verifySteps(kind: 'equation' | 'expression', problem: string, steps: RawStep[]): boolean {
  const last = steps.at(-1)
  if (!last) return false
  try {
    return kind === 'expression' ? verifyExpression(problem, last.after.ascii) : verifyEquation(problem, last)
  } catch {
    return false
  }
}

function verifyExpression(problem: string, result: string): boolean {
  const symbols = symbolsOf(`${problem} ${result}`)
  return SAMPLES.every((sample) => {
    const scope = scopeFor(symbols, sample)
    const a = evaluate(problem, scope)
    const b = evaluate(result, scope)
    return Number.isFinite(a) && Number.isFinite(b) && close(a, b)
  })
}

function verifyEquation(problem: string, last: RawStep): boolean {
  const [left = '', right = ''] = problem.split('=')
  const holds = (scope: Record<string, number>): boolean => {
    const a = evaluate(left, scope)
    const b = evaluate(right, scope)
    return Number.isFinite(a) && Number.isFinite(b) && close(a, b)
  }
  const symbols = symbolsOf(problem)
  if (last.change === 'STATEMENT_IS_TRUE') return SAMPLES.every((s) => holds(scopeFor(symbols, s)))
  if (last.change === 'STATEMENT_IS_FALSE') return !SAMPLES.some((s) => holds(scopeFor(symbols, s)))
  const variable = last.after.left?.trim() ?? ''
  const answer = last.after.right?.trim() ?? ''
  if (!/^[a-z]$/i.test(variable) || last.after.comparator !== '=') return false
  const roots = /^\[(.*)\]$/.exec(answer)
  const values = roots ? (roots[1] ?? '').split(',').map((v) => v.trim()) : [answer]
  const others = symbols.filter((s) => s !== variable)
  return SAMPLES.every((sample) => {
    const scope = scopeFor(others, sample)
    return values.every((value) => {
      const x = evaluate(value, scope)
      return Number.isFinite(x) && holds({ ...scope, [variable]: x })
    })
  })
}
