// @vitest-environment happy-dom
import { mount, type VueWrapper } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import ChatComposer from '../../../../src/renderer/chat/components/ChatComposer.vue'
import { i18n } from '../../../../src/renderer/i18n'

function composer(unsentKey?: string): { wrapper: VueWrapper; input: HTMLTextAreaElement } {
  const wrapper = mount(ChatComposer, { props: { unsentKey }, global: { plugins: [i18n] }, attachTo: document.body })
  return { wrapper, input: wrapper.get('[data-testid="chat-input"]').element as HTMLTextAreaElement }
}

async function press(input: HTMLTextAreaElement, init: KeyboardEventInit): Promise<void> {
  input.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, key: 'Enter', ...init }))
  await Promise.resolve()
}

describe('the chat composer', () => {
  it('sends on Enter, not on Shift+Enter, and not on the Enter that picks characters in an input method', async () => {
    const { wrapper, input } = composer()
    await wrapper.get('[data-testid="chat-input"]').setValue('你好')
    await press(input, { isComposing: true })
    await press(input, { shiftKey: true })
    expect(wrapper.emitted('send')).toBeUndefined()
    await press(input, {})
    expect(wrapper.emitted('send')).toEqual([['你好']])
    expect(input.value).toBe('')
    wrapper.unmount()
  })

  it('hands pasted files on, and leaves pasted text to the text box', async () => {
    const { wrapper, input } = composer()
    const picture = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'screenshot.png', { type: 'image/png' })
    const withFile = new Event('paste', { bubbles: true, cancelable: true }) as ClipboardEvent
    Object.defineProperty(withFile, 'clipboardData', { value: { files: [picture] } })
    input.dispatchEvent(withFile)
    expect(withFile.defaultPrevented).toBe(true)
    expect(wrapper.emitted('files')).toEqual([[[picture]]])
    const withText = new Event('paste', { bubbles: true, cancelable: true }) as ClipboardEvent
    Object.defineProperty(withText, 'clipboardData', { value: { files: [] } })
    input.dispatchEvent(withText)
    expect(withText.defaultPrevented).toBe(false)
    expect(wrapper.emitted('files')).toHaveLength(1)
    wrapper.unmount()
  })

  it('puts an emoji where the cursor is', async () => {
    const { wrapper, input } = composer()
    await wrapper.get('[data-testid="chat-input"]').setValue('Great work')
    input.setSelectionRange(5, 5)
    await wrapper.get('[data-testid="chat-emoji"]').trigger('click')
    await wrapper.findAll('[data-testid="chat-emoji-list"] button')[0]!.trigger('click')
    await new Promise((r) => setTimeout(r, 0))
    expect(input.value).toBe('Great👍 work')
    expect(wrapper.find('[data-testid="chat-emoji-list"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('keeps what was written and not sent: after the panel closes and opens, per conversation, until it is sent', async () => {
    localStorage.clear()
    const first = composer('lesson:a')
    await first.wrapper.get('[data-testid="chat-input"]').setValue('A long explanation of $\\frac{1}{2}$')
    first.wrapper.unmount()
    // The panel opened again (a new composer), in the same lesson and in another.
    const again = composer('lesson:a')
    expect(again.input.value).toBe('A long explanation of $\\frac{1}{2}$')
    const other = composer('lesson:b')
    expect(other.input.value).toBe('')
    other.wrapper.unmount()
    // The same composer shown for another conversation (a thread page for another student).
    await again.wrapper.setProps({ unsentKey: 'lesson:b' })
    expect(again.input.value).toBe('')
    await again.wrapper.setProps({ unsentKey: 'lesson:a' })
    expect(again.input.value).toBe('A long explanation of $\\frac{1}{2}$')
    await press(again.input, {})
    expect(again.wrapper.emitted('send')).toEqual([['A long explanation of $\\frac{1}{2}$']])
    again.wrapper.unmount()
    const sent = composer('lesson:a')
    expect(sent.input.value).toBe('')
    sent.wrapper.unmount()
  })
})
