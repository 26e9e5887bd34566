// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import ModalDialog from '../../../../src/renderer/ui/components/ModalDialog.vue'

/** A page with a button that opens the dialog, as the library opens its player. */
function page(description?: string) {
  const open = ref(false)
  const closed = ref(0)
  const wrapper = mount(
    defineComponent(() => () => [
      h('button', { id: 'play', onClick: () => (open.value = true) }, 'Play'),
      open.value
        ? h(
            ModalDialog,
            { title: 'Lesson with Wei', description, testid: 'library-player', size: 'document', onClose: () => ((open.value = false), closed.value++) },
            { actions: () => h('button', { id: 'close', onClick: () => (open.value = false) }, 'Close'), default: () => h('p', { id: 'body' }, 'The recording') },
          )
        : null,
    ]),
    { attachTo: document.body },
  )
  return { wrapper, open, closed }
}
const dialog = () => document.querySelector<HTMLElement>('[data-testid="library-player"]')
const escape = () => document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))

describe('ModalDialog', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('is a modal dialog named by its title, with the focus inside it, at the size asked for', async () => {
    const { wrapper } = page()
    await wrapper.find('#play').trigger('click')
    await flushPromises()
    const box = dialog()
    expect(box?.getAttribute('role')).toBe('dialog')
    expect(document.getElementById(box?.getAttribute('aria-labelledby') ?? '')?.textContent).toBe('Lesson with Wei')
    expect(box?.hasAttribute('aria-describedby')).toBe(false)
    expect(box?.classList.contains('modal-document')).toBe(true)
    expect(box?.querySelector('#body')?.textContent).toBe('The recording')
    expect(box?.contains(document.activeElement)).toBe(true)
    wrapper.unmount()
  })

  it('a description is read with the title', async () => {
    const { wrapper } = page('Duet needs your permission to share the screen.')
    await wrapper.find('#play').trigger('click')
    await flushPromises()
    expect(document.getElementById(dialog()?.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Duet needs your permission to share the screen.')
    wrapper.unmount()
  })

  it('Escape closes it once', async () => {
    const { wrapper, open, closed } = page()
    await wrapper.find('#play').trigger('click')
    await flushPromises()
    escape()
    await flushPromises()
    expect(closed.value).toBe(1)
    expect(open.value).toBe(false)
    expect(dialog()).toBeNull()
    wrapper.unmount()
  })
})
