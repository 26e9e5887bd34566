import { describe, expect, it } from 'vitest'
import { splitMath, type MathSegment } from '../../../../src/shared/ai/mathSegments'

const maths = (src: string) => splitMath(src).filter((s): s is Extract<MathSegment, { kind: 'math' }> => s.kind === 'math').map((s) => [s.tex, s.display])
const rejoined = (src: string) => splitMath(src).map((s) => (s.kind === 'text' ? s.text : s.raw)).join('')

describe('splitMath', () => {
  it.each([
    ['\\(x^2\\) and \\[\\frac{a}{b}\\]', [['x^2', false], ['\\frac{a}{b}', true]]],
    ['Inline $a+b$ and display $$\\sum_i i$$.', [['a+b', false], ['\\sum_i i', true]]],
    ['$$\nx = 1\n$$', [['x = 1', true]]],
    ['\\[\n  a^2 + b^2 = c^2\n\\]', [['a^2 + b^2 = c^2', true]]],
    ['Both $x$ and $y$ here', [['x', false], ['y', false]]],
    ['$5 and $10 and $x$', [['x', false]]],
    ['where $\\$5$ is money in maths', [['\\$5', false]]],
  ])('finds the maths in %j', (src, expected) => {
    expect(maths(src)).toEqual(expected)
  })

  it.each([
    'The book costs $120.',
    'It costs $5 and $10 together.',
    'Between $3.50, $4.20 and $5',
    'From $5-$10 per hour',
    'I paid $5 and you paid 6 $ more',
    'Escaped \\$x\\$ stays text',
    'A lone $ sign',
    'Two $$ signs without an end',
    '$ x$ has a space after the opening',
    '$x $ has a space before the closing',
  ])('leaves %j as text', (src) => {
    expect(maths(src)).toEqual([])
    expect(rejoined(src)).toBe(src)
  })

  it('never finds maths in code', () => {
    const src = 'Run `echo $HOME and $PATH`:\n\n```bash\nprice=$5\necho "$x$"\n```\n\nand\n~~~\n$$ not maths $$\n~~~'
    expect(maths(src)).toEqual([])
    expect(rejoined(src)).toBe(src)
  })

  it('treats an unclosed fence (an answer still streaming) as code to the end', () => {
    expect(maths('Look:\n```\n$x$ \\(y\\)')).toEqual([])
  })

  it('keeps every character of the source, in order', () => {
    const src = 'Solve \\(2x+3=11\\): subtract $3$, then $$x=4$$; costs $5 and $10. `$code$` \\[ \\] $$ $'
    expect(rejoined(src)).toBe(src)
  })

  it('does not let inline $ run across lines or swallow a huge answer', () => {
    expect(maths('$a\nb$')).toEqual([])
    expect(maths('\\(' + 'x'.repeat(5000) + '\\)')).toEqual([])
  })
})
