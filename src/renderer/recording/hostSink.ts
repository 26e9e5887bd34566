import type { RecordingCloseResult, RecordingOpenRequest, RecordingOpenResult, RecordingWriteResult } from '../../shared/recording/io'
import type { LessonExtraFile, LessonMarker } from '../../shared/recording/library'
import type { Host } from '../host/Host'
import type { LessonRecordSink, RecordingSink } from './sink'

/** Desktop: chunks go over IPC to the main process, which appends and fsyncs them in the lesson library. */
export class HostSink implements RecordingSink {
  private recordingId: string | null = null

  constructor(private readonly host: Host) {}

  async open(request: RecordingOpenRequest): Promise<RecordingOpenResult> {
    const result = await this.host.recording.open(request)
    if (result.ok) this.recordingId = result.recordingId
    return result
  }

  write(seq: number, data: Uint8Array): Promise<RecordingWriteResult> {
    if (!this.recordingId) return Promise.resolve({ ok: false, reason: 'closed', message: 'not open' })
    return this.host.recording.write(this.recordingId, seq, data)
  }

  async thumbnail(jpeg: Uint8Array): Promise<void> {
    if (this.recordingId) await this.host.recording.thumbnail(this.recordingId, jpeg)
  }

  async close(): Promise<RecordingCloseResult | null> {
    const id = this.recordingId
    this.recordingId = null
    return id ? this.host.recording.close(id) : null
  }
}

export class HostLessonRecord implements LessonRecordSink {
  constructor(
    private readonly host: Host,
    private readonly lessonId: string,
  ) {}

  addMarker(marker: LessonMarker): Promise<void> {
    return this.host.library.addMarker(this.lessonId, marker)
  }

  addFile(name: LessonExtraFile, data: Uint8Array, label?: string): Promise<void> {
    return this.host.library.addFile(this.lessonId, name, data, label)
  }
}
