import { deflateSync } from 'node:zlib'
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs'
import { describe, expect, it } from 'vitest'
import { PT_PER_UNIT, buildPdf } from '../../../../src/renderer/board/io/pdfBuild'

/** A solid-colour RGB PNG, encoded by hand (no canvas in Node). */
function png(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff
    for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const out = Buffer.alloc(body.length + 8)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc(body), body.length + 4)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())])
  const raw = Buffer.concat(Array.from({ length: height }, () => row))
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]),
  )
}

describe('PDF export', () => {
  it('makes one PDF page per board page, each at its own size', async () => {
    const pages = [
      { w: 1600, h: 1000, data: png(160, 100, [255, 255, 255]), format: 'PNG' as const },
      { w: 1600, h: 2263, data: png(160, 226, [250, 240, 200]), format: 'PNG' as const },
      { w: 1600, h: 1000, data: png(160, 100, [30, 30, 30]), format: 'PNG' as const },
    ]
    const bytes = new Uint8Array(buildPdf(pages))
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-')
    const doc = await pdfjs.getDocument({ data: bytes }).promise
    expect(doc.numPages).toBe(3)
    for (const [i, page] of pages.entries()) {
      const v = (await doc.getPage(i + 1)).getViewport({ scale: 1 })
      expect(v.width).toBeCloseTo(page.w * PT_PER_UNIT, 0)
      expect(v.height).toBeCloseTo(page.h * PT_PER_UNIT, 0)
    }
    // Every page carries its picture.
    const ops = await (await doc.getPage(2)).getOperatorList()
    expect(ops.fnArray).toContain(pdfjs.OPS.paintImageXObject)
  })

  it('refuses to make an empty PDF', () => {
    expect(() => buildPdf([])).toThrow()
  })
})
