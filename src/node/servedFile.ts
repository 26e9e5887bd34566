import { open, type FileHandle } from 'node:fs/promises'
import type { FileVersion } from '../shared/fileResponse'

/** A regular file opened to be served, with the version its handle reads (one stat of that handle). */
export interface ServedFile {
  handle: FileHandle
  version: FileVersion
}

/**
 * Opens a file to answer a request (the web client's, the library's): the
 * response's ETag and length come from the handle the bytes are then read
 * from, so a file renamed over the path in between is the next request's.
 * Null when there is no regular file there (the handle is closed).
 */
export async function openServedFile(path: string): Promise<ServedFile | null> {
  const handle = await open(path, 'r').catch(() => null)
  if (!handle) return null
  const info = await handle.stat().catch(() => null)
  if (!info?.isFile()) {
    await handle.close()
    return null
  }
  return { handle, version: { size: info.size, mtimeMs: info.mtimeMs } }
}
