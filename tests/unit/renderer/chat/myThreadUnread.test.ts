// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('../../../../src/renderer/chat/ThreadSocket', () => import('./fakeThreadSocket'))
const sounds = vi.hoisted(() => ({ played: 0 }))
vi.mock('../../../../src/renderer/chat/chatSound', () => ({ playMessageSound: () => (sounds.played += 1) }))
const http = vi.hoisted(() => ({ unread: 3, calls: 0 }))
vi.mock('../../../../src/renderer/lesson/apiRequest', () => ({
  apiRequest: vi.fn(async () => {
    http.calls += 1
    return { threads: [{ thread: 'thread-x', studentId: 'x', studentName: 'Wei', tutorName: 'Ms Li', unread: http.unread, lastAt: 1 }] }
  }),
}))

import MyThreadUnread from '../../../../src/renderer/chat/components/MyThreadUnread.vue'
import { useThreadsStore } from '../../../../src/renderer/chat/stores/threadsStore'
import { provideHost } from '../../../../src/renderer/host/current'
import { i18n } from '../../../../src/renderer/i18n'
import { fakeHost } from '../fakeHost'
import { socketOf, sockets } from './fakeThreadSocket'

const pill = (wrapper: ReturnType<typeof mount>) => wrapper.find('[data-testid="my-lessons-unread"]')
const mountPill = (code = 'DUET-CODE-1') => mount(MyThreadUnread, { props: { server: 'http://127.0.0.1:1', code }, global: { plugins: [i18n] } })

describe('MyThreadUnread', () => {
  beforeEach(() => {
    provideHost(fakeHost().host)
    setActivePinia(createPinia())
    i18n.global.locale.value = 'en'
    http.unread = 3
    http.calls = 0
    sockets.length = 0
    sounds.played = 0
  })

  it('followed live: the count comes from the socket, with no HTTP request while it opens', async () => {
    const wrapper = mountPill()
    await flushPromises()
    expect(http.calls).toBe(0)
    socketOf('DUET-CODE-1').state('open')
    socketOf('DUET-CODE-1').message({ type: 'thread-welcome', self: { id: 'x', name: 'Wei', role: 'student' }, role: 'student', threads: [{ thread: 'thread-x', studentId: 'x', studentName: 'Wei', tutorName: 'Ms Li', unread: 2, lastAt: 1 }] })
    await flushPromises()
    expect(pill(wrapper).attributes('data-count')).toBe('2')
    expect(http.calls).toBe(0)
  })

  it('the followed socket cannot open (WebSockets blocked, HTTP not): the count over HTTP instead of nothing', async () => {
    const wrapper = mountPill()
    await flushPromises()
    expect(pill(wrapper).exists()).toBe(false)
    socketOf('DUET-CODE-1').state('closed')
    await flushPromises()
    expect(http.calls).toBe(1)
    expect(pill(wrapper).attributes('data-count')).toBe('3')
    // Once it opens, the socket's count takes over again.
    socketOf('DUET-CODE-1').state('open')
    socketOf('DUET-CODE-1').message({ type: 'thread-welcome', self: { id: 'x', name: 'Wei', role: 'student' }, role: 'student', threads: [{ thread: 'thread-x', studentId: 'x', studentName: 'Wei', tutorName: 'Ms Li', unread: 4, lastAt: 1 }] })
    await flushPromises()
    expect(pill(wrapper).attributes('data-count')).toBe('4')
  })

  it('a second kept link is counted live by a socket of its own: the tutor writes, the pill moves, sound and notification; read elsewhere, it goes', async () => {
    const host = fakeHost()
    provideHost(host.host)
    useThreadsStore().connect({ server: 'http://127.0.0.1:1', token: 'DUET-CODE-1' })
    const wrapper = mountPill('DUET-CODE-2')
    await flushPromises()
    expect(http.calls).toBe(0)
    const second = socketOf('DUET-CODE-2')
    second.state('open')
    second.message(welcome(1, 'thread-y'))
    await flushPromises()
    expect(pill(wrapper).attributes('data-count')).toBe('1')
    second.message(tutorWrites('thread-y', 5))
    await flushPromises()
    expect(pill(wrapper).attributes('data-count')).toBe('2')
    expect(sounds.played).toBe(1)
    expect(host.host.notifications.show.mock.calls.map(([request]) => request)).toEqual([expect.objectContaining({ title: expect.stringContaining('Ms Li'), body: 'Chapter 4 done?', tag: 'thread-y' })])
    // The student's own message (from another device) is not unread.
    second.message({ ...tutorWrites('thread-y', 6), message: { ...tutorWrites('thread-y', 6).message, from: { id: 'y', name: 'Wei', role: 'student' } } })
    second.message({ type: 'chat-read', thread: 'thread-y', readSeq: 6, unread: 0 })
    await flushPromises()
    expect(pill(wrapper).exists()).toBe(false)
    expect(http.calls).toBe(0)
    // Its socket drops: the count over HTTP until it is back.
    second.state('closed')
    await flushPromises()
    expect(http.calls).toBe(1)
    expect(pill(wrapper).attributes('data-count')).toBe('3')
  })

  it('a kept link the threads store follows too: counted by the store alone, and the other socket keeps the count for when it stops', async () => {
    const host = fakeHost()
    provideHost(host.host)
    const threads = useThreadsStore()
    threads.connect({ server: 'http://127.0.0.1:1', token: 'DUET-CODE-1' })
    mountPill('DUET-CODE-2')
    await flushPromises()
    const second = socketOf('DUET-CODE-2')
    second.state('open')
    second.message(welcome(0, 'thread-y'))
    // The student opens that tutor's thread: the store follows the second link now.
    threads.connect({ server: 'http://127.0.0.1:1', token: 'DUET-CODE-2' })
    socketOf('DUET-CODE-2').state('open')
    socketOf('DUET-CODE-2').message(welcome(0, 'thread-y'))
    second.message(tutorWrites('thread-y', 7))
    socketOf('DUET-CODE-2').message(tutorWrites('thread-y', 7))
    await flushPromises()
    // One sound and one notification, the store's.
    expect(sounds.played).toBe(1)
    expect(host.host.notifications.show).toHaveBeenCalledTimes(1)
    // Back home with the first link followed again: the second's pill shows the message at once.
    threads.connect({ server: 'http://127.0.0.1:1', token: 'DUET-CODE-1' })
    const wrapper = mountPill('DUET-CODE-2')
    await flushPromises()
    expect(pill(wrapper).attributes('data-count')).toBe('1')
  })
})

function welcome(unread: number, thread: string) {
  return { type: 'thread-welcome', self: { id: 'y', name: 'Wei', role: 'student' }, role: 'student', threads: [{ thread, studentId: 'y', studentName: 'Wei', tutorName: 'Ms Li', unread, lastAt: 1 }] }
}

function tutorWrites(thread: string, seq: number) {
  return { type: 'chat-message', thread, message: { seq, id: `m${seq}`, at: 1, from: { id: 't', name: 'Ms Li', role: 'tutor' }, text: 'Chapter 4 done?' } }
}
