import type { AiAction, AiConversation, AiMode } from '../../shared/ai/conversation'
import type { Role } from '../../shared/lesson/lesson'
import type { ChatMessage } from '../../node/ai/proxy'


/** Older turns are dropped past this many characters of history. */
export const HISTORY_BUDGET_CHARS = 24_000
/** "Show me the solution" presses before hint-first gives the full solution. */
export const REVEAL_AFTER = 2

const FORMAT = [
  'Format with Markdown. Write mathematics in LaTeX: \\( ... \\) inline and \\[ ... \\] for displayed equations.',
  'Never use $ for maths (it is read as money). Use fenced code blocks for code.',
  'Reply in the language the user writes in.',
].join(' ')

const HINT_FIRST = [
  'You are Duet, a patient tutor helping a student who is stuck during a live one-to-one lesson.',
  'Teach, do not solve. Give one guiding question or only the next small step, then stop and let the student try.',
  'If the student shared their own attempt, start from it: say what is right, then point to the first mistake without fixing it for them.',
  'Do not give the final answer or a full worked solution, even if asked directly; offer a bigger hint instead.',
  'Keep replies short (a few sentences).',
].join(' ')

const REVEAL_ONCE =
  'The student has asked once to see the full solution. Do not give it yet: work out only the next step for them, encourage them, and tell them they can ask once more if they are still stuck.'

const UNLOCKED =
  'The student may now see the full solution (they asked twice, or the tutor allowed direct answers): give a complete worked solution step by step, then ask one short question to check understanding.'

const DIRECT_STUDENT = [
  'You are Duet, a clear and accurate tutor helping a student during a live one-to-one lesson.',
  'Answer the question directly with a complete, correct, worked solution, step by step, and explain why each step works.',
].join(' ')

const TUTOR = [
  'You are Duet, an assistant to a tutor (a teacher) during a live one-to-one lesson.',
  'Answer directly and completely. When useful, add a short suggestion for how to explain it to the student.',
].join(' ')

/** The system prompt: who the model talks to, and how much it may give away. */
export function systemPrompt(role: Role, mode: AiMode, revealRequests: number): string {
  if (role === 'tutor') return `${TUTOR}\n\n${FORMAT}`
  if (mode === 'direct') return `${DIRECT_STUDENT}\n\n${FORMAT}`
  const reveal = revealRequests >= REVEAL_AFTER ? `\n\n${UNLOCKED}` : revealRequests === 1 ? `\n\n${REVEAL_ONCE}` : ''
  return `${HINT_FIRST}${reveal}\n\n${FORMAT}`
}

const LANGUAGE_NOTE: Record<string, string> = { 'zh-CN': ' Reply in Simplified Chinese.', en: ' Reply in English.' }

/** The words sent to the model for a follow-up button; the panel shows its own translated label. */
export function actionText(action: Exclude<AiAction, 'ask' | 'retry'>, role: Role, mode: AiMode, locale: string | undefined): string {
  const language = locale ? (LANGUAGE_NOTE[locale] ?? '') : ''
  switch (action) {
    case 'simpler':
      return `Please explain your last answer more simply: shorter sentences, everyday words and one concrete example.${language}`
    case 'practice':
      return role === 'tutor' || mode === 'direct'
        ? `Write one new practice problem like the one we just discussed, with different numbers. Put its answer after it under a heading "Answer".${language}`
        : `Give me one new practice problem like the one we just discussed, with different numbers. Do not include the answer or the solution.${language}`
    case 'reveal':
      return `Please show me the full solution.${language}`
  }
}

/** The user's turn: the question, plus the student's own working so hints can start from it. */
export function userText(question: string, attempt: string | undefined): string {
  return attempt ? `${question}\n\nMy attempt so far:\n${attempt}` : question
}

/**
 * The messages sent upstream: system prompt, as much recent history as fits
 * (partial and stopped answers included: they are what the person saw), and
 * the new turn, with the picture as an image_url part when there is one.
 */
export function buildMessages(opts: {
  system: string
  history: AiConversation['messages']
  text: string
  image?: string
}): ChatMessage[] {
  const history: ChatMessage[] = []
  let budget = HISTORY_BUDGET_CHARS
  for (let i = opts.history.length - 1; i >= 0; i--) {
    const message = opts.history[i]
    if (!message || (message.role === 'assistant' && !message.text)) continue
    const content = message.role === 'user' ? userText(message.text, message.attempt) : message.text
    budget -= content.length
    if (budget < 0) break
    const next = history[0]
    // Some chat templates insist that turns alternate: a question whose answer failed joins the next one.
    if (next?.role === message.role && typeof next.content === 'string') next.content = `${content}\n\n${next.content}`
    else history.unshift({ role: message.role, content })
  }
  // ...and that the first turn after the system prompt is the user's.
  while (history[0]?.role === 'assistant') history.shift()
  let text = opts.text
  const last = history.at(-1)
  if (last?.role === 'user' && typeof last.content === 'string') {
    text = `${last.content}\n\n${text}`
    history.pop()
  }
  const content: ChatMessage['content'] = opts.image
    ? [
        { type: 'text', text },
        { type: 'image_url', image_url: { url: opts.image } },
      ]
    : text
  return [{ role: 'system', content: opts.system }, ...history, { role: 'user', content }]
}
