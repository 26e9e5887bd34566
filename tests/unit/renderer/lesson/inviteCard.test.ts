// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import InviteCard from '../../../../src/renderer/lesson/components/InviteCard.vue'
import { useSessionStore } from '../../../../src/renderer/lesson/stores/sessionStore'
import { provideHost } from '../../../../src/renderer/host/current'
import { i18n } from '../../../../src/renderer/i18n'
import { fakeHost } from '../fakeHost'

function invite(expiresAt: number) {
  return { code: 'K7P2QXMA', url: 'http://192.168.1.20:47300/join/K7P2QXMA', deepLink: 'duet://join/K7P2QXMA', expiresAt, lanUrls: [], hosted: false }
}

function card(expiresAt: number) {
  return mount(InviteCard, { props: { invite: invite(expiresAt) }, global: { plugins: [i18n] } })
}

describe('InviteCard', () => {
  beforeEach(() => {
    provideHost(fakeHost().host)
    setActivePinia(createPinia())
    i18n.global.locale.value = 'en'
  })

  it('shows a valid invite: the code, and the link with its code on one piece', () => {
    const wrapper = card(Date.now() + 3_600_000)
    expect(wrapper.get('[data-testid="invite-code"]').text()).toBe('K7P2-QXMA')
    const link = wrapper.get('[data-testid="invite-link"]')
    expect(link.get('.invite-link-tail').text()).toBe('/join/K7P2QXMA')
    expect(link.attributes('title')).toBe('http://192.168.1.20:47300/join/K7P2QXMA')
    expect(wrapper.find('[data-testid="invite-expired"]').exists()).toBe(false)
  })

  it('never advertises an expired code: it says the invite expired and makes a new one with one click', async () => {
    const session = useSessionStore()
    const renew = vi.spyOn(session, 'renewInvite').mockResolvedValue()
    const wrapper = card(Date.now() - 1000)
    expect(wrapper.attributes('data-expired')).toBe('true')
    expect(wrapper.get('[data-testid="invite-expired"]').text()).toContain('This invite expired')
    expect(wrapper.find('[data-testid="invite-code"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="invite-link"]').exists()).toBe(false)
    expect(wrapper.text()).not.toContain('K7P2')
    await wrapper.get('[data-testid="new-invite"]').trigger('click')
    expect(renew).toHaveBeenCalledTimes(1)
  })
})
