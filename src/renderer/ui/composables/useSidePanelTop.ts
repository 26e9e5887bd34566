import { onBeforeUnmount, onMounted, type Ref } from 'vue'

/**
 * A side panel of the lesson room (AI, chat) hangs from the top of the room,
 * below the app header whatever its height: `--side-panel-top` follows the
 * room's top on mount and on every resize. `enabled` false: a panel shown as
 * a page of its own (Ask AI outside lessons) is left alone.
 */
export function useSidePanelTop(root: Ref<HTMLElement | null>, enabled: () => boolean = () => true): void {
  function place(): void {
    if (!enabled()) return
    const top = root.value?.parentElement?.getBoundingClientRect().top
    if (top !== undefined) root.value?.style.setProperty('--side-panel-top', `${Math.max(8, Math.round(top))}px`)
  }
  onMounted(() => {
    place()
    window.addEventListener('resize', place)
  })
  onBeforeUnmount(() => window.removeEventListener('resize', place))
}
