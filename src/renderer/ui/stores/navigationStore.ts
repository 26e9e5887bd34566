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

  /** Opens the screen again (import() is retried: browsers do not keep a failed fetch). */
  async function retry(): Promise<void> {
    const target = failure.value?.to
    if (!router || !target || retrying.value) return
    retrying.value = true
    try {
      await router.push(target.fullPath).catch(() => {})
    } finally {
      retrying.value = false
    }
  }

  return { failure, retrying, watchRouter, retry, dismiss: () => (failure.value = null) }
})
