import { SHARING_BAR_ROLE_ARG } from '../../src/shared/ipc'

/** True in the sharing bar's renderer (main passes the role flag in additionalArguments). */
export function isSharingBar(argv: readonly string[]): boolean {
  return argv.includes(SHARING_BAR_ROLE_ARG)
}

interface ButtonLike {
  disabled: boolean
  addEventListener(type: 'click', listener: () => void): void
}

/**
 * The bar's whole behaviour: Stop tells main, once. Runs in the preload's
 * isolated world, which shares the page's DOM, so the page needs no script.
 */
export function wireSharingBar(doc: { getElementById(id: string): unknown }, sendStop: () => void): boolean {
  const button = doc.getElementById('stop') as ButtonLike | null
  if (!button) return false
  button.addEventListener('click', () => {
    if (button.disabled) return
    button.disabled = true
    sendStop()
  })
  return true
}
