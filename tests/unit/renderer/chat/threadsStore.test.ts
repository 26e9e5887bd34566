// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { ThreadClientMessage, ThreadServerMessage } from '../../../../src/shared/chat/thread'

vi.mock('../../../../src/renderer/chat/chatSound', () => ({ playMessageSound: vi.fn() }))

/** The socket as the store sees it: what it sent, and a way to play the server. */
const socket = vi.hoisted(() => ({ sent: [] as unknown[], server: (_m: unknown) => {}, open: true }))
vi.mock('../../../../src/renderer/chat/ThreadSocket', () => ({
  ThreadSocket: class {
    constructor(_server: string, _token: string, onMessage: (m: unknown) => void, onState: (s: string) => void) {
      socket.server = onMessage
      onState('open')
    }
    send(message: unknown): boolean {
      if (socket.open) socket.sent.push(message)
      return socket.open
    }
    close(): void {}
  },
}))

import { playMessageSound } from '../../../../src/renderer/chat/chatSound'
import { useThreadsStore } from '../../../../src/renderer/chat/stores/threadsStore'
import { provideHost } from '../../../../src/renderer/host/current'
import type { ChatMessage } from '../../../../src/shared/chat/schema'
import { fakeHost } from '../fakeHost'

const WEI = '6f1c2a4e-8d1b-4c7a-9e2f-0a1b2c3d4e5f'
const ANA = '0b7f8d5e-1c2a-4b3d-9e8f-7a6b5c4d3e2f'
const weiThread = `thread-${WEI}`
const anaThread = `thread-${ANA}`
const tutor = { id: 'li', name: 'Ms Li', role: 'tutor' as const }
const wei = { id: WEI, name: 'Wei', role: 'student' as const }

let seq = 0
const msg = (from: typeof tutor | typeof wei, text: string): ChatMessage => ({ id: crypto.randomUUID(), seq: ++seq, at: 1_700_000_000_000 + seq, from, text })
const server = (m: ThreadServerMessage): void => socket.server(m)
const sent = (): ThreadClientMessage[] => socket.sent as ThreadClientMessage[]

function signedInAsTutor() {
  const fake = fakeHost()
  provideHost(fake.host)
  setActivePinia(createPinia())
  const threads = useThreadsStore()
  threads.connect({ server: 'http://127.0.0.1:1', token: 'duet-tutor-key' })
  server({
    type: 'thread-welcome',
    self: tutor,
    role: 'tutor',
    threads: [
      { thread: weiThread, studentId: WEI, studentName: 'Wei', tutorName: 'Ms Li', unread: 2, lastAt: 1 },
      { thread: anaThread, studentId: ANA, studentName: 'Ana', tutorName: 'Ms Li', unread: 0, lastAt: 1 },
    ],
  })
  return { threads, notifications: fake.host.notifications.show }
}

beforeEach(() => {
  seq = 0
  socket.sent.length = 0
  socket.open = true
  vi.mocked(playMessageSound).mockClear()
  vi.spyOn(document, 'hasFocus').mockReturnValue(true)
})

describe('threads store', () => {
  it('keeps unread counts per thread; a message in a thread not on screen counts, sounds and notifies with the thread as tag', () => {
    const { threads, notifications } = signedInAsTutor()
    expect([threads.unread.get(weiThread), threads.unread.get(anaThread), threads.totalUnread]).toEqual([2, 0, 2])
    server({ type: 'chat-message', thread: anaThread, message: msg({ ...wei, id: ANA, name: 'Ana' }, 'Can we move Thursday?') })
    expect(threads.unread.get(anaThread)).toBe(1)
    expect(playMessageSound).toHaveBeenCalledTimes(1)
    expect(notifications).toHaveBeenCalledWith({ title: 'Message from Ana', body: 'Can we move Thursday?', tag: anaThread })
  })

  it('a thread on screen asks for its history, reads what is there and what arrives (no sound, no notification)', () => {
    const { threads, notifications } = signedInAsTutor()
    threads.show(weiThread)
    expect(sent()).toContainEqual({ type: 'thread-open', thread: weiThread })
    server({ type: 'chat-history', thread: weiThread, reset: true, messages: [msg(wei, 'one'), msg(wei, 'two')], unread: 2, readSeq: 0 })
    expect(threads.unread.get(weiThread)).toBe(0)
    expect(threads.threadOf(weiThread).newAfter).toBe(0)
    expect(sent()).toContainEqual({ type: 'chat-read', thread: weiThread, seq: 2 })
    server({ type: 'chat-message', thread: weiThread, message: msg(wei, 'three') })
    expect(sent().at(-1)).toEqual({ type: 'chat-read', thread: weiThread, seq: 3 })
    expect(playMessageSound).not.toHaveBeenCalled()
    expect(notifications).not.toHaveBeenCalled()
    // Off screen again: the next one counts.
    threads.hide(weiThread)
    server({ type: 'chat-message', thread: weiThread, message: msg(wei, 'four') })
    expect(threads.unread.get(weiThread)).toBe(1)
  })

  it('a thread read on another of this person\'s devices loses its unread count here too, without sending a read mark back', () => {
    const { threads } = signedInAsTutor()
    expect(threads.totalUnread).toBe(2)
    server({ type: 'chat-read', thread: weiThread, readSeq: 2, unread: 0 })
    expect([threads.unread.get(weiThread), threads.totalUnread]).toEqual([0, 0])
    expect(threads.threadOf(weiThread).readSeq).toBe(2)
    // Shown here later: nothing up to that mark is read again.
    threads.show(weiThread)
    server({ type: 'chat-history', thread: weiThread, reset: false, messages: [msg(wei, 'one'), msg(wei, 'two')], unread: 0, readSeq: 2 })
    expect(sent().filter((m) => m.type === 'chat-read')).toEqual([])
  })

  it('shows its own message pending until the server’s copy comes; a refusal says why; offline it is not sent', () => {
    const { threads } = signedInAsTutor()
    expect(threads.send(weiThread, '  See $x^2$  ')).toBe(true)
    const out = sent().find((m) => m.type === 'chat-send')
    expect(out).toMatchObject({ thread: weiThread, draft: { kind: 'text', text: 'See $x^2$' } })
    expect(threads.threadOf(weiThread).pending).toHaveLength(1)
    server({ type: 'chat-message', thread: weiThread, message: msg(tutor, 'See $x^2$'), clientId: out?.type === 'chat-send' ? out.clientId : '' })
    expect(threads.threadOf(weiThread).pending).toHaveLength(0)
    expect(threads.unread.get(weiThread)).toBe(2)

    threads.send(weiThread, 'again')
    const again = sent().filter((m) => m.type === 'chat-send').at(-1)
    server({ type: 'chat-refused', thread: weiThread, clientId: again?.type === 'chat-send' ? again.clientId : '', code: 'rate_limited', message: 'wait', retryAfterSeconds: 3 })
    expect(threads.threadOf(weiThread).pending[0]).toMatchObject({ status: 'failed', problem: 'rate_limited' })
    expect(threads.threadOf(weiThread).problem).toEqual({ code: 'rate_limited', retryAfterSeconds: 3 })

    socket.open = false
    threads.send(anaThread, 'while offline')
    expect(threads.threadOf(anaThread).pending[0]).toMatchObject({ status: 'failed', problem: 'offline' })
  })

  it('"Ask my tutor about this" from practice: the student’s thread, once shown, quotes the answer in the next message', () => {
    provideHost(fakeHost().host)
    setActivePinia(createPinia())
    const threads = useThreadsStore()
    threads.askAboutAiAnswer('  Factor it: $(x-2)(x+2)$ ')
    threads.connect({ server: 'http://127.0.0.1:1', token: 'ABCDEFGHJKMN' })
    server({ type: 'thread-welcome', self: wei, role: 'student', threads: [{ thread: weiThread, studentId: WEI, studentName: 'Wei', tutorName: 'Ms Li', unread: 0, lastAt: null }] })
    threads.show(weiThread)
    expect(threads.threadOf(weiThread).quoteDraft).toEqual({ source: 'ai-answer', text: 'Factor it: $(x-2)(x+2)$' })
    threads.send(weiThread, 'Why factor?')
    expect(sent().at(-1)).toMatchObject({ type: 'chat-send', thread: weiThread, draft: { text: 'Why factor?', quote: { source: 'ai-answer', text: 'Factor it: $(x-2)(x+2)$' } } })
    expect(threads.threadOf(weiThread).quoteDraft).toBeNull()
  })

  it('a student’s home follows their kept link only while nothing else is followed; a tutor’s roster takes the connection over', () => {
    const fake = fakeHost()
    provideHost(fake.host)
    setActivePinia(createPinia())
    const threads = useThreadsStore()
    const kept = { server: 'http://127.0.0.1:1', token: 'ABCDEFGHJKMN' }
    const roster = { server: 'http://127.0.0.1:1', token: 'duet-tutor-key' }
    threads.connectIfIdle(kept)
    expect(threads.follows(kept)).toBe(true)
    server({ type: 'thread-welcome', self: wei, role: 'student', threads: [{ thread: weiThread, studentId: WEI, studentName: 'Wei', tutorName: 'Ms Li', unread: 1, lastAt: 1 }] })
    // The tutor writes while the student is on their home: the count moves and the desktop app notifies.
    server({ type: 'chat-message', thread: weiThread, message: msg(tutor, 'See you Monday') })
    expect(threads.totalUnread).toBe(2)
    expect(fake.host.notifications.show).toHaveBeenCalledTimes(1)
    // A second kept link does not replace the first.
    threads.connectIfIdle({ server: 'http://127.0.0.1:2', token: 'PQRSTUVWXYZA' })
    expect(threads.follows(kept)).toBe(true)
    // This device also keeps a roster: the tutor's connection wins, and the home's count is no longer live.
    threads.connect(roster)
    expect([threads.follows(kept), threads.follows(roster)]).toEqual([false, true])
    threads.connectIfIdle(kept)
    expect(threads.follows(roster)).toBe(true)
  })
})
