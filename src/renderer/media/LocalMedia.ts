import mitt from 'mitt'
import type { DeviceChoice } from '../../shared/settings'
import { cameraConstraints, classifyMediaError, microphoneConstraints, type MediaAccessProblem } from './constraints'

export class MediaAccessError extends Error {
  constructor(
    readonly problem: MediaAccessProblem,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original))
    this.name = 'MediaAccessError'
  }
}

type Events = {
  /** The track published for a kind changed (device switch, camera off/on). */
  track: { kind: 'audio' | 'video'; track: MediaStreamTrack | null }
}

/**
 * This person's camera and microphone: opens them in HD, switches devices,
 * mutes, and turns the camera fully off (light off) rather than sending black.
 */
export class LocalMedia {
  readonly events = mitt<Events>()
  audio: MediaStreamTrack | null = null
  video: MediaStreamTrack | null = null
  micEnabled = true
  cameraEnabled = true
  private choice: DeviceChoice

  constructor(
    choice: DeviceChoice,
    private readonly mediaDevices: MediaDevices = navigator.mediaDevices,
  ) {
    this.choice = { ...choice }
  }

  get devices(): DeviceChoice {
    return { ...this.choice }
  }

  /** A stream with the current tracks, for the self-view. */
  stream(): MediaStream {
    return new MediaStream([this.audio, this.video].filter((t): t is MediaStreamTrack => t !== null))
  }

  /**
   * Opens camera and microphone. If only the camera fails, the lesson can
   * still go ahead with audio; if both fail the caller shows why.
   */
  async start(withVideo = true): Promise<{ videoProblem: MediaAccessProblem | null }> {
    this.cameraEnabled = withVideo
    try {
      const stream = await this.mediaDevices.getUserMedia({
        audio: microphoneConstraints(this.choice.microphoneId),
        video: withVideo ? cameraConstraints(this.choice.cameraId) : false,
      })
      this.adopt(stream)
      return { videoProblem: null }
    } catch (error) {
      if (!withVideo) throw new MediaAccessError(classifyMediaError(error), error)
      const videoProblem = classifyMediaError(error)
      try {
        const audioOnly = await this.mediaDevices.getUserMedia({ audio: microphoneConstraints(this.choice.microphoneId) })
        this.cameraEnabled = false
        this.adopt(audioOnly)
        return { videoProblem }
      } catch {
        throw new MediaAccessError(videoProblem, error)
      }
    }
  }

  setMicEnabled(enabled: boolean): void {
    this.micEnabled = enabled
    if (this.audio) this.audio.enabled = enabled
  }

  async setCameraEnabled(enabled: boolean): Promise<void> {
    if (enabled === this.cameraEnabled && (enabled ? this.video !== null : this.video === null)) return
    if (!enabled) {
      this.cameraEnabled = false
      this.replace('video', null)
      return
    }
    const stream = await this.mediaDevices.getUserMedia({ video: cameraConstraints(this.choice.cameraId) }).catch((error: unknown) => {
      throw new MediaAccessError(classifyMediaError(error), error)
    })
    this.cameraEnabled = true
    this.replace('video', stream.getVideoTracks()[0] ?? null)
  }

  /** Switches to the chosen device; the old track is stopped only once the new one works. */
  async switchDevice(kind: 'audio' | 'video', deviceId: string | null): Promise<void> {
    if (kind === 'video') this.choice.cameraId = deviceId
    else this.choice.microphoneId = deviceId
    if (kind === 'video' && !this.cameraEnabled) return
    const constraints = kind === 'video' ? { video: cameraConstraints(deviceId, true) } : { audio: microphoneConstraints(deviceId, true) }
    const stream = await this.mediaDevices.getUserMedia(constraints).catch((error: unknown) => {
      throw new MediaAccessError(classifyMediaError(error), error)
    })
    const track = (kind === 'video' ? stream.getVideoTracks() : stream.getAudioTracks())[0] ?? null
    if (track && kind === 'audio') track.enabled = this.micEnabled
    this.replace(kind, track)
  }

  setSpeaker(deviceId: string | null): void {
    this.choice.speakerId = deviceId
  }

  stop(): void {
    this.audio?.stop()
    this.video?.stop()
    this.audio = null
    this.video = null
    this.events.all.clear()
  }

  private adopt(stream: MediaStream): void {
    this.replace('audio', stream.getAudioTracks()[0] ?? null)
    this.replace('video', stream.getVideoTracks()[0] ?? null)
    if (this.audio) this.audio.enabled = this.micEnabled
  }

  private replace(kind: 'audio' | 'video', track: MediaStreamTrack | null): void {
    const old = this[kind]
    if (old === track) return
    this[kind] = track
    old?.stop()
    this.events.emit('track', { kind, track })
  }
}
