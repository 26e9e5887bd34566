import type { RecordingCloseResult, RecordingOpenRequest, RecordingOpenResult, RecordingWriteResult } from '../../../src/shared/recording/io'
import type { RecordingWriteRequest } from '../../../src/shared/recording/ipcSchemas'
import type { RecordingManager } from '../../../src/shared/recording/manager'
import type { Logger } from '../../../src/shared/logger'

export interface RecordingServiceDeps {
  /** Writes into the library under userData (src/shared/recording/manager.ts, real fs injected by index.ts). */
  manager: RecordingManager
  logger: Logger
}

/**
 * The desktop side of recording: the renderer encodes the composite lesson
 * and sends ~1 s chunks; each is appended to the file in the lesson library
 * and fsynced before the renderer hears "ok". If the renderer dies or
 * reloads, the open file is finalized at once; if the whole app dies, the
 * next start() repairs it.
 */
export class RecordingService {
  private recovering: Promise<void> | null = null

  constructor(private readonly deps: RecordingServiceDeps) {}

  /** Start-up: repair recordings a crash left behind (in the background; the library lists them as unfinished meanwhile). */
  start(): Promise<void> {
    this.recovering ??= this.deps.manager
      .recover()
      .then((count) => {
        if (count > 0) this.deps.logger.info(`recording: repaired ${count} recording(s) cut off last time`)
      })
      .catch((error: unknown) => this.deps.logger.error('recording: recovery failed', error))
    return this.recovering
  }

  async open(request: RecordingOpenRequest): Promise<RecordingOpenResult> {
    // One recorder per lesson: anything still open for it belongs to a page that is gone.
    await this.deps.manager.closeAll('interrupted', request.lessonId)
    return this.deps.manager.openRecording(request)
  }

  write(request: RecordingWriteRequest): Promise<RecordingWriteResult> {
    return this.deps.manager.write(request.recordingId, request.seq, request.data)
  }

  thumbnail(recordingId: string, data: Uint8Array): Promise<void> {
    return this.deps.manager.thumbnail(recordingId, data)
  }

  close(recordingId: string): Promise<RecordingCloseResult | null> {
    return this.deps.manager.close(recordingId, 'stopped')
  }

  isRecording(lessonId: string): boolean {
    return this.deps.manager.recordingIds(lessonId).length > 0
  }

  /** The page crashed, reloaded or closed: its MediaRecorder is gone, so finish the files now. */
  rendererGone(): void {
    if (this.deps.manager.recordingIds().length === 0) return
    this.deps.logger.warn('recording: the page went away while recording; finishing the file')
    this.deps.manager.closeAll('interrupted').catch((error: unknown) => this.deps.logger.error('recording: finishing after renderer loss failed', error))
  }

  /** Quit: flush and close without the rewrite (fast); the next start finalizes. */
  shutdown(): Promise<void> {
    return this.deps.manager.suspendAll()
  }
}
