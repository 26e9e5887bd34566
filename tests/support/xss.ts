import { expect } from 'vitest'

/** What a hostile model or chat partner might send: the AI panel and the chat are tested against the same list. */
export const XSS = [
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

export function mount(html: string): HTMLElement {
  const host = document.createElement('div')
  host.innerHTML = html
  return host
}

export function assertInert(host: HTMLElement): void {
  expect(host.querySelectorAll('script, iframe, object, embed, form, input, button, style, meta, base, img').length).toBe(0)
  for (const el of host.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      expect(attr.startsWith('on'), `${el.tagName} ${attr}`).toBe(false)
      const value = el.getAttribute(attr) ?? ''
      if (['href', 'src', 'action', 'xlink:href', 'formaction'].includes(attr)) expect(value).toMatch(/^(https?:|mailto:)/i)
    }
  }
}

