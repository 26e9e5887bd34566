import type * as Y from 'yjs'
import { sniffAsset } from '../../../shared/board/assets'
import { pageIds } from '../../../shared/board/layout'
import { BoardLimitError, addPages, type NewPage } from '../../../shared/board/pageOps'
import { AssetError, type AssetClient } from './assetClient'
import { ImportError, checkFileSize, checkImageSize, checkPageRoom, imagePage, pdfPages } from './importPlan'
import { openPdf, pdfPageSizes } from './pdfjs'

async function readFile(file: Blob): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.arrayBuffer())
  } catch {
    throw new ImportError('unsupported')
  }
}

async function probeImage(bytes: Uint8Array, mime: string): Promise<{ w: number; h: number }> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }))
  } catch {
    throw new ImportError('unreadable_image')
  }
  const size = { w: bitmap.width, h: bitmap.height }
  bitmap.close()
  checkImageSize(size.w, size.h)
  return size
}

async function probePdf(bytes: Uint8Array, existing: number): Promise<{ w: number; h: number }[]> {
  let sizes: { w: number; h: number }[]
  try {
    const doc = await openPdf(bytes)
    try {
      checkPageRoom(existing, doc.numPages)
      sizes = await pdfPageSizes(doc, doc.numPages)
    } finally {
      void doc.destroy()
    }
  } catch (err) {
    throw err instanceof ImportError ? err : new ImportError('unreadable_pdf')
  }
  if (sizes.length === 0) throw new ImportError('unreadable_pdf')
  return sizes
}

/**
 * Opens a PDF or image as board pages after `afterIndex`: every check runs
 * before the upload, and the pages are added in one transaction after it,
 * so a file that cannot be used changes nothing. Returns the new page ids.
 */
export async function importFile(file: Blob, doc: Y.Doc, origin: unknown, assets: AssetClient, afterIndex: number): Promise<string[]> {
  checkFileSize(file.size)
  const bytes = await readFile(file)
  const kind = sniffAsset(bytes)
  if (!kind) throw new ImportError('unsupported')
  const existing = pageIds(doc).length
  let build: (asset: string) => NewPage[]
  if (kind.kind === 'pdf') {
    const sizes = await probePdf(bytes, existing)
    build = (asset) => pdfPages(asset, sizes)
  } else {
    checkPageRoom(existing, 1)
    const { w, h } = await probeImage(bytes, kind.mime)
    build = (asset) => [imagePage(asset, w, h)]
  }
  let asset: string
  try {
    asset = (await assets.upload(bytes, kind.mime)).id
  } catch (err) {
    const code = err instanceof AssetError ? err.code : 'failed'
    throw new ImportError(code === 'network' ? 'offline' : code === 'too_large' ? 'too_large' : code === 'forbidden' ? 'forbidden' : code === 'unreadable' ? 'unsupported' : 'upload_failed')
  }
  try {
    return addPages(doc, origin, build(asset), afterIndex + 1)
  } catch (err) {
    // The other person added pages meanwhile.
    if (err instanceof BoardLimitError) throw new ImportError('too_many_pages')
    throw err
  }
}
