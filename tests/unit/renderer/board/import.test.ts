import { jsPDF } from 'jspdf'
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { pageIds, readPage } from '../../../../src/shared/board/layout'
import { MAX_ASSET_BYTES, MAX_PAGES } from '../../../../src/shared/board/limits'
import { addPages, ensureFirstPage } from '../../../../src/shared/board/pageOps'
import { AssetError, type AssetClient } from '../../../../src/renderer/board/io/assetClient'
import { importFile } from '../../../../src/renderer/board/io/importFile'
import { ImportError, boardHeight } from '../../../../src/renderer/board/io/importPlan'
import { providePdfJs } from '../../../../src/renderer/board/io/pdfjs'

/** A PDF with pages of the given formats, as course material would be. */
function makePdf(formats: [string, 'portrait' | 'landscape'][]): Uint8Array {
  const [first, ...rest] = formats
  const pdf = new jsPDF({ unit: 'pt', format: first?.[0] ?? 'a4', orientation: first?.[1] ?? 'portrait' })
  pdf.text('Page 1', 40, 60)
  rest.forEach(([format, orientation], i) => {
    pdf.addPage(format, orientation)
    pdf.text(`Page ${i + 2}`, 40, 60)
  })
  return new Uint8Array(pdf.output('arraybuffer'))
}

const ASSET = 'c'.repeat(64)

function fakeAssets(fail?: AssetError): { client: AssetClient; upload: ReturnType<typeof vi.fn> } {
  const upload = vi.fn(async (bytes: Uint8Array) => {
    if (fail) throw fail
    return { id: ASSET, mime: 'application/pdf' as const, bytes: bytes.length }
  })
  return { client: { upload, get: vi.fn() } as unknown as AssetClient, upload }
}

function board(extraPages = 0): Y.Doc {
  const doc = new Y.Doc()
  ensureFirstPage(doc, 'me')
  if (extraPages) addPages(doc, 'me', Array.from({ length: extraPages }, () => ({ bg: { kind: 'blank' as const } })))
  return doc
}

async function importError(run: Promise<unknown>): Promise<string> {
  try {
    await run
  } catch (err) {
    if (err instanceof ImportError) return err.code
    throw err
  }
  throw new Error('import did not fail')
}

beforeAll(() => providePdfJs(pdfjs))

describe('opening course material', () => {
  it('turns each PDF page into a board page with that page as its background, after the current page', async () => {
    const doc = board(1)
    const [first, second] = pageIds(doc)
    const { client, upload } = fakeAssets()
    const pdf = makePdf([
      ['a4', 'portrait'],
      ['a4', 'landscape'],
      ['letter', 'portrait'],
    ])
    const ids = await importFile(new Blob([pdf as Uint8Array<ArrayBuffer>]), doc, 'me', client, 0)
    expect(upload).toHaveBeenCalledOnce()
    expect(upload.mock.calls[0]?.[1]).toBe('application/pdf')
    expect(pageIds(doc)).toEqual([first, ...ids, second])
    const pages = ids.map((id) => readPage(doc, id)?.attrs)
    expect(pages.map((p) => p?.bg)).toEqual([1, 2, 3].map((page) => ({ kind: 'pdf', asset: ASSET, page })))
    // Aspect ratios are kept: A4 portrait 595×842, A4 landscape 842×595, Letter 612×792.
    expect(pages.map((p) => p?.h)).toEqual([boardHeight(595.28, 841.89), boardHeight(841.89, 595.28), boardHeight(612, 792)])
    expect(pages[0]?.h).toBe(2263)
  })

  it('refuses a PDF that would pass the page limit before uploading anything', async () => {
    const doc = board(MAX_PAGES - 3)
    const before = Y.encodeStateAsUpdate(doc)
    const { client, upload } = fakeAssets()
    const pdf = makePdf(Array.from({ length: 3 }, () => ['a4', 'portrait'] as [string, 'portrait']))
    expect(await importError(importFile(new Blob([pdf as Uint8Array<ArrayBuffer>]), doc, 'me', client, 0))).toBe('too_many_pages')
    expect(upload).not.toHaveBeenCalled()
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
  })

  it('refuses damaged, unsupported and oversized files and changes nothing', async () => {
    const doc = board()
    const before = Y.encodeStateAsUpdate(doc)
    const { client, upload } = fakeAssets()
    const damaged = makePdf([['a4', 'portrait']]).slice(0, 200)
    const cases: [BlobPart, string][] = [
      [damaged as Uint8Array<ArrayBuffer>, 'unreadable_pdf'],
      ['%PDF-1.7\nthis is not really a pdf', 'unreadable_pdf'],
      ['<svg xmlns="http://www.w3.org/2000/svg"></svg>', 'unsupported'],
      ['', 'unsupported'],
      [new Uint8Array(MAX_ASSET_BYTES + 1), 'too_large'],
    ]
    for (const [part, code] of cases) expect(await importError(importFile(new Blob([part]), doc, 'me', client, 0))).toBe(code)
    expect(upload).not.toHaveBeenCalled()
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
  })

  it('adds nothing when the upload fails', async () => {
    const doc = board()
    const before = Y.encodeStateAsUpdate(doc)
    const pdf = new Blob([makePdf([['a4', 'portrait']]) as Uint8Array<ArrayBuffer>])
    expect(await importError(importFile(pdf, doc, 'me', fakeAssets(new AssetError('network')).client, 0))).toBe('offline')
    expect(await importError(importFile(pdf, doc, 'me', fakeAssets(new AssetError('forbidden')).client, 0))).toBe('forbidden')
    expect(await importError(importFile(pdf, doc, 'me', fakeAssets(new AssetError('too_large')).client, 0))).toBe('too_large')
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
  })
})
