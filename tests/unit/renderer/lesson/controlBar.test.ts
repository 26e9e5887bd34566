// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import ControlBar from '../../../../src/renderer/lesson/components/ControlBar.vue'
import { i18n } from '../../../../src/renderer/i18n'

const props = { micEnabled: true, cameraEnabled: true, isTutor: true, hasMic: true, sharing: false, canShare: true }

function bar(overrides: Partial<typeof props> = {}) {
  return mount(ControlBar, { props: { ...props, ...overrides }, global: { plugins: [i18n] } })
}

describe('ControlBar', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'en'
  })

  it('names each button (its accessible name stays when the label hides) and teaches its key in the tooltip', () => {
    const mic = bar().get('[data-testid="toggle-mic"]')
    expect(mic.attributes('aria-label')).toBe('Mute')
    expect(mic.get('.cb-label').text()).toBe('Mute')
    expect(mic.find('svg.cb-icon').exists()).toBe(true)
    expect(mic.attributes('title')).toMatch(/^Mute \((Ctrl\+Shift\+M|⌘⇧M)\)$/)
    expect(mic.attributes('aria-pressed')).toBe('false')
    expect(mic.classes()).not.toContain('off')
  })

  it('shows a muted microphone and an off camera in red, and sharing filled', () => {
    const wrapper = bar({ micEnabled: false, cameraEnabled: false, sharing: true })
    const mic = wrapper.get('[data-testid="toggle-mic"]')
    expect(mic.classes()).toContain('off')
    expect(mic.attributes('aria-pressed')).toBe('true')
    expect(mic.attributes('aria-label')).toBe('Unmute')
    const camera = wrapper.get('[data-testid="toggle-camera"]')
    expect(camera.classes()).toContain('off')
    expect(camera.attributes('aria-label')).toBe('Start video')
    const share = wrapper.get('[data-testid="toggle-share"]')
    expect(share.classes()).toContain('on')
    expect(share.attributes('aria-pressed')).toBe('true')
  })

  it('disables what cannot be used, shows End only to the tutor, and says its clicks', async () => {
    const student = bar({ isTutor: false, hasMic: false, canShare: false })
    expect(student.get('[data-testid="toggle-mic"]').attributes('disabled')).toBeDefined()
    expect(student.get('[data-testid="toggle-share"]').attributes('disabled')).toBeDefined()
    expect(student.find('[data-testid="end-lesson"]').exists()).toBe(false)
    const tutor = bar()
    await tutor.get('[data-testid="toggle-mic"]').trigger('click')
    await tutor.get('[data-testid="toggle-camera"]').trigger('click')
    await tutor.get('[data-testid="leave"]').trigger('click')
    await tutor.get('[data-testid="end-lesson"]').trigger('click')
    expect(Object.keys(tutor.emitted())).toEqual(expect.arrayContaining(['toggleMic', 'toggleCamera', 'leave', 'end']))
  })

  it('speaks Chinese', () => {
    i18n.global.locale.value = 'zh-CN'
    const mic = bar({ micEnabled: false }).get('[data-testid="toggle-mic"]')
    expect(mic.attributes('aria-label')).not.toBe('Unmute')
    expect(mic.get('.cb-label').text()).toMatch(/[\u4e00-\u9fff]/)
  })
})
