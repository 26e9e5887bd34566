import mitt from 'mitt'
import type { DeviceChoice } from '../../shared/settings'
import { cameraConstraints, classifyMediaError, microphoneConstraints, screenConstraints, type MediaAccessProblem } from './constraints'
import { cameraCanBeSent } from './sendableCamera'
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
  /** Cameras found to give a picture no encoder can send (depth, infrared): skipped, and marked in the lists. */
  readonly unsendable = new Set<string>()
  private choice: DeviceChoice

  constructor(
    choice: DeviceChoice,
    private readonly mediaDevices: MediaDevices = navigator.mediaDevices,
    private readonly canSend: (track: MediaStreamTrack) => Promise<boolean> = cameraCanBeSent,
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
  async start(withVideo = true): Promise<{ videoProblem: MediaAccessProblem | null; skippedCamera: string | null }> {
    this.cameraEnabled = withVideo
    let stream: MediaStream
    try {
      stream = await this.remembered((strict) => ({
        audio: microphoneConstraints(this.choice.microphoneId, strict),
        video: withVideo ? cameraConstraints(this.choice.cameraId, strict) : false,
      }))
    } catch (error) {
      if (!withVideo) throw new MediaAccessError(classifyMediaError(error), error)
      const videoProblem = classifyMediaError(error)
      try {
        const audioOnly = await this.mediaDevices.getUserMedia({ audio: microphoneConstraints(this.choice.microphoneId) })
        this.cameraEnabled = false
        this.adopt(audioOnly)
        return { videoProblem, skippedCamera: null }
      } catch {
        throw new MediaAccessError(videoProblem, error)
      }
    }
    const camera = stream.getVideoTracks()[0] ?? null
    const microphone = stream.getAudioTracks()[0] ?? null
    if (!camera || (await this.canSend(camera))) {
      this.adoptTracks(microphone, camera)
      return { videoProblem: null, skippedCamera: null }
    }
    // A camera whose picture cannot be sent: take the next one that can, or go on without video.
    this.unsendable.add(camera.getSettings().deviceId ?? '')
    camera.stop()
    const other = await this.firstSendableCamera()
    if (!other) this.cameraEnabled = false
    this.adoptTracks(microphone, other)
    return { videoProblem: other ? null : 'unsendable', skippedCamera: camera.label }
  }

  /**
   * Opens the remembered devices exactly, or the system's if one of them is
   * gone. (Chromium does not honour a merely preferred deviceId: it opened
   * the first camera whatever was remembered.)
   */
  private async remembered(constraints: (strict: boolean) => MediaStreamConstraints): Promise<MediaStream> {
    if (!this.choice.cameraId && !this.choice.microphoneId) return this.mediaDevices.getUserMedia(constraints(false))
    try {
      return await this.mediaDevices.getUserMedia(constraints(true))
    } catch (error) {
      const name = error instanceof Error ? error.name : ''
      if (name !== 'OverconstrainedError' && name !== 'NotFoundError') throw error
      const { cameraId, microphoneId } = this.choice
      this.choice.cameraId = this.choice.microphoneId = null
      try {
        return await this.mediaDevices.getUserMedia(constraints(false))
      } finally {
        // Still remembered: if that device comes back, the next lesson uses it again.
        this.choice.cameraId = cameraId
        this.choice.microphoneId = microphoneId
      }
    }
  }

  /** The first camera (in the system's order) whose picture can be sent, opened; null if none. */
  private async firstSendableCamera(): Promise<MediaStreamTrack | null> {
    const cameras = (await this.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput' && d.deviceId && !this.unsendable.has(d.deviceId))
    for (const device of cameras) {
      const track = await this.mediaDevices
        .getUserMedia({ video: cameraConstraints(device.deviceId, true) })
        .then((s) => s.getVideoTracks()[0] ?? null)
        .catch(() => null)
      if (!track) continue
      if (await this.canSend(track)) return track
      this.unsendable.add(device.deviceId)
      track.stop()
    }
    return null
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
    const stream = await this.remembered((strict) => ({ video: cameraConstraints(this.choice.cameraId, strict) })).catch((error: unknown) => {
      throw new MediaAccessError(classifyMediaError(error), error)
    })
    this.cameraEnabled = true
    this.replace('video', stream.getVideoTracks()[0] ?? null)
  }

  /** Switches to the chosen device; the old track is stopped only once the new one works. */
  async switchDevice(kind: 'audio' | 'video', deviceId: string | null): Promise<void> {
    const previousCamera = this.choice.cameraId
    if (kind === 'video') this.choice.cameraId = deviceId
    else this.choice.microphoneId = deviceId
    if (kind === 'video' && !this.cameraEnabled) return
    const constraints = kind === 'video' ? { video: cameraConstraints(deviceId, true) } : { audio: microphoneConstraints(deviceId, true) }
    const stream = await this.mediaDevices.getUserMedia(constraints).catch((error: unknown) => {
      throw new MediaAccessError(classifyMediaError(error), error)
    })
    const track = (kind === 'video' ? stream.getVideoTracks() : stream.getAudioTracks())[0] ?? null
    if (track && kind === 'audio') track.enabled = this.micEnabled
    if (track && kind === 'video' && !(await this.canSend(track))) {
      // Keep the camera that works; say why this one is not used.
      this.unsendable.add(track.getSettings().deviceId ?? deviceId ?? '')
      track.stop()
      this.choice.cameraId = previousCamera
      throw new MediaAccessError('unsendable', new Error(`${track.label} gives a picture that cannot be sent`))
    }
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
    this.adoptTracks(stream.getAudioTracks()[0] ?? null, stream.getVideoTracks()[0] ?? null)
  }

  private adoptTracks(audio: MediaStreamTrack | null, video: MediaStreamTrack | null): void {
    this.replace('audio', audio)
    this.replace('video', video)
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
