import { ScreenSourceSchema, type ScreenSource } from '../../../src/shared/screenShare'

/** The slice of NativeImage used for thumbnails and icons. */
export interface ImageLike {
  toDataURL(): string
  isEmpty?(): boolean
  toJPEG?(quality: number): Uint8Array
}

/** The slice of DesktopCapturerSource read here. */
export interface CapturerSourceLike {
  id: string
  name: string
  thumbnail: ImageLike | null
  appIcon: ImageLike | null
}

/** What the picker asks desktopCapturer for: small live thumbnails and app icons. */
export const PICKER_SOURCE_OPTIONS = {
  types: ['screen', 'window'] as Array<'screen' | 'window'>,
  thumbnailSize: { width: 320, height: 180 },
  fetchWindowIcons: true,
}

export const MAX_SOURCES = 64
const MAX_THUMBNAIL = 512 * 1024
const MAX_ICON = 128 * 1024
const EMPTY_PNG = 'data:image/png;base64,'

/**
 * "window:1234:0" and "window:1234:1" are the same native window (the last part
 * tells apart web contents inside it), so windows are compared on kind + handle.
 */
export function nativeSourceKey(id: string): string {
  return id.split(':').slice(0, 2).join(':')
}

/**
 * Turns what desktopCapturer returned into what the renderer may see: Duet's
 * own windows left out, screens first, each reduced to id, name, kind and
 * bounded data URLs. Sources that still would not validate are dropped, so one
 * odd window never breaks the whole picker.
 */
export function toScreenSources(sources: readonly CapturerSourceLike[], ownIds: readonly string[]): ScreenSource[] {
  const own = new Set(ownIds.filter(Boolean).map(nativeSourceKey))
  const out: ScreenSource[] = []
  for (const source of sources) {
    if (own.has(nativeSourceKey(source.id))) continue
    const kind = source.id.startsWith('screen:') ? 'screen' : source.id.startsWith('window:') ? 'window' : null
    if (!kind) continue
    const candidate = {
      id: source.id,
      name: source.name.slice(0, 256),
      kind,
      thumbnail: boundedDataUrl(source.thumbnail, MAX_THUMBNAIL) ?? EMPTY_PNG,
      appIcon: kind === 'window' ? boundedDataUrl(source.appIcon, MAX_ICON) : null,
    }
    const parsed = ScreenSourceSchema.safeParse(candidate)
    if (parsed.success) out.push(parsed.data)
  }
  // Stable sort: screens before windows, each in the order the OS gave.
  out.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'screen' ? -1 : 1))
  return out.slice(0, MAX_SOURCES)
}

/** PNG data URL, or a JPEG one when the PNG is too big (a 4K window at 320 px is usually fine). */
function boundedDataUrl(image: ImageLike | null, max: number): string | null {
  if (!image || image.isEmpty?.()) return null
  const png = image.toDataURL()
  if (png.length <= max && png.startsWith('data:image/png;base64,')) return png
  const jpeg = image.toJPEG?.(70)
  if (!jpeg) return null
  const url = `data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')}`
  return url.length <= max ? url : null
}
