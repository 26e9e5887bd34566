import { afterAll, describe, expect, it } from 'vitest'
import { extractProblem } from '../../../../src/server/ai/solver/extract'
import { SolverPool } from '../../../../src/server/ai/solver/pool'
import { solveProblem } from '../../../../src/server/ai/solver/solve'
import { SolveResultSchema } from '../../../../src/shared/ai/solver'

const pool = new SolverPool()
afterAll(() => pool.close())

describe('extractProblem', () => {
  it.each([
    ['Solve 2x + 3 = 11', { kind: 'equation', problem: '2x + 3 = 11' }],
    ['please solve for x: 3(x-2) = 2(x+1)?', { kind: 'equation', problem: '3(x-2) = 2(x+1)' }],
    ['What is 2/3 + 1/4?', { kind: 'expression', problem: '2/3 + 1/4' }],
    ['化简 2x＋3x', { kind: 'expression', problem: '2x+3x' }],
    ['解方程：２ｘ＋１＝５', { kind: 'equation', problem: '2x+1=5' }],
    ['6 × 7 ÷ 3 − 1', { kind: 'expression', problem: '6 * 7 / 3 - 1' }],
    ['x² − 4 = 0', { kind: 'equation', problem: 'x^2 - 4 = 0' }],
  ])('%j', (input, expected) => {
    expect(extractProblem(input)).toEqual({ ok: true, ...expected })
  })

  it.each([
    ['Why is the sky blue?', 'not_math'],
    ['hello world', 'not_math'],
    ['<script>alert(1)</script>', 'not_math'],
    ['x = 1 = 2', 'not_math'],
    ['= 5', 'not_math'],
    ['(x + 1', 'not_math'],
    ['f(x) = x, g', 'not_math'],
    ['(x+1)^50', 'too_complex'],
    ['9^9^9^9^9^9', 'too_complex'],
    ['2^x = 8', 'too_complex'],
    ['x^(1+1)', 'too_complex'],
    ['12345678901 * 2', 'too_complex'],
    ['((((((((x))))))))', 'too_complex'],
    ['1 + '.repeat(40) + '1', 'too_complex'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(extractProblem(input)).toEqual({ ok: false, reason })
  })
})

describe('solveProblem (mathsteps in a worker, checked by mathjs)', () => {
  it('solves a linear equation step by step', async () => {
    const result = SolveResultSchema.parse(await solveProblem(pool, 'Solve 2x + 3 = 11'))
    if (!result.ok) throw new Error(result.reason)
    expect(result.kind).toBe('equation')
    expect(result.steps.map((s) => s.change)).toEqual([
      'SUBTRACT_FROM_BOTH_SIDES',
      'SIMPLIFY_LEFT_SIDE',
      'SIMPLIFY_ARITHMETIC',
      'DIVIDE_FROM_BOTH_SIDES',
      'SIMPLIFY_FRACTION',
      'SIMPLIFY_FRACTION',
    ])
    expect(result.steps[0]?.after.ascii).toBe('(2x + 3) - 3 = 11 - 3')
    expect(result.answer).toEqual({ ascii: 'x = 4', tex: expect.stringContaining('x = 4') })
  })

  it('simplifies expressions and fractions', async () => {
    expect(await solveProblem(pool, '2x + 3x - (4 + 6)/2')).toMatchObject({ ok: true, kind: 'expression', answer: { ascii: '5x - 5' } })
    expect(await solveProblem(pool, '2/3 + 1/4')).toMatchObject({ ok: true, answer: { ascii: '11/12', tex: '\\frac{11}{12}' } })
  })

  it('writes two roots as "x = 2 or x = 3"', async () => {
    expect(await solveProblem(pool, 'x^2 - 5x + 6 = 0')).toMatchObject({ ok: true, answer: { ascii: 'x = 2 or x = 3', tex: 'x = 2 \\quad\\text{or}\\quad x = 3' } })
  })

  it.each([
    ['x^2 = 4', 'unsupported'],
    ['(x+1)^3 = 8', 'unsupported'],
    ['x/0 = 3', 'unverified'],
    ['1/0', 'unsupported'],
    ['Explain photosynthesis', 'not_math'],
    ['(x+1)^40', 'too_complex'],
  ])('says plainly when it cannot help: %j -> %s', async (input, reason) => {
    expect(await solveProblem(pool, input)).toEqual({ ok: false, reason })
  })

  it('kills a runaway job and keeps working', async () => {
    const slow = new SolverPool(50)
    try {
      // (x+1)^3 * (x+2)^3 expands for far longer than 50 ms.
      expect(await slow.run({ kind: 'expression', problem: '(x+1)^3 * (x+2)^3 * (x+3)^3' })).toEqual({ ok: false, reason: 'timeout' })
      // A fresh worker must load mathsteps first; on a loaded machine that can take seconds.
      const patient = new SolverPool(60_000)
      try {
        expect(await patient.run({ kind: 'expression', problem: '1 + 1' })).toMatchObject({ ok: true })
      } finally {
        await patient.close()
      }
    } finally {
      await slow.close()
    }
  })
})
