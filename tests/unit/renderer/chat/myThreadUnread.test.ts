// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

/** The threads socket as the store sees it: the test says when it opens or fails. */
const socket = vi.hoisted(() => ({ state: (_s: string) => {}, message: (_m: unknown) => {} }))
vi.mock('../../../../src/renderer/chat/ThreadSocket', () => ({
  ThreadSocket: class {
    constructor(_server: string, _token: string, onMessage: (m: unknown) => void, onState: (s: string) => void) {
      socket.message = onMessage
      socket.state = onState
      onState('connecting')
    }
    send(): boolean {
      return false
    }
    close(): void {}
  },
}))
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

const pill = (wrapper: ReturnType<typeof mount>) => wrapper.find('[data-testid="my-lessons-unread"]')
const mountPill = (code = 'DUET-CODE-1') => mount(MyThreadUnread, { props: { server: 'http://127.0.0.1:1', code }, global: { plugins: [i18n] } })

describe('MyThreadUnread', () => {
  beforeEach(() => {
    provideHost(fakeHost().host)
    setActivePinia(createPinia())
    i18n.global.locale.value = 'en'
    http.unread = 3
    http.calls = 0
  })

  it('followed live: the count comes from the socket, with no HTTP request while it opens', async () => {
    const wrapper = mountPill()
    await flushPromises()
    expect(http.calls).toBe(0)
    socket.state('open')
    socket.message({ type: 'thread-welcome', self: { id: 'x', name: 'Wei', role: 'student' }, role: 'student', threads: [{ thread: 'thread-x', studentId: 'x', studentName: 'Wei', tutorName: 'Ms Li', unread: 2, lastAt: 1 }] })
    await flushPromises()
    expect(pill(wrapper).attributes('data-count')).toBe('2')
    expect(http.calls).toBe(0)
  })

  it('the followed socket cannot open (WebSockets blocked, HTTP not): the count over HTTP instead of nothing', async () => {
    const wrapper = mountPill()
    await flushPromises()
    expect(pill(wrapper).exists()).toBe(false)
    socket.state('closed')
    await flushPromises()
    expect(http.calls).toBe(1)
    expect(pill(wrapper).attributes('data-count')).toBe('3')
    // Once it opens, the socket's count takes over again.
    socket.state('open')
    socket.message({ type: 'thread-welcome', self: { id: 'x', name: 'Wei', role: 'student' }, role: 'student', threads: [{ thread: 'thread-x', studentId: 'x', studentName: 'Wei', tutorName: 'Ms Li', unread: 4, lastAt: 1 }] })
    await flushPromises()
    expect(pill(wrapper).attributes('data-count')).toBe('4')
  })

  it('a second kept link, not followed: asked once over HTTP', async () => {
    useThreadsStore().connect({ server: 'http://127.0.0.1:1', token: 'DUET-CODE-1' })
    const wrapper = mountPill('DUET-CODE-2')
    await flushPromises()
    expect(http.calls).toBe(1)
    expect(pill(wrapper).attributes('data-count')).toBe('3')
    socket.state('closed')
    await flushPromises()
    expect(http.calls).toBe(1)
  })
})
