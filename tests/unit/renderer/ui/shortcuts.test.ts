import { describe, expect, it } from 'vitest'
import { KEY_OF_TOOL, TOOL_KEYS } from '../../../../src/renderer/board/composables/useBoardShortcuts'
import { ROOM_KEYS, comboOf, keyLabel } from '../../../../src/renderer/ui/shortcuts'

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods })

describe('keyboard conventions', () => {
  it('reads Ctrl and Cmd alike, and ? by the character it types', () => {
    expect(comboOf(key('M', { ctrlKey: true, shiftKey: true }))).toBe(ROOM_KEYS.mute)
    expect(comboOf(key('m', { metaKey: true, shiftKey: true }))).toBe(ROOM_KEYS.mute)
    expect(comboOf(key('?', { shiftKey: true }))).toBe(ROOM_KEYS.sheet)
    expect(comboOf(key('b'))).toBe(ROOM_KEYS.board)
  })

  it('names keys as people read them, on each platform', () => {
    expect(keyLabel('ctrl+shift+m', false)).toBe('Ctrl+Shift+M')
    expect(keyLabel('ctrl+shift+m', true)).toBe('⌘⇧M')
    expect(keyLabel('pagedown', false)).toBe('Page Down')
    expect(keyLabel('?', false)).toBe('?')
  })

  it('lesson actions need Ctrl+Shift, so no single letter the board uses can mute or stop the camera', () => {
    const single = Object.values(ROOM_KEYS).filter((combo) => !combo.includes('+'))
    expect(single.sort()).toEqual(['?', 'b'])
    for (const combo of single) expect(TOOL_KEYS[combo]).toBeUndefined()
    // V selects on the board, as in Excalidraw, tldraw and Figma.
    expect(TOOL_KEYS.v).toBe('select')
    expect(KEY_OF_TOOL.select).toBe('v')
  })
})
