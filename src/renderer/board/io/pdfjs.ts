import type { PDFDocumentProxy } from 'pdfjs-dist'

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs')

let loading: Promise<PdfJs> | null = null

/** Uses an already configured pdf.js (Node tests pass the legacy build with its Node worker). */
export function providePdfJs(lib: PdfJs): void {
  loading = Promise.resolve(lib)
}

/**
 * pdf.js, loaded on first use (it is large) with its worker from the app's
 * own origin. The legacy build also runs in older Chromium (Electron) and
 * older student browsers.
 */
export function loadPdfJs(): Promise<PdfJs> {
  loading ??= Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), import('pdfjs-dist/legacy/build/pdf.worker.min.mjs?url')]).then(([pdfjs, worker]) => {
    pdfjs.GlobalWorkerOptions.workerSrc = worker.default
    return pdfjs
  })
  return loading
}

/** Opens PDF bytes; pdf.js takes ownership of the buffer it is given, so it gets a copy. */
export async function openPdf(bytes: Uint8Array, pdfjs?: PdfJs): Promise<PDFDocumentProxy> {
  const lib = pdfjs ?? (await loadPdfJs())
  return lib.getDocument({ data: bytes.slice(), isEvalSupported: false, stopAtErrors: false }).promise
}

/** Page sizes in PDF points (rotation applied). */
export async function pdfPageSizes(doc: PDFDocumentProxy, limit: number): Promise<{ w: number; h: number }[]> {
  const out: { w: number; h: number }[] = []
  for (let i = 1; i <= Math.min(doc.numPages, limit); i++) {
    const viewport = (await doc.getPage(i)).getViewport({ scale: 1 })
    out.push({ w: viewport.width, h: viewport.height })
  }
  return out
}

/** Renders one page to a canvas `widthPx` wide (white behind, as on paper). */
export async function renderPdfPage(doc: PDFDocumentProxy, pageNumber: number, widthPx: number): Promise<HTMLCanvasElement> {
  const page = await doc.getPage(pageNumber)
  const base = page.getViewport({ scale: 1 })
  const viewport = page.getViewport({ scale: widthPx / base.width })
  const canvas = document.createElement('canvas')
  canvas.width = Math.max(1, Math.round(viewport.width))
  canvas.height = Math.max(1, Math.round(viewport.height))
  await page.render({ canvas, viewport, background: '#ffffff' }).promise
  page.cleanup()
  return canvas
}
