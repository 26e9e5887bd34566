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
 * popover that asks): Space and Enter press its focused button, Escape
 * closes it, and B or Delete must not change the board behind it.
 */
export function isInDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[role="dialog"], [role="alertdialog"]') !== null
}

/** Neither: the key is free for the page's shortcuts. */
export const isShortcutKey = (target: EventTarget | null): boolean => !isTypingIn(target) && !isInDialog(target)
