import { finalizeRecording, type FinalizeReason } from './finalize'
import { errorText } from './fs'
import type { RecordingCloseResult, RecordingOpenRequest, RecordingOpenResult, RecordingWriteResult } from './io'
import { IN_PROGRESS_SUFFIX, MAX_RECORDING_PARTS, RecordingFileSchema, recordingFileFor, thumbnailOf, type RecordingPart } from './library'
import type { LessonRecordStore } from './lessonRecordStore'
import { MAX_THUMBNAIL_BYTES, MIN_START_FREE_BYTES } from './limits'
import { RecordingWriter, type WriterOptions } from './writer'

export interface ManagerLogger {
  info(msg: string, fields?: object): void
  warn(msg: string, fields?: object): void
  error(msg: string, fields?: object): void
}

export interface RecordingManagerDeps {
  store: LessonRecordStore
  now: () => number
  newId: () => string
  logger: ManagerLogger
  minStartFreeBytes?: number
  writer?: Partial<Pick<WriterOptions, 'lowSpaceBytes' | 'stopFreeBytes' | 'spaceCheckIntervalMs'>>
}

interface OpenRecording {
  lessonId: string
  file: string
  writer: RecordingWriter
}

/** Written next to a recording while it is open; its presence after a crash means "repair me". */
interface InProgressMarker {
  recordingId: string
  startedAt: number
  mimeType: string
}

/**
 * Recordings being written into the lesson library, for one process (the
 * desktop main process, or the session server for browsers): open a part,
 * append chunks, add its thumbnail, close and finalize it; after a crash,
 * find the parts still marked in progress and repair them.
 */
export class RecordingManager {
  private readonly open = new Map<string, OpenRecording>()

  constructor(private readonly deps: RecordingManagerDeps) {}

  isRecording(lessonId: string, file: string): boolean {
    for (const r of this.open.values()) if (r.lessonId === lessonId && r.file === file) return true
    return false
  }

  /** Open recordings of one lesson (or all). */
  recordingIds(lessonId?: string): string[] {
    return [...this.open.entries()].filter(([, r]) => lessonId === undefined || r.lessonId === lessonId).map(([id]) => id)
  }

  lessonOf(recordingId: string): string | null {
    return this.open.get(recordingId)?.lessonId ?? null
  }

  async openRecording(req: RecordingOpenRequest): Promise<RecordingOpenResult> {
    const { store, logger } = this.deps
    const { fs } = store.deps
    try {
      await fs.mkdir(store.root)
      const free = await fs.freeBytes(store.root)
      const minimum = this.deps.minStartFreeBytes ?? MIN_START_FREE_BYTES
      if (free !== null && free < minimum) {
        return { ok: false, reason: 'low-space', message: `Only ${Math.round(free / 1e6)} MB free; recording needs at least ${Math.round(minimum / 1e6)} MB` }
      }
      let file = ''
      await store.saveMeta(req.meta)
      await store.update(req.lessonId, (current) => {
        if (!current) throw new Error('lesson record vanished')
        if (current.recordings.length >= MAX_RECORDING_PARTS) throw new TooManyParts()
        file = recordingFileFor(current.recordings.length + 1)
        const part: RecordingPart = { file, startedAt: req.startedAt, durationMs: null, status: 'recording', problem: null, mimeType: req.mimeType, thumbnail: null }
        return { ...current, recordings: [...current.recordings, part] }
      })
      const path = store.filePath(req.lessonId, file)
      const recordingId = this.deps.newId()
      const marker: InProgressMarker = { recordingId, startedAt: req.startedAt, mimeType: req.mimeType }
      await fs.writeFileAtomic(`${path}${IN_PROGRESS_SUFFIX}`, JSON.stringify(marker))
      const writer = await RecordingWriter.create(fs, path, {
        now: this.deps.now,
        freeBytes: () => fs.freeBytes(store.folder(req.lessonId)),
        ...this.deps.writer,
      })
      this.open.set(recordingId, { lessonId: req.lessonId, file, writer })
      await store.addMarker(req.lessonId, { at: req.startedAt, kind: 'recording-start', label: file })
      logger.info('Recording opened', { lessonId: req.lessonId, file })
      return { ok: true, recordingId, file, freeBytes: free }
    } catch (error) {
      if (error instanceof TooManyParts) return { ok: false, reason: 'too-many-parts', message: 'This lesson already has the most recordings it can hold' }
      logger.error('Could not open a recording', { lessonId: req.lessonId, error: errorText(error) })
      return { ok: false, reason: 'io', message: errorText(error) }
    }
  }

  async write(recordingId: string, seq: number, data: Uint8Array): Promise<RecordingWriteResult> {
    const rec = this.open.get(recordingId)
    if (!rec) return { ok: false, reason: 'closed', message: 'No such open recording' }
    const result = await rec.writer.append(seq, data)
    if (!result.ok && result.reason !== 'sequence') this.deps.logger.warn('Recording write refused', { lessonId: rec.lessonId, reason: result.reason, message: result.message })
    return result
  }

  async thumbnail(recordingId: string, jpeg: Uint8Array): Promise<void> {
    const rec = this.open.get(recordingId)
    if (!rec) throw new Error('No such open recording')
    if (jpeg.length > MAX_THUMBNAIL_BYTES) throw new Error('Thumbnail too large')
    const { store } = this.deps
    const name = thumbnailOf(rec.file)
    await store.deps.fs.writeFileAtomic(store.filePath(rec.lessonId, name), jpeg)
    await store.update(rec.lessonId, (r) => {
      if (!r) throw new Error('lesson record vanished')
      return { ...r, recordings: r.recordings.map((p) => (p.file === rec.file ? { ...p, thumbnail: name } : p)) }
    })
  }

  /** Stops taking chunks, flushes, finalizes (duration + cues) and records the outcome. */
  async close(recordingId: string, reason: FinalizeReason = 'stopped'): Promise<RecordingCloseResult | null> {
    const rec = this.open.get(recordingId)
    if (!rec) return null
    this.open.delete(recordingId)
    await rec.writer.close().catch((error: unknown) => this.deps.logger.warn('Closing a recording failed', { error: errorText(error) }))
    const failure = rec.writer.failure
    const why: FinalizeReason = reason === 'stopped' && failure && !failure.ok && failure.reason === 'disk-full' ? 'disk-full' : reason
    return this.finish(rec.lessonId, rec.file, why)
  }

  /** Closes every open recording (of one lesson, or all): lesson ended, renderer gone, shutdown. */
  async closeAll(reason: FinalizeReason, lessonId?: string): Promise<void> {
    await Promise.all(this.recordingIds(lessonId).map((id) => this.close(id, reason)))
  }

  /**
   * Quitting: flush and close the files but leave them marked in progress, so
   * quitting never waits for a rewrite; the next start finalizes them.
   */
  async suspendAll(): Promise<void> {
    const open = [...this.open.values()]
    this.open.clear()
    await Promise.all(open.map((r) => r.writer.close().catch(() => {})))
  }

  /** Start-up: every part still marked in progress was cut off by a crash; repair each. */
  async recover(): Promise<number> {
    const { store, logger } = this.deps
    const { fs } = store.deps
    let repaired = 0
    for (const id of await store.folders()) {
      let names: string[]
      try {
        names = await fs.readdir(store.folder(id))
      } catch {
        continue
      }
      for (const name of names) {
        // Leftovers of a crash during an atomic write or a finalize.
        if (name.endsWith('.tmp') || name.endsWith('.finalizing')) await fs.rm(fs.join(store.folder(id), name)).catch(() => {})
        if (!name.endsWith(IN_PROGRESS_SUFFIX)) continue
        const file = name.slice(0, -IN_PROGRESS_SUFFIX.length)
        if (!RecordingFileSchema.safeParse(file).success || this.isRecording(id, file)) continue
        logger.warn('Repairing a recording that was cut off', { lessonId: id, file })
        await this.finish(id, file, 'interrupted')
        repaired += 1
      }
    }
    return repaired
  }

  private async finish(lessonId: string, file: string, reason: FinalizeReason): Promise<RecordingCloseResult> {
    const { store, logger } = this.deps
    const { fs } = store.deps
    const path = store.filePath(lessonId, file)
    const result = await finalizeRecording(fs, path, reason)
    if (!result.retryLater) await fs.rm(`${path}${IN_PROGRESS_SUFFIX}`).catch(() => {})
    await store
      .update(lessonId, (r) => {
        if (!r) throw new Error('no lesson record')
        const known = r.recordings.some((p) => p.file === file)
        const fields = { status: result.status, durationMs: result.durationMs, problem: result.problem }
        const recordings = known
          ? r.recordings.map((p) => (p.file === file ? { ...p, ...fields } : p))
          : [...r.recordings, { file, startedAt: 0, mimeType: 'video/webm', thumbnail: null, ...fields }]
        return { ...r, recordings }
      })
      .catch((error: unknown) => logger.error('Could not update lesson.json after a recording', { lessonId, error: errorText(error) }))
    const log = result.status === 'damaged' ? logger.error : logger.info
    log.call(logger, 'Recording finalized', { lessonId, file, status: result.status, durationMs: result.durationMs, problem: result.problem })
    return { file, status: result.status, durationMs: result.durationMs, problem: result.problem }
  }
}

class TooManyParts extends Error {}
