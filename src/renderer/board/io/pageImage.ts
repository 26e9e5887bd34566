import * as Y from 'yjs'
import { compareStrokes, readPage, type StrokeData } from '../../../shared/board/layout'
import { readStrokeCached, shapeOfData } from '../scene/strokeCache'
import { paintPageFrame, paintPaper } from '../render/pagePainter'
import { buildShape, paintStroke, paintStrokeAt } from '../render/strokeShape'
import type { BackgroundCache } from './backgrounds'

/** All valid strokes of a page in draw order. */
export function pageStrokes(doc: Y.Doc, pageId: string): StrokeData[] {
  const page = readPage(doc, pageId)
  if (!page) return []
  const out: StrokeData[] = []
  page.strokes.forEach((map, id) => {
    const s = readStrokeCached(id, map)
    if (s) out.push(s)
  })
  return out.sort(compareStrokes)
}

/**
 * A whole page, background and ink, rendered `widthPx` wide: for export
 * (full quality) and thumbnails (`quick`: strokes as plain lines, which is
 * all a 120 px picture can show, at a fraction of the cost).
 */
export async function renderPageImage(doc: Y.Doc, pageId: string, backgrounds: BackgroundCache, widthPx: number, quick = false): Promise<HTMLCanvasElement | null> {
  const page = readPage(doc, pageId)
  if (!page) return null
  const { attrs } = page
  const k = widthPx / attrs.w
  const canvas = document.createElement('canvas')
  canvas.width = Math.max(1, Math.round(widthPx))
  canvas.height = Math.max(1, Math.round(attrs.h * k))
  const ctx = canvas.getContext('2d')
  if (!ctx) return null
  ctx.setTransform(k, 0, 0, k, 0, 0)
  let bg = null
  try {
    const image = await backgrounds.load(attrs.bg, widthPx)
    bg = image ? { image } : null
  } catch {
    bg = { error: true as const }
  }
  paintPageFrame(ctx, attrs, k)
  paintPaper(ctx, attrs, bg, null, k)
  for (const s of pageStrokes(doc, pageId)) {
    // An export builds every outline once and lets them go; a thumbnail needs few (thin ink is a hairline) and keeps them.
    if (quick) paintStrokeAt(ctx, s, () => shapeOfData(s), k)
    else paintStroke(ctx, s, buildShape(s))
  }
  return canvas
}
