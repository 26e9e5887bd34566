// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { ScreenPickerRequest } from '../../../../src/shared/screenShare'
import { provideHost } from '../../../../src/renderer/host/current'
import { i18n } from '../../../../src/renderer/i18n'
import ScreenPicker from '../../../../src/renderer/media/components/ScreenPicker.vue'
import { fakeHost } from '../fakeHost'

const PNG = 'data:image/png;base64,iVBORw0KGgo='
const REQUEST: ScreenPickerRequest = {
  requestId: 'req-1',
  sources: [
    { id: 'screen:0:0', name: 'Entire screen', kind: 'screen', thumbnail: PNG, appIcon: null },
    { id: 'window:42:0', name: 'Worksheet.pdf', kind: 'window', thumbnail: PNG, appIcon: null },
  ],
  systemAudio: { supported: false, reason: 'os-unsupported' },
}

/** Duet's picker as the desktop app shows it when the lesson asks to share a screen. */
async function picker() {
  const fake = fakeHost()
  let ask: (request: ScreenPickerRequest) => void = () => {}
  fake.host.screen.onPickerRequest.mockImplementation(((listener: (request: ScreenPickerRequest) => void) => ((ask = listener), () => {})) as never)
  provideHost(fake.host)
  i18n.global.locale.value = 'en'
  const wrapper = mount(ScreenPicker, { attachTo: document.body, global: { plugins: [i18n] } })
  ask(REQUEST)
  await flushPromises()
  return { wrapper, answers: fake.host.screen.answerPicker }
}
const inDialog = <T extends Element>(selector: string) => document.querySelector('[data-testid="screen-picker"]')?.querySelectorAll<T>(selector) ?? []
const key = (target: Element | null, name: string) => target?.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }))

describe('ScreenPicker', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('opens with the focus inside it, named by its title; Escape answers "cancelled" once', async () => {
    const { wrapper, answers } = await picker()
    const box = document.querySelector('[data-testid="screen-picker"]')
    expect(document.getElementById(box?.getAttribute('aria-labelledby') ?? '')?.textContent).toBe('Choose what to share')
    expect(box?.contains(document.activeElement)).toBe(true)
    key(document.activeElement, 'Escape')
    await flushPromises()
    expect(answers.mock.calls).toEqual([[{ requestId: 'req-1', choice: null }]])
    expect(document.querySelector('[data-testid="screen-picker"]')).toBeNull()
    wrapper.unmount()
  })

  it('Enter on a window shares that window; Enter on Cancel does not share', async () => {
    const { wrapper, answers } = await picker()
    const cancel = inDialog<HTMLButtonElement>('[data-testid="picker-cancel"]')[0]
    key(cancel ?? null, 'Enter')
    await flushPromises()
    expect(answers).not.toHaveBeenCalled()
    const windowsTab = [...inDialog<HTMLButtonElement>('[role="tab"]')].find((b) => b.textContent === 'Windows')
    windowsTab?.click()
    await flushPromises()
    const source = inDialog<HTMLButtonElement>('[data-testid="picker-source"]')[0]
    source?.focus()
    key(source ?? null, 'Enter')
    await flushPromises()
    expect(answers.mock.calls).toEqual([[{ requestId: 'req-1', choice: { sourceId: 'window:42:0', withAudio: false } }]])
    wrapper.unmount()
  })
})
