import { onBeforeUnmount, onMounted } from 'vue'
import { isShortcutKey } from '../keyTargets'
import { comboOf } from '../shortcuts'

/**
 * Key combos like "b", "?", "ctrl+shift+l" (ctrl also matches Cmd on macOS);
 * see ../shortcuts.ts. An action that returns false did nothing with the key,
 * which then stays free for others (Esc closing a menu).
 */
export type Shortcuts = Record<string, () => void | boolean>

export function useShortcuts(shortcuts: Shortcuts): void {
  const onKey = (event: KeyboardEvent) => {
    if (event.repeat || !isShortcutKey(event.target, event.ctrlKey || event.metaKey)) return
    const action = shortcuts[comboOf(event)]
    if (!action) return
    if (action() !== false) event.preventDefault()
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
