import { MAX_IMAGE_BYTES } from '../../shared/ai/limits'

const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  png: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  jpeg: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  webp: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
}

/**
 * The schema already checked the data URL's form; this checks that the bytes
 * are the picture type they claim to be and within the size limit, so the
 * provider is never handed something else under an image label.
 */
export function checkImageDataUrl(dataUrl: string): string | null {
  const match = /^data:image\/(png|jpeg|webp);base64,(.*)$/.exec(dataUrl)
  if (!match?.[1] || match[2] === undefined) return 'not a base64 image data URL'
  const bytes = Buffer.from(match[2], 'base64')
  if (bytes.length === 0) return 'the image is empty'
  if (bytes.length > MAX_IMAGE_BYTES) return `the image is larger than ${MAX_IMAGE_BYTES} bytes`
  if (!SIGNATURES[match[1]]?.(bytes)) return `the data is not a ${match[1].toUpperCase()} image`
  return null
}
