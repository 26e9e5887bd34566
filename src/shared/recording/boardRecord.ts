import type * as Y from 'yjs'
import { pageIds, readPage } from '../board/layout'

/**
 * Whether a lesson's board is worth keeping as a PDF in the lesson record:
 * someone drew or wrote on it, or course material was put on it. A board
 * that was never touched (its one blank page) leaves no PDF.
 */
export function boardWorthKeeping(doc: Y.Doc): boolean {
  return pageIds(doc).some((id) => {
    const page = readPage(doc, id)
    return page !== null && (page.strokes.size > 0 || page.attrs.bg.kind === 'pdf' || page.attrs.bg.kind === 'image')
  })
}
