// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import ConfirmDialog from '../../../../src/renderer/ui/components/ConfirmDialog.vue'
import { i18n } from '../../../../src/renderer/i18n'

/** A page with a button that asks, as the room, the library and home use the dialog. */
function page() {
  const open = ref(false)
  const confirmed = ref(0)
  const wrapper = mount(
    defineComponent(() => () => [
      h('button', { id: 'ask', onClick: () => (open.value = true) }, 'End'),
      h(ConfirmDialog, {
        open: open.value,
        'onUpdate:open': (v: boolean) => (open.value = v),
        question: 'End the lesson for both of you?',
        detail: 'Nothing can be added to it afterwards.',
        confirmLabel: 'End lesson',
        testid: 'end-confirm',
        confirmTestid: 'end-confirm-yes',
        onConfirm: () => confirmed.value++,
      }),
    ]),
    { attachTo: document.body, global: { plugins: [i18n] } },
  )
  return { wrapper, open, confirmed }
}
const dialog = () => document.querySelector('[data-testid="end-confirm"]')

describe('ConfirmDialog', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('asks with the question as the dialog’s name; Cancel closes it and nothing happens', async () => {
    i18n.global.locale.value = 'en'
    const { wrapper, open, confirmed } = page()
    await wrapper.find('#ask').trigger('click')
    await flushPromises()
    const box = dialog()
    expect(box?.getAttribute('role')).toBe('alertdialog')
    expect(document.getElementById(box?.getAttribute('aria-labelledby') ?? '')?.textContent).toBe('End the lesson for both of you?')
    expect(document.getElementById(box?.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Nothing can be added to it afterwards.')
    const cancel = [...(box?.querySelectorAll('button') ?? [])].find((b) => b.textContent === 'Cancel')
    expect(cancel).toBeDefined()
    cancel?.click()
    await flushPromises()
    expect(open.value).toBe(false)
    expect(confirmed.value).toBe(0)
    wrapper.unmount()
  })

  it('the action confirms once and closes', async () => {
    const { wrapper, open, confirmed } = page()
    await wrapper.find('#ask').trigger('click')
    await flushPromises()
    ;(document.querySelector('[data-testid="end-confirm-yes"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(confirmed.value).toBe(1)
    expect(open.value).toBe(false)
    wrapper.unmount()
  })
})
