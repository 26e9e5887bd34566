/**
 * Both voices in one track: the local microphone, the other person's audio
 * and a shared screen's sound, mixed with WebAudio. Sources follow the room
 * (device switch, screen audio starting) via update().
 */
export class AudioMixer {
  private readonly ctx: AudioContext
  private readonly destination: MediaStreamAudioDestinationNode
  private readonly bus: DynamicsCompressorNode
  private readonly sources = new Map<string, MediaStreamAudioSourceNode>()

  constructor() {
    this.ctx = new AudioContext({ sampleRate: 48_000, latencyHint: 'playback' })
    this.destination = this.ctx.createMediaStreamDestination()
    // Two people talking over each other must not clip.
    this.bus = this.ctx.createDynamicsCompressor()
    this.bus.threshold.value = -10
    this.bus.ratio.value = 4
    this.bus.connect(this.destination)
  }

  get track(): MediaStreamTrack {
    const track = this.destination.stream.getAudioTracks()[0]
    if (!track) throw new Error('no mixed audio track')
    return track
  }

  /** Started from a click (Record) or after joining: resume in case autoplay rules suspended it. */
  async resume(): Promise<void> {
    if (this.ctx.state === 'suspended') await this.ctx.resume().catch(() => {})
  }

  /** Makes the mix exactly these live tracks. */
  update(tracks: (MediaStreamTrack | null)[]): void {
    const live = tracks.filter((t): t is MediaStreamTrack => t !== null && t.kind === 'audio' && t.readyState === 'live')
    const wanted = new Set(live.map((t) => t.id))
    for (const [id, node] of this.sources) {
      if (wanted.has(id)) continue
      node.disconnect()
      this.sources.delete(id)
    }
    for (const track of live) {
      if (this.sources.has(track.id)) continue
      const node = this.ctx.createMediaStreamSource(new MediaStream([track]))
      node.connect(this.bus)
      this.sources.set(track.id, node)
    }
  }

  close(): void {
    for (const node of this.sources.values()) node.disconnect()
    this.sources.clear()
    void this.ctx.close().catch(() => {})
  }
}
