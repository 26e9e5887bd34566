import type * as Y from 'yjs'
import { readPage } from '../../../shared/board/layout'
import type { BackgroundCache } from './backgrounds'
import { renderPageImage } from './pageImage'
import { buildPdf, type PdfPageImage } from './pdfBuild'

/** Export resolution: 1.5 pixels per board unit (2400 px for a page), enough to print. */
const EXPORT_SCALE = 1.5

async function canvasBytes(canvas: HTMLCanvasElement, type: 'image/png' | 'image/jpeg'): Promise<Uint8Array> {
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.9))
  if (!blob) throw new Error('could not encode the page')
  return new Uint8Array(await blob.arrayBuffer())
}

export async function exportPagePng(doc: Y.Doc, pageId: string, backgrounds: BackgroundCache): Promise<Blob> {
  const page = readPage(doc, pageId)
  const canvas = page ? await renderPageImage(doc, pageId, backgrounds, page.attrs.w * EXPORT_SCALE) : null
  if (!canvas) throw new Error('page not found')
  return new Blob([(await canvasBytes(canvas, 'image/png')) as Uint8Array<ArrayBuffer>], { type: 'image/png' })
}

/**
 * All pages as one PDF. Pages over course material are stored as JPEG
 * (photographs and scans compress far better); blank and grid pages as PNG
 * (crisp ink, flat colours compress well).
 */
export async function exportBoardPdf(doc: Y.Doc, pageIds: readonly string[], backgrounds: BackgroundCache, onProgress: (done: number) => void): Promise<Blob> {
  const images: PdfPageImage[] = []
  for (const id of pageIds) {
    const page = readPage(doc, id)
    if (!page) continue
    const canvas = await renderPageImage(doc, id, backgrounds, page.attrs.w * EXPORT_SCALE)
    if (!canvas) continue
    const photo = page.attrs.bg.kind === 'pdf' || page.attrs.bg.kind === 'image'
    images.push({ w: page.attrs.w, h: page.attrs.h, data: await canvasBytes(canvas, photo ? 'image/jpeg' : 'image/png'), format: photo ? 'JPEG' : 'PNG' })
    onProgress(images.length)
    // Let the page breathe between pages (a 200-page export takes a while).
    await new Promise((r) => setTimeout(r, 0))
  }
  return new Blob([buildPdf(images)], { type: 'application/pdf' })
}

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
