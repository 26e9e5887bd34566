import { MAX_IMAGE_BYTES } from '../../shared/ai/limits'

/** Vision models see about this many pixels on the long side; more only costs upload time. */
const MAX_SIDE = 1568
const ACCEPTED = /^image\/(png|jpeg|webp|gif)$/

export class ImageAttachError extends Error {
  constructor(readonly reason: 'type' | 'size' | 'decode') {
    super(reason)
  }
}

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(new ImageAttachError('decode'))
    reader.readAsDataURL(blob)
  })
}

/**
 * A picture (file, paste, board snapshot) as a data URL the server accepts:
 * PNG/JPEG/WebP under the size limit, scaled down to MAX_SIDE. Transparent
 * pictures get a white background, as they look on the board.
 */
export async function imageToDataUrl(blob: Blob): Promise<string> {
  if (!ACCEPTED.test(blob.type)) throw new ImageAttachError('type')
  if (blob.size > 20 * MAX_IMAGE_BYTES) throw new ImageAttachError('size')
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(blob)
  } catch {
    throw new ImageAttachError('decode')
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height))
  const small = scale === 1 && blob.size <= MAX_IMAGE_BYTES / 2 && blob.type !== 'image/gif'
  if (small) {
    bitmap.close()
    return readAsDataUrl(blob)
  }
  const canvas = document.createElement('canvas')
  canvas.width = Math.max(1, Math.round(bitmap.width * scale))
  canvas.height = Math.max(1, Math.round(bitmap.height * scale))
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new ImageAttachError('decode')
  ctx.fillStyle = '#ffffff'
  ctx.fillRect(0, 0, canvas.width, canvas.height)
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
  bitmap.close()
  const url = canvas.toDataURL('image/jpeg', 0.85)
  if (url.length > (MAX_IMAGE_BYTES * 4) / 3) throw new ImageAttachError('size')
  return url
}

/** A data URL from the board (PNG) goes through the same checks (decoded here: the CSP keeps fetch off data:). */
export async function dataUrlToAttachment(dataUrl: string): Promise<string> {
  const match = /^data:(image\/[a-z]+);base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl)
  if (!match?.[1] || !match[2]) throw new ImageAttachError('type')
  const binary = atob(match[2])
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return imageToDataUrl(new Blob([bytes], { type: match[1] }))
}
