import type { CameraScale } from '../cameraScale'
import { KIND_OF_ROLE, type TrackRole } from '../trackRoles'
import type { CameraRung } from './cameraLadder'
import { preferRedAudio } from './codecPreferences'
import { RedTransforms } from './redTransform'
import { applySenderSettings, AUDIO_SETTINGS, cameraSettings, plainCameraSettings, screenSettings, type SenderSettings } from './senderTuning'

/**
 * What the built-in engine's senders should send, from what the room and the
 * network tuning decided: the camera's size (the other person shows it small),
 * its rung on the ladder, the screen's frame rate, and video paused while the
 * path is dead, and, tuned, how the voice is packed (RED first, two earlier
 * frames in each packet). Changes are applied one after another, because a
 * second setParameters while one is pending would be refused.
 */
export class SenderControl {
  /** Our camera is sent this much smaller while the other person shows it small. */
  cameraScale: CameraScale = 1
  /** Video paused because the path is dead; resuming starts with a key frame. */
  videoPaused = false
  screenFps: number | undefined
  private queue: Promise<unknown> = Promise.resolve()
  /** Tuned: the microphone's packets carry two earlier frames instead of one. */
  private readonly redundancy = new RedTransforms()

  /** `tuned` false: plain WebRTC (only the camera's size follows the tile). */
  constructor(
    private readonly tuned: boolean,
    private readonly cameraRung: () => CameraRung | null,
    /** The microphone's bitrate cap the tuner decided (null: none yet, the browser's own rate). */
    private readonly audioMaxBitrate: () => number | null = () => null,
  ) {}

  /** A new connection starts with video on and the screen at its default rate. */
  reset(): void {
    this.videoPaused = false
    this.screenFps = undefined
  }

  /** Tuned, before our description names the transceiver: RED first for audio, and the voice's packets carry two earlier frames. */
  prepare(role: TrackRole, transceiver: RTCRtpTransceiver): void {
    if (!this.tuned) return
    if (KIND_OF_ROLE[role] === 'audio') preferRedAudio(transceiver)
    if (role === 'audio') this.redundancy.attach(transceiver.sender)
  }

  close(): void {
    this.redundancy.close()
  }

  settingsFor(role: TrackRole): SenderSettings | null {
    if (!this.tuned) {
      // Plain WebRTC, but a small tile still gets a small picture (that is layout, not network tuning).
      return role === 'camera' ? plainCameraSettings(this.cameraScale) : null
    }
    if (role === 'audio') return { ...AUDIO_SETTINGS, maxBitrate: this.audioMaxBitrate() ?? undefined }
    if (KIND_OF_ROLE[role] === 'audio') return AUDIO_SETTINGS
    const video = role === 'camera' ? cameraSettings(this.cameraScale, this.cameraRung()) : screenSettings(this.screenFps)
    return { ...video, active: !this.videoPaused }
  }

  /** Applies `role`'s settings to `sender` in turn, if it still has a track and `current()` when its turn comes. */
  apply(sender: RTCRtpSender, role: TrackRole, current: () => boolean): Promise<void> {
    const run = async () => {
      const settings = sender.track ? this.settingsFor(role) : null
      if (settings && current()) await applySenderSettings(sender, settings)
    }
    const next = this.queue.then(run, run)
    this.queue = next
    return next
  }
}
