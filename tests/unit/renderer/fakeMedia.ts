/**
 * Camera, microphone and screen as a browser hands them out, for tests that
 * run stores and engines without a browser: tracks that can be stopped,
 * disabled and ended, streams of them, and getUserMedia/getDisplayMedia.
 */

let nextTrackId = 1

export class FakeTrack extends EventTarget {
  readonly id = `track-${nextTrackId++}`
  enabled = true
  readyState: MediaStreamTrackState = 'live'
  contentHint = ''

  constructor(
    readonly kind: 'audio' | 'video',
    readonly label = `${kind} device`,
    private readonly deviceId = `${kind}-1`,
  ) {
    super()
  }

  stop(): void {
    this.readyState = 'ended'
  }

  getSettings(): MediaTrackSettings {
    return { deviceId: this.deviceId }
  }

  /** The device went away (unplugged): the browser ends the track. */
  end(): void {
    this.readyState = 'ended'
    this.dispatchEvent(new Event('ended'))
  }
}

export class FakeStream {
  constructor(readonly tracks: FakeTrack[]) {}
  getTracks(): FakeTrack[] {
    return [...this.tracks]
  }
  getAudioTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio')
  }
  getVideoTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'video')
  }
}

export const asTrack = (track: FakeTrack): MediaStreamTrack => track as unknown as MediaStreamTrack

/** navigator.mediaDevices with a working camera, microphone and screen. */
export function fakeMediaDevices() {
  const handedOut: FakeTrack[] = []
  const make = (kind: 'audio' | 'video', label?: string) => {
    const track = new FakeTrack(kind, label)
    handedOut.push(track)
    return track
  }
  const devices = {
    getUserMedia: async (constraints: MediaStreamConstraints) =>
      new FakeStream([...(constraints.audio ? [make('audio')] : []), ...(constraints.video ? [make('video')] : [])]) as unknown as MediaStream,
    getDisplayMedia: async (constraints?: DisplayMediaStreamOptions) =>
      new FakeStream([make('video', 'screen:1'), ...(constraints?.audio ? [make('audio', 'system audio')] : [])]) as unknown as MediaStream,
  }
  return { devices: devices as unknown as MediaDevices, handedOut }
}
