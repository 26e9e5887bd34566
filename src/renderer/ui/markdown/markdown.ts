import DOMPurify, { type Config } from 'dompurify'
import katex from 'katex'
import MarkdownIt from 'markdown-it'
import { splitMath } from '../../../shared/ai/mathSegments'

/**
 * The one Markdown + maths renderer of the app (the AI panel's answers, the
 * chat, the library's notes). Model output and chat messages are untrusted
 * input. They become HTML in three guarded steps:
 * Markdown without raw HTML (a <script> in a reply is shown as text), maths
 * through KaTeX with `trust: false` (no \href, no \htmlStyle), then
 * DOMPurify over the whole result with a tight tag, attribute and URL policy.
 */
const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false })
// Pictures from a reply would load from anywhere (tracking); links stay links.
md.disable(['image'])
const renderLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]
  token?.attrSet('target', '_blank')
  token?.attrSet('rel', 'noopener noreferrer nofollow')
  return renderLink(tokens, idx, options, env, self)
}

const PURIFY: Config = {
  USE_PROFILES: { html: true, mathMl: true, svg: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'img', 'video', 'audio', 'source'],
  FORBID_ATTR: ['id', 'name', 'srcset', 'formaction', 'action', 'xlink:href', 'href:xlink'],
  ADD_ATTR: ['target'],
  // DOMPurify checks every attribute it does not know to be URI-safe against
  // ALLOWED_URI_REGEXP, so in a browser our strict regexp removed target and
  // rel from every link (a click then took the whole page away from the lesson).
  // Both carry the fixed values link_open sets above, never a URL.
  ADD_URI_SAFE_ATTR: ['target', 'rel'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  ALLOW_DATA_ATTR: false,
}

/** Private-use characters mark where typeset maths goes back in after Markdown. */
const OPEN = '\uE000'
const CLOSE = '\uE001'
const MARKERS = /[\uE000\uE001]/g
const ALONE = new RegExp(`<p>${OPEN}(\\d+)${CLOSE}</p>`, 'g')
const INLINE = new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g')

const texCache = new Map<string, string>()
const TEX_CACHE_MAX = 400

/** One formula as KaTeX HTML (cached: a streaming answer is re-rendered on every token). */
export function renderTex(tex: string, display: boolean): string {
  const key = `${display ? 'D' : 'I'}${tex}`
  const hit = texCache.get(key)
  if (hit !== undefined) return hit
  const html = katex.renderToString(tex, {
    displayMode: display,
    throwOnError: false, // bad TeX shows as red source, not an exception
    strict: 'ignore',
    trust: false,
    maxSize: 20,
    maxExpand: 500,
    output: 'htmlAndMathml',
  })
  if (texCache.size >= TEX_CACHE_MAX) texCache.delete(texCache.keys().next().value ?? '')
  texCache.set(key, html)
  return html
}

/** A reply or message (Markdown with maths, possibly unfinished) as safe HTML. */
export function renderMarkdown(text: string): string {
  const formulas: string[] = []
  let source = ''
  for (const segment of splitMath(text.replace(MARKERS, ''))) {
    if (segment.kind === 'text') {
      source += segment.text
    } else {
      source += `${OPEN}${formulas.length}${CLOSE}`
      formulas.push(renderTex(segment.tex, segment.display))
    }
  }
  const html = md
    .render(source)
    .replace(ALONE, (_, i: string) => `<div class="md-formula">${formulas[Number(i)] ?? ''}</div>`)
    .replace(INLINE, (_, i: string) => formulas[Number(i)] ?? '')
  return sanitize(html)
}

export function sanitize(html: string): string {
  // The leading newline is a text node for DOMPurify to start from: without it
  // happy-dom (the unit tests' DOM) loses the first element's tag. Browsers don't care.
  return DOMPurify.sanitize(`\n${html}`, { ...PURIFY, RETURN_TRUSTED_TYPE: false }) as string
}

/** Plain text of a reply for the clipboard: the Markdown as the model wrote it. */
export function plainText(text: string): string {
  return text.replace(MARKERS, '')
}
