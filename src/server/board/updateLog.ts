import fs from 'node:fs'
import path from 'node:path'
import { crc32 } from 'node:zlib'

/**
 * A board's update log: every update the server accepts is appended here
 * before it is applied and broadcast, so a crash of the server process
 * (kill -9, an out-of-memory kill) loses nothing that any client saw. One
 * write(2) per update and no fsync: what was written sits in the kernel's
 * page cache and survives the process; only a power cut within the kernel's
 * writeback interval (~30 s) could lose the newest records, and then the
 * clients, who hold the whole board, resend them when they reconnect.
 *
 * `board.ydoc` is the compacted state; the log holds what came after it.
 * The log is a series of files `updates-<seq>.log`: compaction rotates to a
 * new file at the moment it captures the state, writes the state, then
 * deletes the files that state covers. A crash anywhere in between leaves
 * the old state plus every file still to replay, never a gap.
 *
 * Record: u32 LE payload length, u32 LE CRC-32 of the payload, the payload
 * (one Yjs update). Reading stops at the first record that is incomplete or
 * fails its checksum (a torn tail); appends after a restart go to a new file,
 * never after a torn one.
 *
 * Written by hand because the store for this (y-leveldb, Yjs's own update
 * log) needs LevelDB's native addon in the desktop app, where the server
 * runs inside Electron; a file per board keeps each board's folder whole.
 */

const HEADER_BYTES = 8
const FILE_PATTERN = /^updates-(\d{1,15})\.log$/
/** Larger than any update the guard lets through; a "length" past it is a torn or damaged header. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024

export function logFileName(seq: number): string {
  return `updates-${seq}.log`
}

/** Sequence numbers of the log files in `dir`, ascending. */
export function logSeqs(dir: string): number[] {
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return []
  }
  return names
    .map((name) => FILE_PATTERN.exec(name)?.[1])
    .filter((seq): seq is string => seq !== undefined)
    .map(Number)
    .sort((a, b) => a - b)
}

export function encodeRecord(update: Uint8Array): Buffer {
  const record = Buffer.allocUnsafe(HEADER_BYTES + update.length)
  record.writeUInt32LE(update.length, 0)
  record.writeUInt32LE(crc32(update), 4)
  record.set(update, HEADER_BYTES)
  return record
}

/** The whole records of one file's bytes, and how many bytes after them were not a whole record. */
export function decodeRecords(bytes: Uint8Array): { updates: Uint8Array[]; tornBytes: number } {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const updates: Uint8Array[] = []
  let pos = 0
  while (pos + HEADER_BYTES <= view.length) {
    const length = view.readUInt32LE(pos)
    if (length > MAX_RECORD_BYTES || pos + HEADER_BYTES + length > view.length) break
    const payload = view.subarray(pos + HEADER_BYTES, pos + HEADER_BYTES + length)
    if (crc32(payload) !== view.readUInt32LE(pos + 4)) break
    updates.push(new Uint8Array(payload))
    pos += HEADER_BYTES + length
  }
  return { updates, tornBytes: view.length - pos }
}

export interface LogContents {
  updates: Uint8Array[]
  /** Highest file sequence number found (0 when there is none). */
  lastSeq: number
  /** Bytes at the ends of files that were not whole records (a crash or power cut mid-write). */
  tornBytes: number
}

/** Every record of every log file in `dir`, oldest first. */
export function readLog(dir: string): LogContents {
  const out: LogContents = { updates: [], lastSeq: 0, tornBytes: 0 }
  for (const seq of logSeqs(dir)) {
    let bytes: Uint8Array
    try {
      bytes = fs.readFileSync(path.join(dir, logFileName(seq)))
    } catch {
      continue
    }
    const { updates, tornBytes } = decodeRecords(bytes)
    out.updates.push(...updates)
    out.tornBytes += tornBytes
    out.lastSeq = seq
  }
  return out
}

/** Deletes the log files up to and including `seq` (a saved state covers them). */
export async function removeLogsUpTo(dir: string, seq: number): Promise<void> {
  await Promise.all(logSeqs(dir).filter((s) => s <= seq).map((s) => fs.promises.rm(path.join(dir, logFileName(s)), { force: true })))
}

/** The open end of one board's log. */
export class UpdateLogWriter {
  private fd: number | null = null

  /** @param lastSeq the highest file number already in `dir`: new records go to a file after it. */
  constructor(
    private readonly dir: string,
    private lastSeq: number,
  ) {}

  /** Appends one record; throws if the disk refuses (the next append then starts a new file). */
  append(update: Uint8Array): void {
    if (this.fd === null) {
      this.lastSeq += 1
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 })
      this.fd = fs.openSync(path.join(this.dir, logFileName(this.lastSeq)), 'wx', 0o600)
    }
    const record = encodeRecord(update)
    try {
      for (let written = 0; written < record.length; ) written += fs.writeSync(this.fd, record, written)
    } catch (err) {
      // Never append after a partial record: it would hide every later one from readLog.
      this.close()
      throw err
    }
  }

  /**
   * Ends the current file: the state captured just before this call (in the
   * same task) holds every record in files up to the returned number.
   */
  rotate(): number {
    this.close()
    return this.lastSeq
  }

  /** The highest file number this writer has used or found. */
  get seq(): number {
    return this.lastSeq
  }

  close(): void {
    if (this.fd === null) return
    const fd = this.fd
    this.fd = null
    try {
      fs.closeSync(fd)
    } catch {
      // Nothing was buffered in the process: a failed close loses nothing written.
    }
  }
}
