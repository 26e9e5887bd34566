import type { PDFDocumentProxy } from 'pdfjs-dist'
import type { Background } from '../../../shared/board/schema'
import type { AssetClient } from './assetClient'
import { openPdf, renderPdfPage } from './pdfjs'

/** Widths PDF pages are rendered at; the smallest one at least as wide as the screen is used. */
const PDF_WIDTHS = [800, 1600, 3200] as const
const MAX_RENDERED = 24
/** Images are decoded at most this wide (the board page is 1600 units). */
const MAX_IMAGE_WIDTH = 3200

export type BackgroundImage = CanvasImageSource & { width: number; height: number }
export type BackgroundState = { image: BackgroundImage } | { loading: true } | { error: true }

/**
 * Page backgrounds from course material: images decoded once, PDF pages
 * rendered by pdf.js at a few fixed widths (sharper as you zoom in) and kept
 * in a small LRU. `onReady` is called when something new can be drawn.
 */
export class BackgroundCache {
  private readonly images = new Map<string, BackgroundImage | 'loading' | 'error'>()
  private readonly pdfs = new Map<string, Promise<PDFDocumentProxy>>()
  private readonly rendered = new Map<string, BackgroundImage | 'loading' | 'error'>()

  constructor(
    private readonly assets: AssetClient,
    private readonly onReady: () => void,
  ) {}

  /** What to draw now for `bg` at about `pxWidth` device pixels wide. */
  get(bg: Background, pxWidth: number): BackgroundState | null {
    if (bg.kind === 'blank' || bg.kind === 'grid') return null
    if (bg.kind === 'image') return this.image(bg.asset)
    const wanted = PDF_WIDTHS.find((w) => w >= pxWidth) ?? PDF_WIDTHS[PDF_WIDTHS.length - 1]
    const state = this.pdfPage(bg.asset, bg.page, wanted as number)
    if ('image' in state || 'error' in state) return state
    // While the sharp one renders, show any other width already there.
    for (const w of PDF_WIDTHS) {
      const other = this.rendered.get(`${bg.asset}:${bg.page}:${w}`)
      if (other && other !== 'loading' && other !== 'error') return { image: other }
    }
    return state
  }

  /** For export: the page background at a given width, waiting for it. */
  async load(bg: Background, pxWidth: number): Promise<BackgroundImage | null> {
    if (bg.kind === 'blank' || bg.kind === 'grid') return null
    if (bg.kind === 'image') return this.decodeImage(bg.asset)
    return renderPdfPage(await this.pdf(bg.asset), bg.page, Math.min(PDF_WIDTHS[PDF_WIDTHS.length - 1] as number, Math.max(400, pxWidth)))
  }

  /** Forgets failures (e.g. after reconnecting) so they are tried again. */
  retryFailed(): void {
    for (const map of [this.images, this.rendered]) for (const [key, value] of map) if (value === 'error') map.delete(key)
    this.onReady()
  }

  destroy(): void {
    for (const p of this.pdfs.values()) void p.then((d) => d.destroy()).catch(() => {})
    this.pdfs.clear()
    this.rendered.clear()
    this.images.clear()
  }

  private async decodeImage(asset: string): Promise<BackgroundImage> {
    const bytes = await this.assets.get(asset)
    const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]))
    if (bitmap.width <= MAX_IMAGE_WIDTH) return bitmap
    const scaled = await createImageBitmap(bitmap, { resizeWidth: MAX_IMAGE_WIDTH, resizeQuality: 'high' })
    bitmap.close()
    return scaled
  }

  private image(asset: string): BackgroundState {
    const have = this.images.get(asset)
    if (have === 'error') return { error: true }
    if (have && have !== 'loading') return { image: have }
    if (!have) {
      this.images.set(asset, 'loading')
      this.decodeImage(asset).then(
        (img) => this.settle(this.images, asset, img),
        () => this.settle(this.images, asset, 'error'),
      )
    }
    return { loading: true }
  }

  private pdf(asset: string): Promise<PDFDocumentProxy> {
    let doc = this.pdfs.get(asset)
    if (!doc) {
      doc = this.assets.get(asset).then((bytes) => openPdf(bytes))
      this.pdfs.set(asset, doc)
      doc.catch(() => this.pdfs.delete(asset))
    }
    return doc
  }

  private pdfPage(asset: string, page: number, width: number): BackgroundState {
    const key = `${asset}:${page}:${width}`
    const have = this.rendered.get(key)
    if (have === 'error') return { error: true }
    if (have && have !== 'loading') {
      // Refresh its place in the LRU.
      this.rendered.delete(key)
      this.rendered.set(key, have)
      return { image: have }
    }
    if (!have) {
      this.rendered.set(key, 'loading')
      this.pdf(asset)
        .then((doc) => renderPdfPage(doc, page, width))
        .then(
          (canvas) => this.settle(this.rendered, key, canvas),
          () => this.settle(this.rendered, key, 'error'),
        )
    }
    return { loading: true }
  }

  private settle(map: Map<string, BackgroundImage | 'loading' | 'error'>, key: string, value: BackgroundImage | 'error'): void {
    map.set(key, value)
    while (this.rendered.size > MAX_RENDERED) {
      const oldest = this.rendered.keys().next().value
      if (oldest === undefined) break
      this.rendered.delete(oldest)
    }
    this.onReady()
  }
}
