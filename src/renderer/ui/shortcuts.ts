/**
 * Duet's keyboard conventions, in one table that the key handlers, the
 * tooltips and the shortcut sheet (`?`) all read.
 *
 * - Lesson actions are Ctrl+Shift+letter (⌘⇧ on macOS), as in Microsoft
 *   Teams, which many schools already use: M mute, O camera, S share,
 *   L leave, A for Ask AI and C for the chat. A modifier keeps them from firing by accident
 *   while someone draws or types.
 * - Single letters belong to the whiteboard, as in Excalidraw, tldraw and
 *   Figma (V select, P pen, …; see the board's TOOL_KEYS); B shows or hides the
 *   board and ? opens the shortcut sheet.
 */
export const ROOM_KEYS = {
  mute: 'ctrl+shift+m',
  camera: 'ctrl+shift+o',
  share: 'ctrl+shift+s',
  leave: 'ctrl+shift+l',
  ai: 'ctrl+shift+a',
  chat: 'ctrl+shift+c',
  board: 'b',
  sheet: '?',
} as const

export type RoomAction = keyof typeof ROOM_KEYS

/** True on Apple platforms, where Ctrl in a combo means ⌘. */
export function isMacLike(platform = typeof navigator === 'undefined' ? '' : navigator.platform): boolean {
  return /Mac|iPhone|iPad/i.test(platform)
}

/**
 * A key combo as people read it: "ctrl+shift+m" → "Ctrl+Shift+M", or "⌘⇧M"
 * on macOS; single keys ("b", "?", "pagedown") in capitals or by name.
 */
export function keyLabel(combo: string, mac = isMacLike()): string {
  const parts = combo.split('+')
  const key = parts.pop() ?? ''
  const names: Record<string, string> = { pagedown: 'Page Down', pageup: 'Page Up', escape: 'Esc', delete: 'Delete', ' ': 'Space', space: 'Space' }
  const keyName = names[key] ?? (key.length === 1 ? key.toUpperCase() : key)
  if (mac) {
    const symbols: Record<string, string> = { ctrl: '⌘', alt: '⌥', shift: '⇧' }
    return parts.map((p) => symbols[p] ?? p).join('') + keyName
  }
  const words: Record<string, string> = { ctrl: 'Ctrl', alt: 'Alt', shift: 'Shift' }
  return [...parts.map((p) => words[p] ?? p), keyName].join('+')
}

/** "Mute (Ctrl+Shift+M)": a tooltip that teaches the key. */
export function withKey(label: string, action: RoomAction): string {
  return `${label} (${keyLabel(ROOM_KEYS[action])})`
}

/** The combo a key event stands for, in the form of ROOM_KEYS (Cmd counts as Ctrl). */
export function comboOf(event: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'key'>): string {
  // "?" needs Shift on most layouts; it is named by the character it types.
  if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey) return '?'
  const parts: string[] = []
  if (event.ctrlKey || event.metaKey) parts.push('ctrl')
  if (event.altKey) parts.push('alt')
  if (event.shiftKey) parts.push('shift')
  parts.push(event.key.toLowerCase())
  return parts.join('+')
}
