// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { useRefreshWhileShown } from '../../../../src/renderer/ui/composables/useRefreshWhileShown'

let visibility: DocumentVisibilityState = 'visible'
function setVisibility(next: DocumentVisibilityState): void {
  visibility = next
  document.dispatchEvent(new Event('visibilitychange'))
}

function mountWith(refresh: () => void, periodMs: number) {
  return mount(
    defineComponent({
      setup() {
        useRefreshWhileShown(refresh, periodMs)
        return () => h('div')
      },
    }),
  )
}

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  visibility = 'visible'
})

describe('useRefreshWhileShown', () => {
  it('refreshes every period while shown, not while hidden, and at once on coming back; stops when unmounted', () => {
    vi.useFakeTimers()
    vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility)
    const refresh = vi.fn()
    const view = mountWith(refresh, 60_000)
    expect(refresh).not.toHaveBeenCalled()
    vi.advanceTimersByTime(60_000)
    expect(refresh).toHaveBeenCalledTimes(1)
    setVisibility('hidden')
    vi.advanceTimersByTime(5 * 60_000)
    expect(refresh).toHaveBeenCalledTimes(1)
    setVisibility('visible')
    expect(refresh).toHaveBeenCalledTimes(2)
    vi.advanceTimersByTime(60_000)
    expect(refresh).toHaveBeenCalledTimes(3)
    view.unmount()
    vi.advanceTimersByTime(5 * 60_000)
    setVisibility('hidden')
    setVisibility('visible')
    expect(refresh).toHaveBeenCalledTimes(3)
    expect(vi.getTimerCount()).toBe(0)
  })
})
