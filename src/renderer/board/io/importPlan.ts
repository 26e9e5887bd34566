import { MAX_ASSET_BYTES, MAX_IMAGE_SIDE, MAX_PAGE_HEIGHT, MAX_PAGES, MIN_PAGE_HEIGHT, PAGE_WIDTH } from '../../../shared/board/limits'
import type { NewPage } from '../../../shared/board/pageOps'

/** Why a file could not be added; each has a message in both languages (board.importErrors). */
export type ImportErrorCode =
  | 'unsupported'
  | 'too_large'
  | 'unreadable_pdf'
  | 'unreadable_image'
  | 'image_too_big'
  | 'too_many_pages'
  | 'upload_failed'
  | 'offline'
  | 'forbidden'

export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    readonly detail: Record<string, number> = {},
  ) {
    super(code)
  }
}

/** Board page height for a source page, keeping its aspect ratio within the board's limits. */
export function boardHeight(w: number, h: number): number {
  if (!(w > 0) || !(h > 0)) return PAGE_WIDTH
  return Math.round(Math.min(MAX_PAGE_HEIGHT, Math.max(MIN_PAGE_HEIGHT, (PAGE_WIDTH * h) / w)))
}

export function checkFileSize(bytes: number): void {
  if (bytes > MAX_ASSET_BYTES) throw new ImportError('too_large', { max: Math.round(MAX_ASSET_BYTES / 1024 / 1024) })
}

/** Refuses before anything is uploaded when the pages would not fit. */
export function checkPageRoom(existing: number, adding: number): void {
  if (existing + adding > MAX_PAGES) throw new ImportError('too_many_pages', { max: MAX_PAGES, adding, free: Math.max(0, MAX_PAGES - existing) })
}

export function checkImageSize(w: number, h: number): void {
  if (!(w > 0 && h > 0)) throw new ImportError('unreadable_image')
  if (w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE) throw new ImportError('image_too_big', { max: MAX_IMAGE_SIDE })
}

/** One board page per PDF page, each with that page as its background. */
export function pdfPages(asset: string, sizes: readonly { w: number; h: number }[]): NewPage[] {
  return sizes.map((size, i) => ({ bg: { kind: 'pdf', asset, page: i + 1 }, h: boardHeight(size.w, size.h) }))
}

export function imagePage(asset: string, w: number, h: number): NewPage {
  return { bg: { kind: 'image', asset }, h: boardHeight(w, h) }
}
