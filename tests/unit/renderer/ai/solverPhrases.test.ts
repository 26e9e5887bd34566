import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { SOLVER_PHRASES, stepPhrase } from '../../../../src/renderer/ai/solverPhrases'

const mathsteps = createRequire(import.meta.url)('mathsteps') as { ChangeTypes: Record<string, string> }

describe('solver phrases', () => {
  it('word every mathsteps step in both languages', () => {
    const types = Object.keys(mathsteps.ChangeTypes).filter((t) => t !== 'NO_CHANGE')
    for (const locale of ['en', 'zh-CN'] as const) {
      const missing = types.filter((t) => !SOLVER_PHRASES[locale][t])
      expect(missing, locale).toEqual([])
    }
    expect(Object.keys(SOLVER_PHRASES['zh-CN']).sort()).toEqual(Object.keys(SOLVER_PHRASES.en).sort())
  })

  it('fall back to "simplify" for a step type they do not know', () => {
    expect(stepPhrase('en', 'SOMETHING_NEW')).toBe('Simplify')
    expect(stepPhrase('zh-CN', 'SOMETHING_NEW')).toBe('化简')
    expect(stepPhrase('zh-CN', 'SUBTRACT_FROM_BOTH_SIDES')).toMatch(/\p{Script=Han}/u)
  })
})
