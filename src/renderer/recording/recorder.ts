import mitt from 'mitt'
import type { RecordingCloseResult, RecordingOpenRequest, RecordingOpenResult, RecordingWriteFailure } from '../../shared/recording/io'
import { RECORDING_AUDIO_BITS, RECORDING_TIMESLICE_MS, RECORDING_VIDEO_BITS } from '../../shared/recording/limits'
import type { AudioMixer } from './audioMixer'
import type { Compositor } from './compositor'
import type { RecordingSink } from './sink'
import { captureThumbnail } from './thumbnail'

/**
 * VP9 first, VP8 only where VP9 encoding is missing. Chromium's MediaRecorder
 * sets libvpx's realtime speed (cpu-used 5-8 by core count) for VP9 only; VP8
 * runs at libvpx's slowest realtime setting. Measured on a loaded 2-core
 * machine (1280x720 canvas at 30 fps, 10 s, three A/B pairs): VP9 kept 164-182
 * of ~300 frames at ~11% of a core, VP8 16-19 at ~18%.
 */
const MIME_TYPES = ['video/webm;codecs=vp9,opus', 'video/webm;codecs=vp8,opus', 'video/webm']

export function pickMimeType(isSupported: (type: string) => boolean = (t) => MediaRecorder.isTypeSupported(t)): string | null {
  return MIME_TYPES.find((t) => isSupported(t)) ?? null
}

/** Chunks waiting for the disk or the server; past this the recording stops rather than eat memory. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024
const THUMBNAIL_AFTER_MS = 1500

type Events = {
  /** Free space is low on the disk that holds the recording. */
  lowSpace: { freeBytes: number | null }
  /** The recording stopped by itself; everything up to here is kept. */
  failed: { reason: RecordingWriteFailure | 'encoder' | 'memory'; message: string }
}

/**
 * One recording: MediaRecorder over the compositor's video and the mixed
 * audio, ~1 s chunks written in order through the sink, a thumbnail early on.
 */
export class LessonRecorder {
  readonly events = mitt<Events>()
  private recorder: MediaRecorder | null = null
  private seq = 0
  private queue: Blob[] = []
  private queuedBytes = 0
  private pumping: Promise<void> | null = null
  private failed = false
  private stopped: Promise<void> | null = null
  private thumbnailDone = false
  startedAt = 0
  writtenBytes = 0

  constructor(
    private readonly compositor: Compositor,
    private readonly mixer: AudioMixer,
    private readonly sink: RecordingSink,
    private readonly mimeType: string,
  ) {}

  /** Opens the file (or upload) first: nothing is encoded if there is nowhere to put it. */
  async start(request: Omit<RecordingOpenRequest, 'mimeType' | 'startedAt'>): Promise<RecordingOpenResult> {
    this.startedAt = Date.now()
    const opened = await this.sink.open({ ...request, mimeType: this.mimeType, startedAt: this.startedAt })
    if (!opened.ok) return opened
    await this.mixer.resume()
    this.compositor.start()
    const stream = new MediaStream([this.compositor.track, this.mixer.track])
    const recorder = new MediaRecorder(stream, { mimeType: this.mimeType, videoBitsPerSecond: RECORDING_VIDEO_BITS, audioBitsPerSecond: RECORDING_AUDIO_BITS })
    recorder.ondataavailable = (event) => this.enqueue(event.data)
    recorder.onerror = (event) => this.fail('encoder', String((event as Event & { error?: unknown }).error ?? 'MediaRecorder error'))
    this.stopped = new Promise((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }))
    this.recorder = recorder
    recorder.start(RECORDING_TIMESLICE_MS)
    // Marks for tests and `npm run bench`: the media timeline runs from start() to stop().
    performance.mark('duet:recording-started')
    return opened
  }

  get recording(): boolean {
    return this.recorder?.state === 'recording'
  }

  /** Stops encoding, writes the last chunk, closes (finalizes) the file. */
  async stop(): Promise<RecordingCloseResult | null> {
    const recorder = this.recorder
    if (recorder && recorder.state !== 'inactive') {
      recorder.stop()
      // For tests and the bench: the compositor's frames over exactly the encoded span (tells its misses from the encoder's).
      performance.mark('duet:recording-stopped', { detail: this.compositor.stats })
    }
    await this.stopped
    // Nothing more is encoded: stop drawing now rather than while the last chunks upload.
    this.compositor.stop()
    this.mixer.close()
    await this.drain()
    return this.sink.close().catch((error: unknown) => {
      console.warn('[duet] closing the recording failed', error)
      return null
    })
  }

  private enqueue(blob: Blob): void {
    if (this.failed || blob.size === 0) return
    this.queue.push(blob)
    this.queuedBytes += blob.size
    if (this.queuedBytes > MAX_QUEUED_BYTES) return this.fail('memory', 'the recording cannot be saved fast enough')
    this.pumping ??= this.pump().finally(() => (this.pumping = null))
  }

  private async drain(): Promise<void> {
    while (this.pumping) await this.pumping
  }

  /** Writes queued chunks one after the other, in order. */
  private async pump(): Promise<void> {
    for (let blob = this.queue.shift(); blob && !this.failed; blob = this.queue.shift()) {
      this.queuedBytes -= blob.size
      const data = new Uint8Array(await blob.arrayBuffer())
      const result = await this.sink.write(this.seq, data).catch((error: unknown) => ({ ok: false as const, reason: 'io' as const, message: String(error) }))
      if (!result.ok) return this.fail(result.reason, result.message)
      this.seq += 1
      this.writtenBytes = result.bytes
      if (result.lowSpace) this.events.emit('lowSpace', { freeBytes: result.freeBytes })
      if (!this.thumbnailDone && Date.now() - this.startedAt >= THUMBNAIL_AFTER_MS) {
        this.thumbnailDone = true
        void captureThumbnail(this.compositor.canvas)
          .then((jpeg) => (jpeg ? this.sink.thumbnail(jpeg) : undefined))
          .catch((error: unknown) => console.warn('[duet] thumbnail not saved', error))
      }
    }
  }

  private fail(reason: Events['failed']['reason'], message: string): void {
    if (this.failed) return
    this.failed = true
    this.queue = []
    this.queuedBytes = 0
    console.warn('[duet] recording stopped:', reason, message)
    if (this.recorder?.state !== 'inactive') this.recorder?.stop()
    this.events.emit('failed', { reason, message })
  }
}
