import { onBeforeUnmount, onMounted } from 'vue'
import { isShortcutKey } from '../../ui/keyTargets'
import { useBoardStore } from '../stores/boardStore'
import type { ToolId } from '../tools/types'

/** One key per tool, as in Excalidraw, tldraw and Figma (V select, P pen, …). */
export const TOOL_KEYS: Readonly<Record<string, ToolId>> = {
  v: 'select',
  p: 'pen',
  h: 'hl',
  l: 'line',
  a: 'arrow',
  r: 'rect',
  o: 'ellipse',
  t: 'text',
  e: 'eraser',
  k: 'laser',
}

/** The key of each tool, for tooltips ("Pen (P)"). */
export const KEY_OF_TOOL = Object.fromEntries(Object.entries(TOOL_KEYS).map(([key, tool]) => [tool, key])) as Readonly<Record<ToolId, string>>

export interface BoardKeyActions {
  deleteSelection(): boolean
  clearSelection(): boolean
  setSpace(held: boolean): void
}

/**
 * Board shortcuts while the board is shown. They listen in the capture phase
 * and stop the event, so for the keys the board uses they win over the
 * room's shortcuts; every other key (B, ?, the room's Ctrl+Shift combos)
 * passes through.
 */
export function useBoardShortcuts(actions: BoardKeyActions): void {
  const store = useBoardStore()

  function handle(e: KeyboardEvent): boolean {
    const key = e.key.toLowerCase()
    const mod = e.ctrlKey || e.metaKey
    if (mod && !e.altKey) {
      if (key === 'z' && !e.shiftKey) return store.undo(), true
      if ((key === 'z' && e.shiftKey) || (key === 'y' && !e.shiftKey)) return store.redo(), true
      return false
    }
    if (e.altKey || e.shiftKey) return false
    const tool = TOOL_KEYS[key]
    if (tool) return store.setTool(tool), true
    switch (e.key) {
      case 'Delete':
      case 'Backspace':
        return actions.deleteSelection()
      case 'Escape':
        return actions.clearSelection()
      case 'PageDown':
        return store.step(1), true
      case 'PageUp':
        return store.step(-1), true
      case ' ':
        actions.setSpace(true)
        return true
      default:
        return false
    }
  }

  const onDown = (e: KeyboardEvent) => {
    if (!isShortcutKey(e.target)) return
    if (e.repeat && e.key !== ' ') return
    if (handle(e)) {
      e.preventDefault()
      e.stopImmediatePropagation()
    }
  }
  const onUp = (e: KeyboardEvent) => {
    if (e.key === ' ') actions.setSpace(false)
  }
  onMounted(() => {
    window.addEventListener('keydown', onDown, { capture: true })
    window.addEventListener('keyup', onUp, { capture: true })
  })
  onBeforeUnmount(() => {
    window.removeEventListener('keydown', onDown, { capture: true })
    window.removeEventListener('keyup', onUp, { capture: true })
  })
}
