// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import AiComposer from '../../../../src/renderer/ai/components/AiComposer.vue'
import { i18n } from '../../../../src/renderer/i18n'

const props = { isStudent: true, streaming: false, disabled: false, vision: false, unsentKey: 'ai:lesson:a' }
const composer = (unsentKey = props.unsentKey) => mount(AiComposer, { props: { ...props, unsentKey }, global: { plugins: [i18n, createPinia()] }, attachTo: document.body })

describe('the AI panel’s composer', () => {
  it('keeps the question and the attempt not yet sent when the panel closes, per lesson, until they are sent', async () => {
    localStorage.clear()
    const first = composer()
    await first.get('[data-testid="ai-input"]').setValue('Why is $x^2 \\ge 0$?')
    await first.get('[data-testid="ai-toggle-attempt"]').trigger('click')
    await first.get('[data-testid="ai-attempt"]').setValue('A square is never negative')
    first.unmount()

    const again = composer()
    expect((again.get('[data-testid="ai-input"]').element as HTMLTextAreaElement).value).toBe('Why is $x^2 \\ge 0$?')
    expect((again.get('[data-testid="ai-attempt"]').element as HTMLTextAreaElement).value).toBe('A square is never negative')
    const other = composer('ai:lesson:b')
    expect((other.get('[data-testid="ai-input"]').element as HTMLTextAreaElement).value).toBe('')
    expect(other.find('[data-testid="ai-attempt"]').exists()).toBe(false)
    other.unmount()

    await again.get('[data-testid="ai-composer"]').trigger('submit')
    expect(again.emitted('submit')).toEqual([[{ question: 'Why is $x^2 \\ge 0$?', attempt: 'A square is never negative', image: undefined }]])
    again.unmount()
    const sent = composer()
    expect((sent.get('[data-testid="ai-input"]').element as HTMLTextAreaElement).value).toBe('')
    expect(sent.find('[data-testid="ai-attempt"]').exists()).toBe(false)
    sent.unmount()
  })
})
