// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../../../src/renderer/ai/markdown'

/** Replies a hostile or confused model might send. */
const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](java\nscript:alert(1))',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[vb](vbscript:msgbox(1))',
  '![x](x" onerror="alert(1))',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<input autofocus onfocus=alert(1)>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<style>body{display:none}</style>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '$\\href{javascript:alert(1)}{x}$',
  '\\(\\url{javascript:alert(1)}\\)',
  '$$\\htmlId{x}{\\text{y}}$$',
  '\\[\\htmlStyle{color:red}{x}\\]',
  '\\(\\includegraphics{x}\\)',
  '<a href="https://ok.example" onclick="alert(1)">ok</a>',
  '```html\n<script>alert(1)</script>\n```',
  '`<img src=x onerror=alert(1)>`',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '\uE0000\uE001<script>alert(1)</script>',
]

function mount(html: string): HTMLElement {
  const host = document.createElement('div')
  host.innerHTML = html
  return host
}

function assertInert(host: HTMLElement): void {
  expect(host.querySelectorAll('script, iframe, object, embed, form, input, button, style, meta, base, img').length).toBe(0)
  for (const el of host.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      expect(attr.startsWith('on'), `${el.tagName} ${attr}`).toBe(false)
      const value = el.getAttribute(attr) ?? ''
      if (['href', 'src', 'action', 'xlink:href', 'formaction'].includes(attr)) expect(value).toMatch(/^(https?:|mailto:)/i)
    }
  }
}

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
    expect(host.querySelectorAll('.ai-formula').length).toBe(2)
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
