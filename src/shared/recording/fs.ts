/**
 * The file operations the recording writer and the lesson library need, so
 * they run on a real disk (Node adapter in src/node/recordingFs.ts),
 * in the Electron main process, and in tests with injected faults (a full
 * disk, a torn write) alike.
 */
export interface RecordingFile {
  /** Writes all of `data` at `position`; may throw after writing part of it (ENOSPC). */
  write(data: Uint8Array, position: number): Promise<void>
  /** Up to `length` bytes at `position` (fewer at the end of the file). */
  read(position: number, length: number): Promise<Uint8Array>
  /** fsync: the bytes are on the disk, not just in the OS cache. */
  sync(): Promise<void>
  truncate(length: number): Promise<void>
  size(): Promise<number>
  close(): Promise<void>
}

export interface FileInfo {
  size: number
  mtimeMs: number
  isDirectory: boolean
}

export interface RecordingFs {
  join(...parts: string[]): string
  /** 'r' read; 'w' create or truncate for writing; 'wx' create, failing if it exists. */
  open(path: string, mode: 'r' | 'w' | 'wx'): Promise<RecordingFile>
  readFile(path: string): Promise<Uint8Array>
  /** Temp file, fsync, rename: a crash leaves the old or the new file, never half of one. */
  writeFileAtomic(path: string, data: Uint8Array | string): Promise<void>
  /** Appends and fsyncs (markers). */
  appendFile(path: string, data: string): Promise<void>
  readdir(path: string): Promise<string[]>
  /** null when nothing is there. */
  stat(path: string): Promise<FileInfo | null>
  mkdir(path: string): Promise<void>
  /** Recursive and forgiving: removing what is not there is fine. */
  rm(path: string): Promise<void>
  rename(from: string, to: string): Promise<void>
  /** Free bytes on the disk holding `path` (statfs); null where it cannot be known. */
  freeBytes(path: string): Promise<number | null>
}

/** ENOSPC / EDQUOT: the disk (or the user's quota) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  return code === 'ENOSPC' || code === 'EDQUOT'
}

export function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300)
}
