import { watch } from 'vue'
import { addText, topZ } from '../../shared/board/strokeOps'
import { useBoardStore } from '../board/stores/boardStore'
import { registerAiBoard, useAiBoard, type AiBoardBridge } from './boardBridge'

/** Where sent answers land on a page, in board units (clear of the page edge). */
const TEXT_AT: [number, number] = [60, 60]
const TEXT_SIZE = 24

/** Markdown and TeX delimiters read badly as board text; the words and the TeX source stay. */
export function boardText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n?/g, '')
    .replace(/\\\(|\\\)|\\\[|\\\]|\$\$?/g, '')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/\*\*|__/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(new Error('could not read the board picture'))
    reader.readAsDataURL(blob)
  })
}

/**
 * Connects the lesson's whiteboard to the AI panel through the panel's
 * bridge while the board is connected (and only if the board did not
 * register a bridge of its own): a snapshot of the current page, and answers
 * sent to it as a text item (tutor). Returns the function that disconnects it.
 */
export function connectBoardToAi(): () => void {
  const board = useBoardStore()
  let unregister: (() => void) | null = null
  const stopWatching = watch(
    () => board.session,
    (session) => {
      unregister?.()
      unregister = null
      if (session && !useAiBoard().value) unregister = registerAiBoard(bridgeFor(board))
    },
    { immediate: true },
  )
  return () => {
    stopWatching()
    unregister?.()
  }
}

function bridgeFor(board: ReturnType<typeof useBoardStore>): AiBoardBridge {
  return {
    async snapshotBoard() {
      const session = board.session
      const pageId = board.pageId
      if (!session || !pageId) return null
      // The exporter loads only when someone attaches the board.
      const { exportPagePng } = await import('../board/io/exportBoard')
      return blobToDataUrl(await exportPagePng(session.doc, pageId, session.backgrounds))
    },
    sendToBoard(markdown) {
      const session = board.session
      const pageId = board.pageId
      if (!session || !pageId) return
      const attrs = { t: 'text' as const, c: '#1e1e1e', w: TEXT_SIZE, by: session.selfId, z: topZ(session.doc, pageId) + 1 }
      addText(session.doc, session.origin, pageId, attrs, TEXT_AT, boardText(markdown))
      board.shown = true
    },
  }
}
