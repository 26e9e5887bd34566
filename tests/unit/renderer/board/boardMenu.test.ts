// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import BoardMenu from '../../../../src/renderer/board/components/BoardMenu.vue'
import { useBoardStore } from '../../../../src/renderer/board/stores/boardStore'
import { i18n } from '../../../../src/renderer/i18n'
import { useSessionStore } from '../../../../src/renderer/lesson/stores/sessionStore'
import { useRosterStore } from '../../../../src/renderer/records/stores/rosterStore'

/** The board's More menu as the tutor of a lesson with Lin sees it. */
function tutorMenu() {
  const pinia = createPinia()
  setActivePinia(pinia)
  i18n.global.locale.value = 'en'
  const board = useBoardStore()
  const connection = { isTutor: true, setFollow: vi.fn(), setLocked: vi.fn() }
  board.session = connection as never
  useSessionStore().pass = { server: 'http://127.0.0.1:1', lessonId: 'lesson-1', token: 't', participantId: 'p-tutor', role: 'tutor', selfName: 'Ms Li', tutorName: 'Ms Li', invite: null }
  vi.spyOn(useRosterStore(), 'lessonOwner').mockResolvedValue({ owner: { studentId: 's-lin', studentName: 'Lin' }, students: [] })
  const wrapper = mount(BoardMenu, { attachTo: document.body, global: { plugins: [pinia, i18n] } })
  return { wrapper, board, connection }
}
const more = () => document.querySelector<HTMLButtonElement>('[data-testid="board-menu"]')
const item = (testid: string) => document.querySelector<HTMLElement>(`[data-testid="${testid}"]`)
const menu = () => document.querySelector('[role="menu"]')
/** reka-ui gives the focus back a moment after a menu closes. */
const settle = async () => {
  await flushPromises()
  await new Promise((resolve) => setTimeout(resolve, 20))
  await flushPromises()
}
const key = (name: string) => document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }))

async function openMenu(): Promise<void> {
  more()?.click()
  await settle()
}

describe('the board’s More menu', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('opens from the More button with the tutor’s items and toggles', async () => {
    const { wrapper } = tutorMenu()
    expect(more()?.getAttribute('aria-expanded')).toBe('false')
    await openMenu()
    expect(more()?.getAttribute('aria-expanded')).toBe('true')
    const items = [...(menu()?.querySelectorAll('[role^="menuitem"]') ?? [])].map((el) => [el.getAttribute('role'), el.getAttribute('data-testid')])
    expect(items).toEqual([
      ['menuitem', 'board-open'],
      ['menuitem', 'export-png'],
      ['menuitem', 'give-page-homework'],
      ['menuitem', 'export-pdf'],
      ['menuitemcheckbox', 'pen-mode'],
      ['menuitemcheckbox', 'follow-me'],
      ['menuitemcheckbox', 'lock-board'],
      ['menuitem', 'clear-page'],
    ])
    wrapper.unmount()
  })

  it('a toggle flips and the menu stays open, its check shown', async () => {
    const { wrapper, board, connection } = tutorMenu()
    await openMenu()
    expect(item('pen-mode')?.getAttribute('aria-checked')).toBe('false')
    item('pen-mode')?.click()
    await settle()
    expect(board.penMode).toBe(true)
    expect(menu()).not.toBeNull()
    expect(item('pen-mode')?.getAttribute('aria-checked')).toBe('true')
    expect(item('pen-mode')?.querySelector('svg')).not.toBeNull()
    item('lock-board')?.click()
    await settle()
    expect(connection.setLocked).toHaveBeenCalledWith(true)
    expect(menu()).not.toBeNull()
    wrapper.unmount()
  })

  it('Escape closes it and gives the focus back to the More button', async () => {
    const { wrapper } = tutorMenu()
    await openMenu()
    expect(menu()?.contains(document.activeElement)).toBe(true)
    key('Escape')
    await settle()
    expect(menu()).toBeNull()
    expect(document.activeElement).toBe(more())
    wrapper.unmount()
  })

  it('an action closes it: clearing the page is asked for', async () => {
    const { wrapper } = tutorMenu()
    await openMenu()
    item('clear-page')?.click()
    await settle()
    expect(menu()).toBeNull()
    expect(wrapper.emitted('clear')).toHaveLength(1)
    wrapper.unmount()
  })

  it('“Give this page as homework”: the menu closes, the form takes the focus, Escape gives it back to the More button', async () => {
    const { wrapper } = tutorMenu()
    const where = (el: EventTarget | null) => (el === more() ? 'More' : item('give-page')?.contains(el as Node) ? 'form' : menu()?.contains(el as Node) ? 'menu' : 'elsewhere')
    const path: string[] = []
    document.addEventListener('focusin', (event) => path.at(-1) !== where(event.target) && path.push(where(event.target)))
    // The first time its code loads; the second time it is there at once, as the menu closes.
    for (const time of ['first', 'second']) {
      await openMenu()
      path.length = 0
      item('give-page-homework')?.click()
      await settle()
      expect(menu()).toBeNull()
      // The form comes once the lesson's student is known.
      const title = await vi.waitFor(() => item('give-page-title') ?? Promise.reject(new Error('no form yet')))
      await settle()
      expect(document.activeElement, time).toBe(title)
      // Back to the button as the menu closes, then into the form to stay: no tug of war.
      expect(path, time).toEqual(['More', 'form'])
      key('Escape')
      await settle()
      expect(item('give-page')).toBeNull()
      expect(document.activeElement, time).toBe(more())
    }
    wrapper.unmount()
  })
})
