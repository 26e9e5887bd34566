import { describe, expect, it } from 'vitest'
import { buildMessages, HISTORY_BUDGET_CHARS, systemPrompt } from '../../../../src/server/ai/prompts'
import { quotaOf, refundQuestion, takeQuestion } from '../../../../src/server/ai/quota'
import { trimRecord } from '../../../../src/server/ai/records'
import { emptyRecord } from '../../../../src/server/ai/store'
import { estimateTokens, parseRetryAfter, providerMessage, redact, TokenCounter } from '../../../../src/node/ai/upstream'
import { conversationToMarkdown, type AiMessage } from '../../../../src/shared/ai/conversation'

const msg = (role: 'user' | 'assistant', text: string, extra: Partial<AiMessage> = {}): AiMessage => ({ id: text, role, text, at: 0, status: 'complete', ...extra })

describe('buildMessages', () => {
  it('keeps turns alternating: a question whose answer failed joins the next', () => {
    const out = buildMessages({ system: 'S', history: [msg('user', 'a'), msg('assistant', '', { status: 'error' }), msg('user', 'b')], text: 'c' })
    expect(out).toEqual([
      { role: 'system', content: 'S' },
      { role: 'user', content: 'a\n\nb\n\nc' },
    ])
  })

  it('drops the oldest turns past the budget and never starts with the assistant', () => {
    const long = 'x'.repeat(HISTORY_BUDGET_CHARS / 2)
    const out = buildMessages({ system: 'S', history: [msg('user', 'old'), msg('assistant', long), msg('user', long), msg('assistant', 'recent')], text: 'now' })
    expect(out.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user'])
    expect(JSON.stringify(out)).not.toContain('old')
    const tight = buildMessages({ system: 'S', history: [msg('user', long), msg('assistant', long + long)], text: 'now' })
    expect(tight.map((m) => m.role)).toEqual(['system', 'user'])
  })

  it('includes the attempt of earlier questions', () => {
    const out = buildMessages({ system: 'S', history: [msg('user', 'q', { attempt: 'my try' }), msg('assistant', 'hint')], text: 'next' })
    expect(out[1]).toEqual({ role: 'user', content: 'q\n\nMy attempt so far:\nmy try' })
  })
})

describe('systemPrompt', () => {
  it('gets more generous with each reveal request only for hint-first students', () => {
    expect(systemPrompt('student', 'hint-first', 0)).not.toMatch(/full solution \(|may now see/)
    expect(systemPrompt('student', 'hint-first', 1)).toMatch(/asked once/)
    expect(systemPrompt('student', 'hint-first', 2)).toMatch(/may now see the full solution/)
    expect(systemPrompt('student', 'direct', 0)).toMatch(/directly/)
    expect(systemPrompt('tutor', 'hint-first', 0)).toMatch(/tutor/)
    for (const p of [systemPrompt('student', 'hint-first', 0), systemPrompt('tutor', 'direct', 0)]) expect(p).toMatch(/\\\(/)
  })
})

describe('quota', () => {
  it('counts per local day and gives back refunds', () => {
    const record = emptyRecord('00000000-0000-4000-8000-000000000000')
    const day = new Date(2030, 0, 1, 10).getTime()
    expect(takeQuestion(record, 2, day)).toEqual({ ok: true })
    expect(takeQuestion(record, 2, day)).toEqual({ ok: true })
    const refused = takeQuestion(record, 2, day)
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 14 * 3600 })
    refundQuestion(record, day)
    expect(quotaOf(record, 2, day).used).toBe(1)
    const nextDay = new Date(2030, 0, 2, 0, 0, 1).getTime()
    expect(quotaOf(record, 2, nextDay).used).toBe(0)
    expect(takeQuestion(record, 2, nextDay)).toEqual({ ok: true })
  })
})

describe('trimRecord', () => {
  it('drops the oldest messages until the record fits', () => {
    const record = emptyRecord('00000000-0000-4000-8000-000000000000')
    record.conversations.push({ id: 'c', createdAt: 0, owner: { id: 'student', role: 'student', name: 'S' }, revealRequests: 0, messages: Array.from({ length: 10 }, (_, i) => msg('user', `${i}`.padEnd(1000, '.'))) })
    trimRecord(record, 5000)
    expect(JSON.stringify(record).length).toBeLessThanOrEqual(5000)
    expect(record.conversations[0]?.messages.at(-1)?.text.startsWith('9')).toBe(true)
  })
})

describe('upstream helpers', () => {
  it('reads both Retry-After forms', () => {
    const now = Date.UTC(2030, 0, 1)
    expect(parseRetryAfter('12', now)).toBe(12)
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })

  it('redacts keys from provider messages', () => {
    expect(redact('bad key sk-abcdefghijkl', undefined)).toBe('bad key [redacted]')
    expect(redact('mine: MYKEY', 'MYKEY')).toBe('mine: [redacted]')
    expect(providerMessage('{"error":{"message":"Incorrect key sk-1234567890"}}', undefined)).toBe('Incorrect key [redacted]')
    expect(providerMessage('x'.repeat(1000), undefined)).toHaveLength(300)
  })

  it('estimates tokens for Latin and CJK text, also streamed', () => {
    expect(estimateTokens('abcd'.repeat(10))).toBe(10)
    expect(estimateTokens('数学很有趣')).toBe(5)
    const counter = new TokenCounter()
    for (const ch of 'abcd'.repeat(10)) counter.add(ch)
    expect(counter.total).toBe(10)
  })
})

describe('conversationToMarkdown', () => {
  it('writes questions as quotes and answers as Markdown', () => {
    const md = conversationToMarkdown(
      { messages: [msg('user', 'What is \\(x\\)?\nline 2', { attempt: 'x=1', image: true }), msg('assistant', 'It is **4**.', { status: 'stopped' })] },
      { title: 'AI help', you: 'Question', assistant: 'Answer', attempt: 'My attempt', image: 'picture attached', stopped: 'stopped early', error: 'failed' },
      'Lesson with Ms Li',
    )
    expect(md).toBe(
      '# AI help\n\n_Lesson with Ms Li_\n\n## Question\n\n> What is \\(x\\)?\n> line 2\n\n**My attempt:**\n\n> x=1\n\n_(picture attached)_\n\n### Answer\n\nIt is **4**.\n\n_(stopped early)_\n',
    )
  })
})
