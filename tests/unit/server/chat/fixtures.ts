import { zipSync, strToU8 } from 'fflate'

/** A 1x1 PNG. */
export const PNG = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
)
export const PDF = strToU8('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')

/** The smallest zip a Word document is recognised by (its content types and the main part). */
export function docx(): Uint8Array {
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    'word/document.xml': strToU8('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>'),
  })
}

/** Things a chat must never carry, whatever their name says. */
export const FORBIDDEN: [string, Uint8Array][] = [
  ['page.html', strToU8('<!doctype html><script>alert(1)</script>')],
  ['picture.svg', strToU8('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>')],
  ['homework.pdf', Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00])], // a Windows executable named .pdf
  ['notes.txt', strToU8('just some text')],
  ['archive.zip', zipSync({ 'a.txt': strToU8('a') })],
]
