import { onBeforeUnmount, onMounted } from 'vue'

/** Key combos like "m", "v", "ctrl+shift+l" (ctrl also matches Cmd on macOS). */
export type Shortcuts = Record<string, () => void>

function comboOf(event: KeyboardEvent): string {
  const parts: string[] = []
  if (event.ctrlKey || event.metaKey) parts.push('ctrl')
  if (event.altKey) parts.push('alt')
  if (event.shiftKey) parts.push('shift')
  parts.push(event.key.toLowerCase())
  return parts.join('+')
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

export function useShortcuts(shortcuts: Shortcuts): void {
  const onKey = (event: KeyboardEvent) => {
    if (event.repeat || isTyping(event.target)) return
    const action = shortcuts[comboOf(event)]
    if (!action) return
    event.preventDefault()
    action()
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
