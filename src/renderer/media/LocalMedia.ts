import mitt from 'mitt'
import type { DeviceChoice } from '../../shared/settings'
import { cameraConstraints, classifyMediaError, microphoneConstraints, screenConstraints, type MediaAccessProblem } from './constraints'
import type { TrackRole } from './trackRoles'

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
  /** The track published in a role changed (device switch, camera off/on, screen share). */
  track: { role: TrackRole; track: MediaStreamTrack | null }
  /** A camera or microphone in use went away (unplugged, taken by the OS). */
  'device-lost': { kind: 'audio' | 'video'; label: string }
}

/**
 * This person's camera and microphone: opens them in HD, switches devices,
 * mutes, and turns the camera fully off (light off) rather than sending black.
 */
export class LocalMedia {
  readonly events = mitt<Events>()
  audio: MediaStreamTrack | null = null
  video: MediaStreamTrack | null = null
  screen: MediaStreamTrack | null = null
  screenAudio: MediaStreamTrack | null = null
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

  /**
   * Asks the browser (or, on desktop, Duet's picker via the main process)
   * for a screen or window. Resolves false when the user cancels.
   */
  async startScreen(withAudio: boolean): Promise<boolean> {
    let stream: MediaStream
    try {
      stream = await this.mediaDevices.getDisplayMedia(screenConstraints(withAudio))
    } catch (error) {
      if (error instanceof Error && error.name === 'NotAllowedError') return false
      throw new MediaAccessError(classifyMediaError(error), error)
    }
    const video = stream.getVideoTracks()[0] ?? null
    if (!video) return false
    // Tells the encoder this is text and detail, not motion.
    video.contentHint = 'detail'
    video.addEventListener('ended', () => this.stopScreen())
    this.setTrack('screenAudio', stream.getAudioTracks()[0] ?? null)
    this.setTrack('screen', video)
    return true
  }

  stopScreen(): void {
    this.setTrack('screen', null)
    this.setTrack('screenAudio', null)
  }

  get sharingScreen(): boolean {
    return this.screen !== null
  }

  setSpeaker(deviceId: string | null): void {
    this.choice.speakerId = deviceId
  }

  stop(): void {
    for (const track of [this.audio, this.video, this.screen, this.screenAudio]) track?.stop()
    this.audio = null
    this.video = null
    this.screen = null
    this.screenAudio = null
    this.events.all.clear()
  }

  private adopt(stream: MediaStream): void {
    this.replace('audio', stream.getAudioTracks()[0] ?? null)
    this.replace('video', stream.getVideoTracks()[0] ?? null)
    if (this.audio) this.audio.enabled = this.micEnabled
  }

  private replace(kind: 'audio' | 'video', track: MediaStreamTrack | null): void {
    if (track) {
      // Unplugged or taken away by the OS: let the owner fall back to another device.
      track.addEventListener('ended', () => {
        if (this[kind] === track) this.events.emit('device-lost', { kind, label: track.label })
      })
    }
    this.setTrack(kind === 'audio' ? 'audio' : 'camera', track)
  }

  private setTrack(role: TrackRole, track: MediaStreamTrack | null): void {
    const field = role === 'camera' ? 'video' : role
    const old = this[field]
    if (old === track) return
    this[field] = track
    old?.stop()
    this.events.emit('track', { role, track })
  }
}
