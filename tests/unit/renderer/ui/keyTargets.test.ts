// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { useShortcuts } from '../../../../src/renderer/ui/composables/useShortcuts'
import { isInPopup, isShortcutKey, isTypingIn } from '../../../../src/renderer/ui/keyTargets'

/** The room as far as keys go: B toggles the board; a field and a question on the page. */
function room() {
  const toggleBoard = vi.fn()
  const mute = vi.fn()
  const wrapper = mount(
    defineComponent({
      setup() {
        useShortcuts({ b: toggleBoard, 'ctrl+shift+m': mute })
        return () => [
          h('input', { id: 'name' }),
          h('button', { id: 'plain' }, 'Share'),
          h('div', { role: 'alertdialog' }, [h('button', { id: 'cancel' }, 'Cancel')]),
          h('ul', { role: 'menu' }, [h('li', [h('button', { id: 'item', role: 'menuitem' }, 'Blank page')])]),
        ]
      },
    }),
    { attachTo: document.body },
  )
  const press = (id: string, key: string, init: KeyboardEventInit = {}) => {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init })
    document.getElementById(id)?.dispatchEvent(event)
    return event
  }
  return { wrapper, toggleBoard, mute, press }
}

describe('which keys are shortcuts', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('a key on the page is the room’s; typed in a field, or pressed in a dialog or a menu, it is not', () => {
    const { wrapper, toggleBoard, press } = room()
    expect(press('plain', 'b').defaultPrevented).toBe(true)
    expect(toggleBoard).toHaveBeenCalledTimes(1)
    expect(press('name', 'b').defaultPrevented).toBe(false)
    expect(press('cancel', 'b').defaultPrevented).toBe(false)
    expect(press('item', 'b').defaultPrevented).toBe(false)
    expect(toggleBoard).toHaveBeenCalledTimes(1)
    wrapper.unmount()
  })

  it('a Ctrl+Shift lesson action works while typing in a field (mute from the chat box), not in a dialog', () => {
    const { wrapper, mute, press } = room()
    const ctrlShiftM = { ctrlKey: true, shiftKey: true }
    expect(press('name', 'M', ctrlShiftM).defaultPrevented).toBe(true)
    expect(press('plain', 'M', ctrlShiftM).defaultPrevented).toBe(true)
    expect(mute).toHaveBeenCalledTimes(2)
    expect(press('cancel', 'M', ctrlShiftM).defaultPrevented).toBe(false)
    expect(mute).toHaveBeenCalledTimes(2)
    wrapper.unmount()
  })

  it('tells a field, a dialog and the page apart', () => {
    const { wrapper } = room()
    const el = (id: string) => document.getElementById(id)
    expect([isTypingIn(el('name')), isInPopup(el('name')), isShortcutKey(el('name'))]).toEqual([true, false, false])
    expect([isTypingIn(el('cancel')), isInPopup(el('cancel')), isShortcutKey(el('cancel'))]).toEqual([false, true, false])
    expect([isTypingIn(el('plain')), isInPopup(el('plain')), isShortcutKey(el('plain'))]).toEqual([false, false, true])
    expect(isShortcutKey(null)).toBe(true)
    expect([isShortcutKey(el('name'), true), isShortcutKey(el('cancel'), true)]).toEqual([true, false])
    wrapper.unmount()
  })
})
