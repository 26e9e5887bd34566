import { trackProcessorClass } from '../media/frameCanvas/trackProcessor'

/** A video track as something the compositor can draw each tick. */
export interface FrameSource {
  /** The newest picture, or null until the first frame. */
  image(): CanvasImageSource | null
  close(): void
}

/**
 * Keeps the newest picture of a track as an ImageBitmap, made from the
 * track's VideoFrames (MediaStreamTrackProcessor) in a worker.
 *
 * Why: drawing a camera picture (a playing <video>, or a VideoFrame) into
 * the recording canvas converts it there and then, on the page's thread,
 * which waits on the GPU process for it: about 20 ms for two 720p draws on
 * a busy two-core machine, so a third of the recording's frames were lost.
 * The worker does that conversion and waiting; the compositor draws a ready
 * bitmap in a fraction of a millisecond. The picture is at most one camera
 * frame older.
 */
class WorkerPicture implements FrameSource {
  private current: ImageBitmap | null = null
  private readonly worker = new Worker(new URL('./pictureWorker.ts', import.meta.url), { type: 'module' })

  constructor(track: MediaStreamTrack, Processor: NonNullable<ReturnType<typeof trackProcessorClass>>) {
    this.worker.onmessage = (event: MessageEvent<unknown>) => {
      if (!(event.data instanceof ImageBitmap)) return
      this.current?.close()
      this.current = event.data
    }
    const frames = new Processor({ track, maxBufferSize: 1 }).readable
    this.worker.postMessage(frames, [frames as unknown as Transferable])
  }

  image(): ImageBitmap | null {
    return this.current
  }

  close(): void {
    this.worker.postMessage(null)
    this.worker.terminate()
    this.current?.close()
    this.current = null
  }
}

/** A muted, detached <video> playing the track: browsers without MediaStreamTrackProcessor. */
class VideoElementSource implements FrameSource {
  private readonly video = document.createElement('video')

  constructor(track: MediaStreamTrack) {
    this.video.muted = true
    this.video.playsInline = true
    this.video.srcObject = new MediaStream([track])
    void this.video.play().catch(() => {})
  }

  image(): HTMLVideoElement | null {
    return this.video.readyState >= 2 && this.video.videoWidth > 0 ? this.video : null
  }

  close(): void {
    this.video.pause()
    this.video.srcObject = null
  }
}

export function openFrameSource(track: MediaStreamTrack): FrameSource {
  const Processor = trackProcessorClass()
  if (!Processor || typeof Worker !== 'function') return new VideoElementSource(track)
  try {
    return new WorkerPicture(track, Processor)
  } catch {
    // Workers refused (a locked-down policy): the page draws the video itself.
    return new VideoElementSource(track)
  }
}
