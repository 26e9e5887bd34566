import { errorText, isDiskFull, type RecordingFile, type RecordingFs } from './fs'
import type { RecordingWriteResult } from './io'
import { LOW_SPACE_BYTES, MAX_CHUNK_BYTES, SPACE_CHECK_INTERVAL_MS, STOP_FREE_BYTES } from './limits'

export interface WriterOptions {
  now: () => number
  /** Free bytes on the recording's disk (statfs); null = unknown. */
  freeBytes: () => Promise<number | null>
  lowSpaceBytes?: number
  stopFreeBytes?: number
  spaceCheckIntervalMs?: number
}

/**
 * Appends MediaRecorder chunks to one file, in order, each fsynced before it
 * is acknowledged: a crash loses at most the chunk in flight. A failed write
 * (full disk) is cut back to the last whole chunk so the file stays a clean
 * prefix of the recording, and the writer refuses anything after it.
 */
export class RecordingWriter {
  private offset = 0
  private nextSeq = 0
  private lastLength = -1
  private failed: RecordingWriteResult | null = null
  private closed = false
  private queue: Promise<unknown> = Promise.resolve()
  private lastSpaceCheck = Number.NEGATIVE_INFINITY
  private free: number | null = null

  private constructor(
    private readonly file: RecordingFile,
    private readonly opts: WriterOptions,
  ) {}

  /** Creates the file; refuses to overwrite one that exists. */
  static async create(fs: RecordingFs, path: string, opts: WriterOptions): Promise<RecordingWriter> {
    return new RecordingWriter(await fs.open(path, 'wx'), opts)
  }

  get bytes(): number {
    return this.offset
  }

  get chunks(): number {
    return this.nextSeq
  }

  /** Why the writer stopped taking chunks, if it did. */
  get failure(): RecordingWriteResult | null {
    return this.failed
  }

  /** Chunk `seq` (0, 1, 2, …). Calls are serialized; the answer says whether it is on disk. */
  append(seq: number, data: Uint8Array): Promise<RecordingWriteResult> {
    const run = this.queue.then(() => this.appendNow(seq, data))
    this.queue = run.catch(() => {})
    return run
  }

  /** Flushes and closes the file; safe to call twice. */
  close(): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.closed) return
      this.closed = true
      try {
        await this.file.sync()
      } finally {
        await this.file.close()
      }
    })
    this.queue = run.catch(() => {})
    return run
  }

  private async appendNow(seq: number, data: Uint8Array): Promise<RecordingWriteResult> {
    if (this.closed) return { ok: false, reason: 'closed', message: 'The recording file is closed' }
    if (this.failed) return this.failed
    if (!Number.isInteger(seq) || seq < 0) return { ok: false, reason: 'sequence', message: `Bad chunk number ${seq}` }
    // The same chunk again (an upload retried after a lost answer) is already on disk.
    if (seq === this.nextSeq - 1 && data.length === this.lastLength) return this.okResult()
    if (seq !== this.nextSeq) {
      return { ok: false, reason: 'sequence', message: `Expected chunk ${this.nextSeq}, got ${seq}` }
    }
    if (data.length > MAX_CHUNK_BYTES) return { ok: false, reason: 'too-large', message: `Chunk of ${data.length} bytes is over the limit` }

    const free = await this.checkSpace()
    if (free !== null && free < (this.opts.stopFreeBytes ?? STOP_FREE_BYTES) + data.length) {
      return this.fail({ ok: false, reason: 'disk-full', message: `Only ${free} bytes free: recording stopped to keep the disk usable` })
    }
    try {
      if (data.length > 0) {
        await this.file.write(data, this.offset)
        await this.file.sync()
      }
    } catch (error) {
      await this.cutBack()
      return this.fail({ ok: false, reason: isDiskFull(error) ? 'disk-full' : 'io', message: errorText(error) })
    }
    this.offset += data.length
    this.nextSeq += 1
    this.lastLength = data.length
    if (this.free !== null) this.free -= data.length
    return this.okResult()
  }

  private okResult(): RecordingWriteResult {
    const free = this.free
    return { ok: true, bytes: this.offset, freeBytes: free, lowSpace: free !== null && free < (this.opts.lowSpaceBytes ?? LOW_SPACE_BYTES) }
  }

  /** statfs at most every few seconds; between checks the estimate shrinks by what we wrote. */
  private async checkSpace(): Promise<number | null> {
    const now = this.opts.now()
    if (now - this.lastSpaceCheck < (this.opts.spaceCheckIntervalMs ?? SPACE_CHECK_INTERVAL_MS)) return this.free
    this.lastSpaceCheck = now
    try {
      this.free = await this.opts.freeBytes()
    } catch {
      this.free = null
    }
    return this.free
  }

  /** Drops a partly written chunk so the file ends on a chunk boundary. */
  private async cutBack(): Promise<void> {
    try {
      await this.file.truncate(this.offset)
      await this.file.sync()
    } catch {
      // The repair step drops a torn tail anyway.
    }
  }

  private fail(result: RecordingWriteResult): RecordingWriteResult {
    this.failed = result
    return result
  }
}
