/**
 * Where a key press belongs to what has the focus rather than to a page's
 * shortcuts (the room's, the board's).
 */

/** Typing in a field: every key is text. */
export function isTypingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/**
 * In a dialog (a question, the recording player, the screen picker, a
 * popover that asks) or a menu: Space and Enter press its focused button or
 * item, Escape closes it, a letter finds a menu item, and none of them may
 * change the board behind it.
 */
export function isInPopup(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[role="dialog"], [role="alertdialog"], [role="menu"]') !== null
}

/**
 * Neither: the key is free for the page's shortcuts. A Ctrl (⌘) combo is
 * free while typing too (`withCtrl`): it types nothing, and a lesson action
 * (mute while writing in the chat) works from a text box, as in Teams.
 */
export const isShortcutKey = (target: EventTarget | null, withCtrl = false): boolean => (withCtrl || !isTypingIn(target)) && !isInPopup(target)
