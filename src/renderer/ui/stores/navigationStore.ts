import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { RouteLocationNormalized, Router } from 'vue-router'

/** A screen that could not be opened, and whether its code failed to load (a server away) or something else broke. */
export interface NavigationFailure {
  to: RouteLocationNormalized
  /** The screen's code did not arrive: the web client's server is unreachable or the connection dropped. */
  codeNotLoaded: boolean
  message: string
}

/**
 * What a browser's import() rejects with when a lazily loaded screen's code
 * cannot be fetched (Chromium, Firefox, Safari), and Vite's preload helper's
 * error for a screen's CSS. Matched by text: they are plain TypeErrors.
 */
const CODE_NOT_LOADED = /dynamically imported module|Importing a module script failed|error loading dynamically imported module|Unable to preload CSS/i

export function isCodeNotLoaded(error: unknown): boolean {
  return error instanceof Error && CODE_NOT_LOADED.test(error.message)
}

/** Whether the server behind `href` answers at all (any HTTP status): a fresh load of it would. */
async function answers(href: string): Promise<boolean> {
  try {
    await fetch(href, { method: 'HEAD', cache: 'no-store' })
    return true
  } catch {
    return false
  }
}

/**
 * Screens that would not open. vue-router rejects the navigation and stays
 * where it was, which a person sees as "nothing happened"; this keeps the
 * failure so the app can say so and offer to try again.
 */
export const useNavigationStore = defineStore('navigation', () => {
  const failure = shallowRef<NavigationFailure | null>(null)
  const retrying = ref(false)
  let router: Router | null = null

  function watchRouter(next: Router): void {
    router = next
    next.onError((error: unknown, to: RouteLocationNormalized) => {
      console.warn('[duet] could not open', to.fullPath, error)
      failure.value = { to, codeNotLoaded: isCodeNotLoaded(error), message: error instanceof Error ? error.message : String(error) }
    })
    next.afterEach((_to, _from, navigationFailure) => {
      if (!navigationFailure) failure.value = null
    })
  }

  /**
   * Opens the screen again. A failed stylesheet preload is fetched anew, but
   * Chromium keeps a screen's failed module for the page's life: import()
   * fails again without asking the server (seen in the e2e: one request for
   * the screen's chunk, none for two retries). So when its code still did
   * not load but the server answers now, the screen's address is loaded
   * afresh (what Vite advises for its preload errors); while the server is
   * still away, the message stays and nothing else happens.
   */
  async function retry(): Promise<void> {
    const target = failure.value?.to
    if (!router || !target || retrying.value) return
    retrying.value = true
    try {
      await router.push(target.fullPath).catch(() => {})
      const still = failure.value
      if (still?.codeNotLoaded && still.to.fullPath === target.fullPath) {
        const href = new URL(router.resolve(target.fullPath).href, window.location.href).href
        if (await answers(href)) window.location.assign(href)
      }
    } finally {
      retrying.value = false
    }
  }

  return { failure, retrying, watchRouter, retry, dismiss: () => (failure.value = null) }
})
