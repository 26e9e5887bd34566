/**
 * Finds the maths in a model's Markdown answer so it can be typeset with
 * KaTeX while everything else goes through the Markdown renderer.
 *
 * Delimiters: \( \) and $ $ inline; \[ \] and $$ $$ display. Code (fenced
 * blocks and `spans`) is never maths. A single $ follows Pandoc's rule so
 * prices stay prices: the opening $ is followed by a non-space, the closing $
 * is preceded by a non-space and not followed by a digit, and both sit on one
 * line: "costs $5 and $10" and "$120" are plain text.
 */
export type MathSegment =
  | { kind: 'text'; text: string }
  | { kind: 'math'; tex: string; display: boolean; raw: string }

/** Longer "maths" is left as text: a stray delimiter should not swallow a whole answer. */
export const MAX_MATH_CHARS = 4000

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/

export function splitMath(src: string): MathSegment[] {
  const out: MathSegment[] = []
  let text = ''
  let i = 0
  const flushText = (): void => {
    if (text) out.push({ kind: 'text', text })
    text = ''
  }
  const emitMath = (raw: string, tex: string, display: boolean): void => {
    flushText()
    out.push({ kind: 'math', tex, display, raw })
  }

  while (i < src.length) {
    const ch = src[i]
    if ((i === 0 || src[i - 1] === '\n') && (ch === ' ' || ch === '`' || ch === '~')) {
      const end = fencedBlockEnd(src, i)
      if (end !== -1) {
        text += src.slice(i, end)
        i = end
        continue
      }
    }
    if (ch === '`') {
      const end = codeSpanEnd(src, i)
      text += src.slice(i, end)
      i = end
      continue
    }
    if (ch === '\\') {
      const next = src[i + 1]
      if (next === '(' || next === '[') {
        const close = next === '(' ? '\\)' : '\\]'
        const end = src.indexOf(close, i + 2)
        const tex = end === -1 ? '' : src.slice(i + 2, end)
        if (end !== -1 && tex.trim() && tex.length <= MAX_MATH_CHARS && (next === '[' || !tex.includes('\n\n'))) {
          emitMath(src.slice(i, end + 2), tex.trim(), next === '[')
          i = end + 2
          continue
        }
      }
      // Any other escape (\$, \\, \*) is kept whole so its second character is never a delimiter.
      text += src.slice(i, i + 2)
      i += 2
      continue
    }
    if (ch === '$') {
      const found = src[i + 1] === '$' ? displayDollar(src, i) : inlineDollar(src, i)
      if (found) {
        emitMath(src.slice(i, found.end), found.tex, found.display)
        i = found.end
        continue
      }
      // "$$" that does not close is two literal dollars, not an opening for the second one.
      const literal = src[i + 1] === '$' ? 2 : 1
      text += src.slice(i, i + literal)
      i += literal
      continue
    }
    text += ch
    i++
  }
  flushText()
  return out
}

/** End (exclusive) of a fenced code block opening at line start `i`, or -1 if this line is no fence. */
function fencedBlockEnd(src: string, i: number): number {
  const lineEnd = src.indexOf('\n', i)
  const first = src.slice(i, lineEnd === -1 ? src.length : lineEnd)
  const open = FENCE_OPEN.exec(first)
  if (!open?.[1]) return -1
  const fence = open[1]
  // A backtick fence's info string may not contain backticks (CommonMark).
  if (fence[0] === '`' && first.slice(open[0].length).includes('`')) return -1
  let pos = lineEnd === -1 ? src.length : lineEnd + 1
  while (pos < src.length) {
    const next = src.indexOf('\n', pos)
    const line = src.slice(pos, next === -1 ? src.length : next)
    const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line)
    if (close?.[1] && close[1][0] === fence[0] && close[1].length >= fence.length) return next === -1 ? src.length : next + 1
    pos = next === -1 ? src.length : next + 1
  }
  // Unclosed (an answer still streaming): code to the end.
  return src.length
}

/** End (exclusive) of a code span starting at `i`; an unmatched backtick run is literal. */
function codeSpanEnd(src: string, i: number): number {
  let n = 0
  while (src[i + n] === '`') n++
  let pos = i + n
  for (;;) {
    const found = src.indexOf('`'.repeat(n), pos)
    if (found === -1) return i + n
    let run = 0
    while (src[found + run] === '`') run++
    if (run === n) return found + n
    pos = found + run
  }
}

function displayDollar(src: string, i: number): { tex: string; end: number; display: true } | null {
  const end = src.indexOf('$$', i + 2)
  if (end === -1) return null
  const tex = src.slice(i + 2, end)
  if (!tex.trim() || tex.length > MAX_MATH_CHARS) return null
  return { tex: tex.trim(), end: end + 2, display: true }
}

function inlineDollar(src: string, i: number): { tex: string; end: number; display: false } | null {
  const first = src[i + 1]
  if (first === undefined || /\s/.test(first)) return null
  const lineEnd = src.indexOf('\n', i)
  const limit = Math.min(lineEnd === -1 ? src.length : lineEnd, i + 1 + MAX_MATH_CHARS)
  for (let j = i + 1; j < limit; j++) {
    const ch = src[j]
    if (ch === '\\') {
      j++ // \$ inside maths is an escaped dollar, never the closing one
      continue
    }
    if (ch !== '$') continue
    const before = src[j - 1] ?? ''
    const after = src[j + 1] ?? ''
    // A $ preceded by a space opens the next span at best; "$5 and $10" is two prices.
    if (/\s/.test(before) || /\d/.test(after) || after === '$') return null
    return { tex: src.slice(i + 1, j), end: j + 1, display: false }
  }
  return null
}
