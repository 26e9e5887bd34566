// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('../../../../src/renderer/chat/chatSound', () => ({ playMessageSound: vi.fn() }))

import { playMessageSound } from '../../../../src/renderer/chat/chatSound'
import { useChatStore } from '../../../../src/renderer/chat/stores/chatStore'
import { canRetry } from '../../../../src/renderer/chat/stores/conversation'
import { provideHost } from '../../../../src/renderer/host/current'
import { fakeLessonChannel } from '../lesson/fakeLessonChannel'
import { useRecordingStore } from '../../../../src/renderer/recording/stores/recordingStore'
import type { ChatMessage } from '../../../../src/shared/chat/schema'
import { fakeHost } from '../fakeHost'

const LESSON_ID = '0b7f8d5e-1c2a-4b3d-9e8f-7a6b5c4d3e2f'
const tutor = { id: 'p-tutor', name: 'Ms Li', role: 'tutor' as const }
const student = { id: 'p-student', name: 'Wei', role: 'student' as const }

let seq = 0
function msg(from: typeof tutor | typeof student, text: string): ChatMessage {
  seq += 1
  return { id: crypto.randomUUID(), seq, at: 1_700_000_000_000 + seq * 1000, from, text }
}

function setup(role: 'tutor' | 'student', socketOpen = true) {
  provideHost(fakeHost().host)
  setActivePinia(createPinia())
  return setupInPinia(role, socketOpen)
}

function setupInPinia(role: 'tutor' | 'student', socketOpen = true) {
  const channel = fakeLessonChannel()
  channel.setOpen(socketOpen)
  const self = role === 'tutor' ? tutor : student
  const pass = { server: 'http://127.0.0.1:1', lessonId: LESSON_ID, token: 't', participantId: self.id, role, selfName: self.name, tutorName: 'Ms Li', invite: null }
  const chat = useChatStore()
  chat.attach({ pass, lesson: channel.lesson })
  return { chat, sent: channel.sent, server: channel.server, setOpen: channel.setOpen }
}

beforeEach(() => {
  seq = 0
  vi.mocked(playMessageSound).mockClear()
})

describe('chat store', () => {
  it('takes the history with the server’s unread count while closed, and marks all read when opened', () => {
    const { chat, sent, server } = setup('student')
    const history = [msg(tutor, 'Hello'), msg(student, 'Hi'), msg(tutor, 'Chapter 3 please')]
    server({ type: 'chat-history', reset: true, messages: history, unread: 2, readSeq: 0 })
    expect(chat.messages.map((m) => m.text)).toEqual(['Hello', 'Hi', 'Chapter 3 please'])
    expect(chat.unread).toBe(2)
    chat.setOpen(true)
    expect(chat.unread).toBe(0)
    expect(sent).toContainEqual({ type: 'chat-read', seq: 3 })
  })

  it('counts and sounds a new message while closed; not while open (then it is read at once)', () => {
    const { chat, sent, server } = setup('student')
    server({ type: 'chat-message', message: msg(tutor, 'one') })
    server({ type: 'chat-message', message: msg(tutor, 'two') })
    expect(chat.unread).toBe(2)
    expect(playMessageSound).toHaveBeenCalledTimes(2)
    chat.setOpen(true)
    server({ type: 'chat-message', message: msg(tutor, 'three') })
    expect(chat.unread).toBe(0)
    expect(sent.filter((m) => m.type === 'chat-read').at(-1)).toEqual({ type: 'chat-read', seq: 3 })
    expect(playMessageSound).toHaveBeenCalledTimes(2)
  })

  it('shows its own message as pending until the server’s copy replaces it; a repeated message is not shown twice', () => {
    const { chat, sent, server } = setup('tutor')
    expect(chat.send('  $x^2$  ')).toBe(true)
    const out = sent.find((m) => m.type === 'chat-send')
    expect(out).toMatchObject({ type: 'chat-send', draft: { kind: 'text', text: '$x^2$' } })
    expect(chat.pending).toHaveLength(1)
    const stored = msg(tutor, '$x^2$')
    server({ type: 'chat-message', message: stored, clientId: out?.type === 'chat-send' ? out.clientId : '' })
    expect(chat.pending).toHaveLength(0)
    server({ type: 'chat-history', reset: false, messages: [stored], unread: 0, readSeq: 1 })
    expect(chat.messages).toHaveLength(1)
    // Nothing to send, or too much: refused before the wire.
    expect(chat.send('   ')).toBe(false)
    expect(chat.send('x'.repeat(4001))).toBe(false)
    // One's own messages never count as unread.
    expect(chat.unread).toBe(0)
  })

  it('keeps a refused message with the reason and the wait, and sends it again on Try again', () => {
    const { chat, sent, server } = setup('student')
    chat.send('flood')
    const first = sent.filter((m) => m.type === 'chat-send').at(-1)!
    const clientId = first.type === 'chat-send' ? first.clientId : ''
    server({ type: 'chat-refused', clientId, code: 'rate_limited', message: 'Too many messages', retryAfterSeconds: 3 })
    expect(chat.pending[0]).toMatchObject({ status: 'failed', problem: 'rate_limited', retryAfterSeconds: 3 })
    expect(chat.problem).toEqual({ code: 'rate_limited', retryAfterSeconds: 3 })
    chat.retry(clientId)
    expect(sent.filter((m) => m.type === 'chat-send')).toHaveLength(2)
    expect(chat.pending[0]?.status).toBe('sending')
    expect(chat.problem).toBeNull()
  })

  it('offers no Try again for a refusal of the message itself; Remove takes it away', () => {
    const { chat, sent, server } = setup('student')
    chat.send('a message the server will not take')
    const first = sent.filter((m) => m.type === 'chat-send').at(-1)!
    const clientId = first.type === 'chat-send' ? first.clientId : ''
    server({ type: 'chat-refused', clientId, code: 'bad_request', message: 'Bad message' })
    expect(canRetry(chat.pending[0]?.problem)).toBe(false)
    chat.retry(clientId)
    expect(sent.filter((m) => m.type === 'chat-send')).toHaveLength(1)
    chat.discard(clientId)
    expect(chat.pending).toHaveLength(0)
    expect(chat.problem).toBeNull()
  })

  it('says so when the lesson connection is down instead of losing the message', () => {
    const { chat, setOpen } = setup('student')
    setOpen(false)
    chat.send('are you there?')
    expect(chat.pending[0]).toMatchObject({ status: 'failed', problem: 'offline', text: 'are you there?' })
  })

  it('shows the other person typing until they stop, send, or go quiet', () => {
    vi.useFakeTimers()
    try {
      const { chat, server } = setup('student')
      server({ type: 'chat-typing', from: tutor.id, typing: true })
      expect(chat.peerTyping).toBe(true)
      server({ type: 'chat-message', message: msg(tutor, 'done') })
      expect(chat.peerTyping).toBe(false)
      server({ type: 'chat-typing', from: tutor.id, typing: true })
      vi.advanceTimersByTime(10_000)
      expect(chat.peerTyping).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })

  it('sends typing at most every few seconds, and that it stopped', () => {
    const { chat, sent } = setup('tutor')
    chat.typing(true)
    chat.typing(true)
    chat.typing(true)
    expect(sent.filter((m) => m.type === 'chat-typing')).toEqual([{ type: 'chat-typing', typing: true }])
    chat.typing(false)
    expect(sent.filter((m) => m.type === 'chat-typing').at(-1)).toEqual({ type: 'chat-typing', typing: false })
  })

  it('turns an AI answer into a question for the tutor: quoted in the next message only, and the chat opens', () => {
    const { chat, sent } = setup('student')
    chat.askAboutAiAnswer('  The sum is $\\frac{5}{6}$ because…  ')
    expect(chat.open).toBe(true)
    expect(chat.quoteDraft).toEqual({ source: 'ai-answer', text: 'The sum is $\\frac{5}{6}$ because…' })
    chat.send('Why 6?')
    chat.send('And then?')
    const drafts = sent.flatMap((m) => (m.type === 'chat-send' ? [m.draft] : []))
    expect(drafts).toEqual([
      { kind: 'text', text: 'Why 6?', quote: { source: 'ai-answer', text: 'The sum is $\\frac{5}{6}$ because…' } },
      { kind: 'text', text: 'And then?' },
    ])
    expect(chat.quoteDraft).toBeNull()
  })

  it('offers chat.md for the tutor’s lesson record (a snapshot of the messages); the student’s app offers none', async () => {
    provideHost(fakeHost().host)
    setActivePinia(createPinia())
    const provided = vi.spyOn(useRecordingStore(), 'provideLessonFile')
    const { server } = setupInPinia('tutor')
    server({ type: 'chat-history', reset: true, messages: [msg(tutor, 'See **page 4**'), msg(student, '<script>alert(1)</script>')], unread: 0, readSeq: 0 })
    const source = provided.mock.calls.find(([name]) => name === 'chat.md')?.[1]
    const job = await source!()
    server({ type: 'chat-message', message: msg(tutor, 'after the snapshot') })
    const made = await job!.make()
    const markdown = new TextDecoder().decode(made!.data)
    expect(markdown).toContain('**Ms Li**')
    expect(markdown).toContain('See **page 4**')
    expect(markdown).toContain('<script>alert(1)</script>')
    expect(markdown).not.toContain('after the snapshot')

    setActivePinia(createPinia())
    const studentSpy = vi.spyOn(useRecordingStore(), 'provideLessonFile')
    setupInPinia('student')
    expect(studentSpy).not.toHaveBeenCalled()
  })

  it('offers each file sent in the lesson for the tutor’s record, under its sender’s name, once; withdrawn when the lesson is left', async () => {
    provideHost(fakeHost().host)
    setActivePinia(createPinia())
    const provided = vi.spyOn(useRecordingStore(), 'provideLessonFile')
    const { chat, server } = setupInPinia('tutor')
    const pdf = { id: 'b'.repeat(64), name: 'worksheet', mime: 'application/pdf' as const, kind: 'pdf' as const, bytes: 5 }
    const picture = { id: 'c'.repeat(64), name: 'graph.png', mime: 'image/png' as const, kind: 'image' as const, bytes: 3 }
    const withPdf = { ...msg(student, ''), file: pdf }
    server({ type: 'chat-history', reset: true, messages: [msg(tutor, 'Hello'), withPdf], unread: 0, readSeq: 0 })
    server({ type: 'chat-message', message: { ...msg(tutor, 'Look'), file: picture } })
    // The same history again after a reconnect offers nothing twice.
    server({ type: 'chat-history', reset: true, messages: [withPdf], unread: 0, readSeq: 0 })
    const offered = provided.mock.calls.filter(([name, source]) => name.startsWith('chat-') && source !== null)
    expect(offered.map(([name]) => name)).toEqual(['chat-1.pdf', 'chat-3.png'])

    const fetched = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(new Uint8Array([37, 80, 68, 70, 45])))
    const job = await offered[0]![1]!()
    expect(job?.version).toBe(pdf.id)
    const made = await job!.make()
    expect(made).toEqual({ data: new Uint8Array([37, 80, 68, 70, 45]), label: 'worksheet' })
    expect(String(fetched.mock.calls[0]?.[0])).toContain(`/api/chat/${LESSON_ID}/files/${pdf.id}`)
    fetched.mockRestore()

    provided.mockClear()
    chat.detach()
    expect(provided.mock.calls.filter(([, source]) => source === null).map(([name]) => name).sort()).toEqual(['chat-1.pdf', 'chat-3.png', 'chat.md'])

    setActivePinia(createPinia())
    const studentSpy = vi.spyOn(useRecordingStore(), 'provideLessonFile')
    const asStudent = setupInPinia('student')
    asStudent.server({ type: 'chat-message', message: { ...msg(tutor, ''), file: pdf } })
    expect(studentSpy).not.toHaveBeenCalled()
  })
})
