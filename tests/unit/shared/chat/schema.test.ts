import { describe, expect, it } from 'vitest'
import { cleanFileName } from '../../../../src/shared/chat/files'
import { MAX_CHAT_TEXT_CHARS } from '../../../../src/shared/chat/limits'
import { ChatDraftSchema } from '../../../../src/shared/chat/schema'
import { ClientMessageSchema, parseMessage } from '../../../../src/shared/lesson/signaling'

const send = (draft: unknown) => parseMessage(ClientMessageSchema, JSON.stringify({ type: 'chat-send', clientId: 'c1', draft }))

describe('chat drafts', () => {
  it('accept text with Markdown and maths, a quote, and a file with a caption', () => {
    expect(ChatDraftSchema.parse({ kind: 'text', text: 'Why is $\\frac{1}{2}$ **half**?' })).toMatchObject({ kind: 'text' })
    expect(ChatDraftSchema.parse({ kind: 'text', text: 'Why?', quote: { source: 'ai-answer', text: 'Because…' } })).toMatchObject({ quote: { source: 'ai-answer' } })
    expect(ChatDraftSchema.parse({ kind: 'file', fileId: 'f'.repeat(64) })).toEqual({ kind: 'file', fileId: 'f'.repeat(64), text: '' })
  })

  it.each([
    ['an unknown kind', { kind: 'poll', text: 'vote' }],
    ['no kind', { text: 'hi' }],
    ['empty text', { kind: 'text', text: '   \n ' }],
    ['text one over the limit', { kind: 'text', text: 'x'.repeat(MAX_CHAT_TEXT_CHARS + 1) }],
    ['a file id that is not a SHA-256', { kind: 'file', fileId: '../../etc/passwd' }],
    ['a quote from an unknown source', { kind: 'text', text: 'hi', quote: { source: 'web', text: 'x' } }],
    ['a non-string text', { kind: 'text', text: { $gt: '' } }],
  ])('refuse %s, with the reason', (_name, draft) => {
    const parsed = send(draft)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.error).toMatch(/draft/)
  })

  it('refuse a client id that could be anything', () => {
    expect(parseMessage(ClientMessageSchema, JSON.stringify({ type: 'chat-send', clientId: '<img>', draft: { kind: 'text', text: 'x' } })).ok).toBe(false)
  })

  it('keep text at exactly the limit', () => {
    expect(send({ kind: 'text', text: 'x'.repeat(MAX_CHAT_TEXT_CHARS) }).ok).toBe(true)
  })
})

describe('cleanFileName', () => {
  it.each([
    ['C:\\Users\\wei\\homework.pdf', 'homework.pdf'],
    ['/etc/passwd', 'passwd'],
    ['a\u0000b\u202e.pdf', 'ab.pdf'],
    ['', 'file'],
    ['   ', 'file'],
    ['作业 第三题.png', '作业 第三题.png'],
    ['x'.repeat(500), 'x'.repeat(120)],
  ])('%j -> %j', (raw, clean) => {
    expect(cleanFileName(raw)).toBe(clean)
  })
})
