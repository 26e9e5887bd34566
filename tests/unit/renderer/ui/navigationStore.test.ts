// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { useNavigationStore } from '../../../../src/renderer/ui/stores/navigationStore'

/** Chromium's error for a screen whose module could not be fetched; it keeps that failure for the page's life. */
const moduleFailed = () => new TypeError('Failed to fetch dynamically imported module: http://127.0.0.1:1/assets/JoinView.js')

function app(load: () => Promise<unknown>): { router: Router; navigation: ReturnType<typeof useNavigationStore> } {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<p>home</p>' } },
      { path: '/join/:code', component: () => load() as Promise<{ template: string }> },
    ],
  })
  const navigation = useNavigationStore()
  navigation.watchRouter(router)
  return { router, navigation }
}

describe('navigation: a screen whose code did not load', () => {
  const assign = vi.fn()
  beforeEach(() => {
    setActivePinia(createPinia())
    assign.mockReset()
    vi.stubGlobal('location', { ...window.location, href: 'http://127.0.0.1:1/', assign })
  })
  afterEach(() => vi.unstubAllGlobals())

  it('while the server is away, Try again keeps the message and loads nothing', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')))
    const { router, navigation } = app(() => Promise.reject(moduleFailed()))
    await router.push('/join/K7P2QXMA').catch(() => {})
    expect(navigation.failure?.codeNotLoaded).toBe(true)
    await navigation.retry()
    expect(navigation.failure?.to.fullPath).toBe('/join/K7P2QXMA')
    expect(assign).not.toHaveBeenCalled()
  })

  it('once the server answers, Try again loads the screen afresh (the browser keeps the failed module)', async () => {
    const fetch = vi.fn().mockResolvedValue(new Response(null, { status: 200 }))
    vi.stubGlobal('fetch', fetch)
    const { router, navigation } = app(() => Promise.reject(moduleFailed()))
    await router.push('/join/K7P2QXMA').catch(() => {})
    await navigation.retry()
    expect(fetch).toHaveBeenCalledWith('http://127.0.0.1:1/join/K7P2QXMA', expect.objectContaining({ cache: 'no-store' }))
    expect(assign).toHaveBeenCalledWith('http://127.0.0.1:1/join/K7P2QXMA')
    expect(navigation.retrying).toBe(false)
  })

  it('a screen that opens on the second try needs no reload', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response(null, { status: 200 })))
    let tries = 0
    const { router, navigation } = app(() => (++tries === 1 ? Promise.reject(moduleFailed()) : Promise.resolve({ template: '<p>join</p>' })))
    await router.push('/join/K7P2QXMA').catch(() => {})
    await navigation.retry()
    expect(navigation.failure).toBeNull()
    expect(router.currentRoute.value.fullPath).toBe('/join/K7P2QXMA')
    expect(assign).not.toHaveBeenCalled()
  })
})
