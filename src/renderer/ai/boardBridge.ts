import { shallowRef, type ShallowRef } from 'vue'

/**
 * What the AI panel needs from a whiteboard, and nothing more. The board
 * registers itself while it is on screen; the panel uses it when present
 * (attach the board, send an answer to the board) and hides those buttons
 * when not.
 *
 *   const stop = registerAiBoard({ snapshotBoard, sendToBoard })
 *   onBeforeUnmount(stop)
 */
export interface AiBoardBridge {
  /** The selected region, else the current page, as a PNG data URL; null if there is nothing to show. */
  snapshotBoard(): Promise<string | null>
  /** Puts an answer (Markdown with LaTeX) on the board; absent when the board cannot take text. */
  sendToBoard?(markdown: string): void | Promise<void>
}

const current = shallowRef<AiBoardBridge | null>(null)

export function registerAiBoard(bridge: AiBoardBridge): () => void {
  current.value = bridge
  return () => {
    if (current.value === bridge) current.value = null
  }
}

export function useAiBoard(): Readonly<ShallowRef<AiBoardBridge | null>> {
  return current
}
