// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../../../../src/renderer/ui/markdown/markdown'
import { XSS, assertInert, mount } from '../../../../support/xss'

describe('renderMarkdown sanitizes model output', () => {
  it.each(XSS)('%j renders inert', (payload) => {
    const host = mount(renderMarkdown(payload))
    assertInert(host)
  })

  it('keeps the whole list inert in one reply too', () => {
    assertInert(mount(renderMarkdown(XSS.join('\n\n'))))
  })

  it('shows raw HTML from a reply as text', () => {
    const host = mount(renderMarkdown('Try <script>alert(1)</script> now'))
    expect(host.textContent).toContain('<script>alert(1)</script>')
  })

  it('keeps safe links, opening outside the app', () => {
    const link = mount(renderMarkdown('See [docs](https://example.com/a?b=1)')).querySelector('a')
    expect(link?.getAttribute('href')).toBe('https://example.com/a?b=1')
    expect(link?.getAttribute('target')).toBe('_blank')
    expect(link?.getAttribute('rel')).toBe('noopener noreferrer nofollow')
  })
})

describe('renderMarkdown typesets maths', () => {
  it('renders \\( \\), \\[ \\], $ and $$ with KaTeX', () => {
    const host = mount(renderMarkdown('Inline \\(x^2\\) and $y_1$.\n\n\\[\\frac{a}{b}\\]\n\n$$\\sqrt{2}$$'))
    expect(host.querySelectorAll('.katex').length).toBe(4)
    expect(host.querySelectorAll('.katex-display').length).toBe(2)
    expect(host.querySelectorAll('.md-formula').length).toBe(2)
    expect(host.querySelector('annotation')?.textContent).toBe('x^2')
  })

  it('leaves prices alone', () => {
    const host = mount(renderMarkdown('A ticket costs $120. Lunch costs $5 and $10 for two.'))
    expect(host.querySelectorAll('.katex').length).toBe(0)
    expect(host.textContent?.trim()).toBe('A ticket costs $120. Lunch costs $5 and $10 for two.')
  })

  it('keeps maths in code as code', () => {
    const host = mount(renderMarkdown('```\nx = $a$\n```'))
    expect(host.querySelectorAll('.katex').length).toBe(0)
    expect(host.querySelector('pre code')?.textContent).toBe('x = $a$\n')
  })

  it('shows bad TeX as text instead of failing', () => {
    const host = mount(renderMarkdown('\\(\\frac{1}{\\)'))
    expect(host.textContent).toContain('\\frac{1}{')
  })

  it('renders an unfinished streaming answer without breaking', () => {
    for (const partial of ['Let \\(x', 'Let $$x^2', '```py\nprint(', '**bold']) expect(() => renderMarkdown(partial)).not.toThrow()
  })

  it('keeps Markdown around maths: emphasis, lists and underscores in formulas', () => {
    const host = mount(renderMarkdown('- **Step 1:** $a_1 + a_2$ and _so_ on'))
    expect(host.querySelector('li strong')?.textContent).toBe('Step 1:')
    expect(host.querySelector('li em')?.textContent).toBe('so')
    expect(host.querySelector('li .katex annotation')?.textContent).toBe('a_1 + a_2')
  })
})
