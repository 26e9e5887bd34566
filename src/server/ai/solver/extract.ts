import { MAX_SOLVER_INPUT_CHARS } from '../../../shared/ai/limits'

export type Extracted =
  | { ok: true; kind: 'equation' | 'expression'; problem: string }
  | { ok: false; reason: 'not_math' | 'too_complex' }

/** Leading words people type before the maths ("Solve for x:", "化简"). */
const LEAD_IN =
  /^(?:please\s+|can you\s+|could you\s+|help me\s+)*(?:solve|simplify|calculate|compute|evaluate|work out|expand|what is|what's|find(?: the value of)?|求解|解方程|解|化简|计算|求值|求)(?:\s+for\s+[a-z])?\s*[:：,，]?\s*/i
/** Words allowed inside the maths: functions mathsteps knows. */
const FUNCTIONS = new Set(['sqrt', 'abs'])
/** Short English words that would otherwise read as products of variables. */
const WORDS = new Set(['is', 'the', 'and', 'of', 'for', 'to', 'a', 'an', 'if', 'in', 'me', 'by', 'what', 'how', 'be'])

/** Typographic and full-width forms people paste, mapped to what the parser reads. */
function normalise(text: string): string {
  return text
    .replace(/²/g, '^2') // before NFKC, which would make x² into x2
    .replace(/³/g, '^3')
    .normalize('NFKC') // full-width ＝（）＋ and digits
    .replace(/[×·∙⋅]/g, '*')
    .replace(/÷/g, '/')
    .replace(/[−–—]/g, '-')
    .replace(/√\s*\(/g, 'sqrt(')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * The maths in what the person typed, checked against what the old solver
 * handles safely: arithmetic and one-unknown algebra with small numbers and
 * small exponents (mathsteps expands (x+1)^50 for seconds).
 */
export function extractProblem(input: string): Extracted {
  let text = normalise(input)
  text = text.replace(LEAD_IN, '')
  text = text.replace(/[?？.。!！]+$/, '').trim()
  if (!text) return { ok: false, reason: 'not_math' }
  if (!/^[0-9a-z+\-*/^().=\s,]+$/i.test(text)) return { ok: false, reason: 'not_math' }
  for (const word of text.toLowerCase().match(/[a-z]{2,}/g) ?? []) {
    if (!FUNCTIONS.has(word) && (word.length > 3 || WORDS.has(word))) return { ok: false, reason: 'not_math' }
  }
  if (/\b(?:is|the|and)\b/i.test(text)) return { ok: false, reason: 'not_math' }
  if (!/[0-9a-z]/i.test(text)) return { ok: false, reason: 'not_math' }
  if (text.includes(',')) return { ok: false, reason: 'not_math' }
  const equals = text.split('=').length - 1
  if (equals > 1) return { ok: false, reason: 'not_math' }
  if (equals === 1 && text.split('=').some((side) => !side.trim())) return { ok: false, reason: 'not_math' }
  if (text.length > MAX_SOLVER_INPUT_CHARS) return { ok: false, reason: 'too_complex' }
  if (!balanced(text)) return { ok: false, reason: 'not_math' }
  if (tooHeavy(text)) return { ok: false, reason: 'too_complex' }
  return { ok: true, kind: equals === 1 ? 'equation' : 'expression', problem: text }
}

function balanced(text: string): boolean {
  let depth = 0
  for (const ch of text) {
    if (ch === '(') depth++
    if (ch === ')' && --depth < 0) return false
  }
  return depth === 0
}

/** Big numbers, deep nesting and large powers make mathsteps slow or overflow. */
function tooHeavy(text: string): boolean {
  if (/\d{10,}/.test(text)) return true
  if ((text.match(/\^/g)?.length ?? 0) > 4) return true
  // Exponents must be plain small integers; a power of a bracket expands, so it stays smaller.
  for (const match of text.matchAll(/(\)?)\s*\^\s*(\(?)\s*(-?\d+(?:\.\d+)?|[a-z])?/gi)) {
    const [, closeParen, openParen, exponent] = match
    if (openParen || exponent === undefined) return true
    if (/[a-z]/i.test(exponent)) return true
    const value = Number(exponent)
    if (!Number.isInteger(value) || Math.abs(value) > (closeParen ? 3 : 12)) return true
  }
  let depth = 0
  for (const ch of text) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (depth > 6) return true
  }
  return false
}
