import type { RecordingCloseResult, RecordingOpenRequest, RecordingOpenResult, RecordingWriteResult } from '../../shared/recording/io'
import type { LessonExtraFile, LessonMarker } from '../../shared/recording/library'

/**
 * Where a recording's chunks go: the desktop's own library through the
 * Host (hostSink.ts) or the session server for browsers (serverSink.ts).
 * One sink is one recording; markers and files belong to the lesson.
 */
export interface RecordingSink {
  open(request: RecordingOpenRequest): Promise<RecordingOpenResult>
  /** Resolves when chunk `seq` is on disk; a refusal is a result, a lost connection throws. */
  write(seq: number, data: Uint8Array): Promise<RecordingWriteResult>
  thumbnail(jpeg: Uint8Array): Promise<void>
  close(): Promise<RecordingCloseResult | null>
}

/** The lesson record, for markers and files other features add. */
export interface LessonRecordSink {
  addMarker(marker: LessonMarker): Promise<void>
  /** `label`: what the sender called a file from the chat. */
  addFile(name: LessonExtraFile, data: Uint8Array, label?: string): Promise<void>
}
