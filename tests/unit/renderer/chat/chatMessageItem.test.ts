// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import ChatMessageItem from '../../../../src/renderer/chat/components/ChatMessageItem.vue'
import { i18n } from '../../../../src/renderer/i18n'
import type { ChatMessage } from '../../../../src/shared/chat/schema'
import { XSS, assertInert } from '../../../support/xss'

const from = { id: 'p-student', name: 'Wei', role: 'student' as const }

function render(message: Partial<ChatMessage>): HTMLElement {
  const pinia = createPinia()
  setActivePinia(pinia)
  const full: ChatMessage = { id: crypto.randomUUID(), seq: 1, at: 1_700_000_000_000, from, text: '', ...message }
  const wrapper = mount(ChatMessageItem, { props: { message: full, mine: false, canPutOnBoard: true }, global: { plugins: [pinia, i18n] } })
  return wrapper.element as HTMLElement
}

describe('a chat message on screen', () => {
  it.each(XSS)('%j in the text renders inert (the AI panel’s list, the same renderer)', (payload) => {
    assertInert(render({ text: payload }))
  })

  it.each(XSS)('%j in a quoted AI answer renders inert', (payload) => {
    assertInert(render({ text: 'Why?', quote: { source: 'ai-answer', text: payload } }))
  })

  it('shows raw HTML as the text it is, and a sender name as text', () => {
    const el = render({ text: 'Try <b>this</b>', from: { ...from, name: '<img src=x onerror=alert(1)>' } })
    expect(el.querySelector('[data-testid="chat-text"]')?.textContent).toContain('Try <b>this</b>')
    expect(el.querySelector('b')).toBeNull()
    expect(el.querySelector('.chat-meta strong')?.textContent).toBe('<img src=x onerror=alert(1)>')
    assertInert(el)
  })

  it('typesets maths and opens links outside the app, only on a click', () => {
    const el = render({ text: 'See [the notes](https://example.com/n) for $\\frac{1}{2}$' })
    expect(el.querySelector('.katex')).not.toBeNull()
    const link = el.querySelector('a')
    expect(link?.getAttribute('href')).toBe('https://example.com/n')
    expect(link?.getAttribute('target')).toBe('_blank')
    expect(link?.getAttribute('rel')).toContain('noopener')
  })

  describe('a picture', () => {
    afterEach(() => {
      document.body.innerHTML = ''
    })

    it('opens larger on a click, named by its file, and closes with Escape or Close', async () => {
      const pinia = createPinia()
      setActivePinia(pinia)
      const file = { id: 'd'.repeat(64), name: '作业-题3.png', mime: 'image/png' as const, kind: 'image' as const, bytes: 241 }
      const message: ChatMessage = { id: crypto.randomUUID(), seq: 4, at: 1_700_000_000_000, from, text: '', file }
      const wrapper = mount(ChatMessageItem, {
        props: { message, mine: false, fileUrl: async () => 'blob:picture' },
        global: { plugins: [pinia, i18n] },
        attachTo: document.body,
      })
      await flushPromises()
      const open = wrapper.get('[data-testid="chat-picture-open"]')
      expect(open.attributes('aria-label')).toBe('Show 作业-题3.png larger')
      const view = () => document.querySelector<HTMLElement>('[data-testid="chat-picture-view"]')
      expect(view()).toBeNull()

      await open.trigger('click')
      await flushPromises()
      expect(view()?.getAttribute('role')).toBe('dialog')
      expect(document.getElementById(view()?.getAttribute('aria-labelledby') ?? '')?.textContent).toBe('作业-题3.png')
      expect(view()?.querySelector('[data-testid="chat-picture-large"]')?.getAttribute('src')).toBe('blob:picture')
      document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
      await flushPromises()
      expect(view()).toBeNull()

      await open.trigger('click')
      await flushPromises()
      document.querySelector<HTMLElement>('[data-testid="chat-picture-close"]')?.click()
      await flushPromises()
      expect(view()).toBeNull()
      wrapper.unmount()
    })
  })
})
