import path from 'node:path'
import { APP_HOST, APP_SCHEME } from '../appOrigin'

type PathApi = Pick<typeof path, 'join' | 'relative' | 'isAbsolute' | 'extname' | 'sep'>

/**
 * Maps an app://duet/<path> request to a file under `root` (out/renderer), or
 * null when the URL is not ours or tries to leave `root`. Pure; `pathApi` is
 * injectable so Windows rules are testable on any OS.
 */
export function resolveAppPath(root: string, requestUrl: string, pathApi: PathApi = path): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null

  let decoded: string
  try {
    decoded = decodeURIComponent(url.pathname)
  } catch {
    return null // malformed %-escape
  }
  // Backslashes (Windows separators), NUL and colons (drive letters, NTFS streams) never occur in our asset names.
  if (/[\\\0:]/.test(decoded)) return null
  const segments = decoded.split('/').filter((s) => s.length > 0)
  // %2e%2e or %2f-smuggled dot segments show up only after decoding.
  if (segments.some((s) => s === '..' || s === '.')) return null

  const relative = segments.length === 0 ? 'index.html' : segments.join('/')
  const full = pathApi.join(root, relative)
  const back = pathApi.relative(root, full)
  if (back === '' || back.startsWith('..') || pathApi.isAbsolute(back)) return null
  return full
}

/** Client-side routes (/join/K7P2QXMA) have no file extension: they get index.html. */
export function isSpaRoute(filePath: string, pathApi: PathApi = path): boolean {
  return pathApi.extname(filePath) === ''
}
