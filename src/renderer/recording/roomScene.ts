import type { Role } from '../../shared/lesson/lesson'
import { openFrameSource, type FrameSource } from './frameSources'
import type { MainAreaSource, RecordingScene, RecordingTile } from './scene'

/** The room's media as the recording needs it (read every frame; cheap getters). */
export interface RoomMedia {
  selfName: string
  selfRole: Role
  peerName: string
  /** The other person's camera (and voice). */
  remoteCamera: MediaStream | null
  /** The other person's shared screen, while they share. */
  remoteScreen: MediaStream | null
  ownCamera: MediaStreamTrack | null
  ownScreen: MediaStreamTrack | null
}

/**
 * The lesson as the room shows it: the whiteboard (when it plugs in and has
 * something), else a shared screen (theirs or one's own), else the other
 * person's camera; both cameras as tiles, tutor first. Reads the tracks
 * itself (frameSources.ts), so it does not depend on the room's layout.
 */
export class RoomScene implements RecordingScene {
  private readonly videos = new Map<string, { source: FrameSource; key: string }>()
  private media: RoomMedia

  constructor(
    private readonly read: () => RoomMedia,
    private readonly plugged: () => MainAreaSource | null,
  ) {
    this.media = read()
  }

  refresh(): void {
    this.media = this.read()
  }

  mainArea(): CanvasImageSource | null {
    const board = this.plugged()?.mainArea() ?? null
    if (board) return board
    const screen = this.screen()
    if (screen) return screen
    return this.video('remote-camera', this.media.remoteCamera)
  }

  mainKind(): 'content' | 'camera' {
    return this.plugged()?.mainArea() || this.screen() ? 'content' : 'camera'
  }

  mainLabel(): string {
    return this.media.peerName
  }

  tiles(): RecordingTile[] {
    const own: RecordingTile = { label: this.media.selfName, source: this.video('own-camera', this.media.ownCamera), mirrored: true }
    if (this.mainKind() === 'camera') return [own]
    const peer: RecordingTile = { label: this.media.peerName, source: this.video('remote-camera', this.media.remoteCamera), mirrored: false }
    return this.media.selfRole === 'tutor' ? [own, peer] : [peer, own]
  }

  dispose(): void {
    for (const { source } of this.videos.values()) source.close()
    this.videos.clear()
  }

  private screen(): CanvasImageSource | null {
    return this.video('own-screen', this.media.ownScreen) ?? this.video('remote-screen', this.media.remoteScreen)
  }

  /** The newest picture of this stream or track; null until it has a frame. */
  private video(slot: string, media: MediaStream | MediaStreamTrack | null): CanvasImageSource | null {
    const track = media instanceof MediaStream ? (media.getVideoTracks()[0] ?? null) : media
    if (!track || track.readyState === 'ended') {
      this.drop(slot)
      return null
    }
    let entry = this.videos.get(slot)
    if (!entry || entry.key !== track.id) {
      this.drop(slot)
      entry = { source: openFrameSource(track), key: track.id }
      this.videos.set(slot, entry)
    }
    return entry.source.image()
  }

  private drop(slot: string): void {
    const entry = this.videos.get(slot)
    if (!entry) return
    entry.source.close()
    this.videos.delete(slot)
  }
}
