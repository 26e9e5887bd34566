import { MAX_THUMBNAIL_BYTES } from '../../shared/recording/limits'

/** A 320x180 JPEG of the recording's current frame, for the library list. */
export async function captureThumbnail(source: HTMLCanvasElement): Promise<Uint8Array | null> {
  const small = document.createElement('canvas')
  small.width = 320
  small.height = 180
  const ctx = small.getContext('2d')
  if (!ctx) return null
  ctx.drawImage(source, 0, 0, small.width, small.height)
  const blob = await new Promise<Blob | null>((resolve) => small.toBlob(resolve, 'image/jpeg', 0.8))
  if (!blob || blob.size > MAX_THUMBNAIL_BYTES) return null
  return new Uint8Array(await blob.arrayBuffer())
}
