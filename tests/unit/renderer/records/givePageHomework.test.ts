// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { i18n } from '../../../../src/renderer/i18n'
import { ApiRequestError } from '../../../../src/renderer/lesson/ApiRequestError'
import GivePageHomework from '../../../../src/renderer/records/components/GivePageHomework.vue'
import { useRosterStore } from '../../../../src/renderer/records/stores/rosterStore'

const LINS = async () => ({ owner: { studentId: 's-lin', studentName: 'Lin' }, students: [] })

/** The board's More button and the popover it opened, for a lesson of Lin's (or whose the server says). */
async function opened(lessonOwner: ReturnType<typeof useRosterStore>['lessonOwner'] = LINS, ready = () => title()) {
  const pinia = createPinia()
  setActivePinia(pinia)
  i18n.global.locale.value = 'en'
  vi.spyOn(useRosterStore(), 'lessonOwner').mockImplementation(lessonOwner)
  const open = ref(true)
  const closed = ref(0)
  const anchor = ref<HTMLButtonElement | null>(null)
  const page = async () => ({ blob: new Blob(['png']), name: 'duet-board-page-1.png' })
  const wrapper = mount(
    defineComponent(() => () => [
      h('button', { ref: anchor, 'data-testid': 'board-menu' }, 'More'),
      h('button', { 'data-testid': 'board-undo' }, 'Undo'),
      open.value && anchor.value
        ? h(GivePageHomework, { lessonId: 'lesson-1', page, anchor: anchor.value, onClose: () => ((open.value = false), closed.value++) })
        : null,
    ]),
    { attachTo: document.body, global: { plugins: [pinia, i18n] } },
  )
  // The anchor exists once mounted; then the popover comes.
  await vi.waitFor(() => ready() ?? Promise.reject(new Error('not ready yet')))
  await flushPromises()
  return { wrapper, closed }
}
const popover = () => document.querySelector<HTMLElement>('[data-testid="give-page"]')
const title = () => document.querySelector<HTMLInputElement>('[data-testid="give-page-title"]')
const more = () => document.querySelector<HTMLButtonElement>('[data-testid="board-menu"]')
const key = (name: string, shiftKey = false) => document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: name, shiftKey, bubbles: true, cancelable: true }))
const settle = async () => {
  await flushPromises()
  await new Promise((resolve) => setTimeout(resolve, 20))
}

describe('Give this page as homework', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('is a dialog named for what it does, with the focus in the title, selected (typing replaces it)', async () => {
    const { wrapper } = await opened()
    const box = popover()
    expect(box?.getAttribute('role')).toBe('dialog')
    expect(box?.getAttribute('aria-label')).toBe('Give this page as homework')
    expect(box?.textContent).toContain('For Lin, with this board page attached')
    const input = title()
    expect(document.activeElement).toBe(input)
    expect([input?.selectionStart, input?.selectionEnd]).toEqual([0, input?.value.length])
    wrapper.unmount()
  })

  it('says why a lesson started before this device kept a roster (no tutor\'s, the server does not find it) cannot be given from', async () => {
    const notFound = () => Promise.reject(new ApiRequestError('not_found', 'No such lesson of yours', 'http://127.0.0.1:1'))
    const { wrapper } = await opened(notFound, () => document.querySelector('[data-testid="give-page-outside"]'))
    expect(popover()?.textContent).toContain('start the lesson from the student’s page')
    expect(title()).toBeNull()
    expect(popover()?.querySelector('[role="alert"]')).toBeNull()
    wrapper.unmount()
  })

  it('keeps the focus inside: Tab from its last button comes back to its first field', async () => {
    const { wrapper } = await opened()
    const close = document.querySelector<HTMLButtonElement>('[data-testid="give-page-close"]')
    close?.focus()
    key('Tab')
    await settle()
    expect(document.activeElement).toBe(title())
    key('Tab', true)
    await settle()
    expect(document.activeElement).toBe(close)
    wrapper.unmount()
  })

  const ways: [string, () => void][] = [
    ['Escape', () => key('Escape')],
    ['a click beside it', () => document.querySelector('[data-testid="board-undo"]')?.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, button: 0 }))],
    ['Close', () => document.querySelector<HTMLButtonElement>('[data-testid="give-page-close"]')?.click()],
  ]
  it.each(ways)('%s closes it once and gives the focus back to the More button', async (_way, close) => {
    const { wrapper, closed } = await opened()
    close()
    await settle()
    expect(closed.value).toBe(1)
    expect(popover()).toBeNull()
    expect(document.activeElement).toBe(more())
    wrapper.unmount()
  })
})
