import { onBeforeUnmount, onMounted } from 'vue'

/**
 * Calls `refresh` every `periodMs` while the page is on screen, and at once
 * when it comes back on screen (another app was in front, the window was
 * minimised); the first load is the view's own, and `refresh` decides
 * whether there is anything to ask. For views that show what changes
 * without this person doing anything (the roster's warnings after a
 * restart's recompute, a lesson the tutor opens, a recording being
 * finished): what they see is never older than `periodMs` while they look
 * at it, and nothing is asked while nobody does.
 */
export function useRefreshWhileShown(refresh: () => unknown, periodMs: number): void {
  let timer: ReturnType<typeof setInterval> | null = null
  const shown = (): boolean => document.visibilityState === 'visible'
  const stop = (): void => {
    if (timer) clearInterval(timer)
    timer = null
  }
  const start = (): void => {
    stop()
    if (shown()) timer = setInterval(() => void refresh(), periodMs)
  }
  const onVisibility = (): void => {
    if (shown()) void refresh()
    start()
  }
  onMounted(() => {
    start()
    document.addEventListener('visibilitychange', onVisibility)
  })
  onBeforeUnmount(() => {
    stop()
    document.removeEventListener('visibilitychange', onVisibility)
  })
}
