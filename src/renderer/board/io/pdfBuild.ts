import { jsPDF } from 'jspdf'

/** PDF points per board unit: a 1600-unit page is 1200 pt wide (CSS pixels at 96 dpi). */
export const PT_PER_UNIT = 0.75

export interface PdfPageImage {
  /** Page size in board units. */
  w: number
  h: number
  /** Encoded image bytes (PNG or JPEG) covering the whole page. */
  data: Uint8Array
  format: 'PNG' | 'JPEG'
}

/** One PDF page per board page, each the page's picture at its own size. */
export function buildPdf(pages: readonly PdfPageImage[]): ArrayBuffer {
  const first = pages[0]
  if (!first) throw new Error('no pages to export')
  const size = (p: PdfPageImage): [number, number] => [p.w * PT_PER_UNIT, p.h * PT_PER_UNIT]
  const orientation = (p: PdfPageImage) => (p.w >= p.h ? 'landscape' : 'portrait')
  const pdf = new jsPDF({ unit: 'pt', format: size(first), orientation: orientation(first), compress: true })
  pages.forEach((p, i) => {
    if (i > 0) pdf.addPage(size(p), orientation(p))
    const [w, h] = size(p)
    pdf.addImage(p.data, p.format, 0, 0, w, h, undefined, 'FAST')
  })
  pdf.setProperties({ title: 'Duet whiteboard', creator: 'Duet' })
  return pdf.output('arraybuffer')
}
