import { computed, watch } from 'vue'
import type { BoardSession } from '../BoardSession'
import type { Viewport } from '../render/Viewport'
import { useBoardStore } from '../stores/boardStore'

/**
 * Follow mode. Everyone publishes what part of which page they see; when
 * the tutor turns following on, the student's view tracks the tutor's
 * (page, zoom, scroll) until the student navigates on their own, and comes
 * back with one click.
 */
export function useFollow(session: BoardSession, viewport: () => Viewport, requestFrame: () => void) {
  const store = useBoardStore()
  const following = computed(() => !store.isTutor && (store.follow || store.followChosen) && !store.followPaused)

  function tutorView() {
    return session.presence.peers().find((p) => p.user.role === 'tutor')?.view ?? null
  }

  function publish(): void {
    if (!store.pageId) return
    const v = viewport().visible()
    session.presence.set({ view: { page: store.pageId, x: Math.round(v.minX), y: Math.round(v.minY), w: Math.max(1, Math.round(v.maxX - v.minX)), h: Math.max(1, Math.round(v.maxY - v.minY)) } })
  }

  function apply(): void {
    if (!following.value) return
    const view = tutorView()
    if (!view) return
    if (view.page !== store.pageId) {
      // The page watcher shows the page and calls viewChanged(), which lands here again.
      store.goTo(view.page, false)
      return
    }
    viewport().fit({ minX: view.x, minY: view.y, maxX: view.x + view.w, maxY: view.y + view.h }, 0)
    requestFrame()
  }

  const onPeers = () => apply()
  session.events.on('peers', onPeers)
  watch(following, (on) => on && apply())

  return {
    following,
    tutorPresent: computed(() => (void store.peersVersion, tutorView() !== null)),
    /** The page the tutor is looking at, when they are on the board. */
    tutorPage: computed(() => (void store.peersVersion, tutorView()?.page ?? null)),
    /** The view changed for any reason. */
    viewChanged(): void {
      publish()
      apply()
    },
    /** This person panned, zoomed or turned the page themselves. */
    userNavigated(): void {
      if (following.value) store.followPaused = true
    },
    stop(): void {
      session.events.off('peers', onPeers)
      session.presence.set({ view: null })
    },
  }
}
