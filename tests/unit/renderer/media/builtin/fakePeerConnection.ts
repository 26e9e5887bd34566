import { FakeTrack } from '../../fakeMedia'

/**
 * RTCPeerConnection as far as the built-in engine uses it, following JSEP's
 * state machine: transceivers in order, implicit offers and answers from
 * setLocalDescription(), an offer in have-local-offer rolled back implicitly
 * (as browsers do for the polite side), negotiationneeded when stable, ICE
 * restarts, and SDP that carries what the engine reads (the o= session, one
 * m= section per transceiver, video codecs for the bitrate hints). Tests drive
 * ICE and connection states by hand.
 */

let nextSession = 1000

type SignalingState = 'stable' | 'have-local-offer' | 'have-remote-offer' | 'closed'

export class FakeSender {
  parameters: { encodings: Record<string, unknown>[]; degradationPreference?: string }
  readonly replaced: (MediaStreamTrack | null)[] = []
  /** An encoded transform (RTCRtpScriptTransform), as the engine set it. */
  transform: unknown = null

  constructor(
    public track: MediaStreamTrack | null,
    kind: 'audio' | 'video',
  ) {
    this.parameters = { encodings: kind === 'video' ? [{}] : [] }
  }

  async replaceTrack(track: MediaStreamTrack | null): Promise<void> {
    this.track = track
    this.replaced.push(track)
  }

  getParameters() {
    return structuredClone(this.parameters)
  }

  async setParameters(parameters: FakeSender['parameters']): Promise<void> {
    this.parameters = structuredClone(parameters)
  }
}

export class FakeTransceiver {
  mid: string | null = null
  direction: RTCRtpTransceiverDirection
  readonly sender: FakeSender
  /** What the other side sends on this transceiver, as a remote track. */
  readonly receiver: { track: FakeTrack }
  trackFired = false
  /** What setCodecPreferences was given last (null: never called). */
  codecPreferences: RTCRtpCodec[] | null = null

  constructor(
    readonly kind: 'audio' | 'video',
    track: MediaStreamTrack | null,
    direction: RTCRtpTransceiverDirection,
  ) {
    this.direction = direction
    this.sender = new FakeSender(track, kind)
    this.receiver = { track: new FakeTrack(kind, `remote ${kind}`) }
  }

  setCodecPreferences(codecs: RTCRtpCodec[]): void {
    this.codecPreferences = [...codecs]
  }
}

/** RTCRtpReceiver's static capabilities, in the order Chromium lists them (RED after Opus). */
export const FakeRtpReceiver = {
  getCapabilities(kind: 'audio' | 'video'): { codecs: RTCRtpCodec[] } {
    if (kind === 'video') return { codecs: [{ mimeType: 'video/VP8', clockRate: 90000 }, { mimeType: 'video/rtx', clockRate: 90000 }] }
    return {
      codecs: [
        { mimeType: 'audio/opus', clockRate: 48000, channels: 2, sdpFmtpLine: 'minptime=10;useinbandfec=1' },
        { mimeType: 'audio/red', clockRate: 48000, channels: 2, sdpFmtpLine: '111/111' },
        { mimeType: 'audio/G722', clockRate: 8000 },
        { mimeType: 'audio/telephone-event', clockRate: 48000 },
      ],
    }
  },
}

interface Description {
  type: RTCSdpType
  sdp: string
}

export class FakePeerConnection {
  /** Every connection made, oldest first. */
  static made: FakePeerConnection[] = []

  readonly session = String(nextSession++)
  private version = 0
  private ufrag = 1
  signalingState: SignalingState = 'stable'
  connectionState: RTCPeerConnectionState = 'new'
  iceConnectionState: RTCIceConnectionState = 'new'
  localDescription: Description | null = null
  remoteDescription: Description | null = null
  readonly transceivers: FakeTransceiver[] = []
  readonly candidates: (RTCIceCandidateInit | null)[] = []
  restarts = 0
  closed = false
  private negotiationPending = false
  private negotiationScheduled = false
  private restartPending = false

  onnegotiationneeded: (() => void) | null = null
  onicecandidate: ((event: { candidate: { candidate: string; sdpMid: string; sdpMLineIndex: number; usernameFragment: string } | null }) => void) | null = null
  ontrack: ((event: { track: FakeTrack; transceiver: FakeTransceiver }) => void) | null = null
  onconnectionstatechange: (() => void) | null = null
  oniceconnectionstatechange: (() => void) | null = null
  onsignalingstatechange: (() => void) | null = null

  constructor(readonly config: RTCConfiguration) {
    FakePeerConnection.made.push(this)
  }

  static reset(): void {
    FakePeerConnection.made = []
  }

  addTransceiver(trackOrKind: MediaStreamTrack | 'audio' | 'video', init: { direction: RTCRtpTransceiverDirection }): FakeTransceiver {
    const kind = typeof trackOrKind === 'string' ? trackOrKind : (trackOrKind.kind as 'audio' | 'video')
    const transceiver = new FakeTransceiver(kind, typeof trackOrKind === 'string' ? null : trackOrKind, init.direction)
    this.transceivers.push(transceiver)
    this.needNegotiation()
    return transceiver
  }

  getTransceivers(): FakeTransceiver[] {
    return [...this.transceivers]
  }

  restartIce(): void {
    this.restarts += 1
    this.restartPending = true
    this.needNegotiation()
  }

  async setLocalDescription(description?: { type: RTCSdpType }): Promise<void> {
    this.assertOpen()
    await Promise.resolve()
    const type = description?.type ?? (this.signalingState === 'have-remote-offer' ? 'answer' : 'offer')
    if (type === 'offer') {
      if (this.signalingState !== 'stable' && this.signalingState !== 'have-local-offer') throw new DOMException('offer in wrong state', 'InvalidStateError')
      this.transceivers.forEach((t, i) => (t.mid ??= String(i)))
      if (this.restartPending) this.ufrag += 1
      this.restartPending = false
      this.negotiationPending = false
      this.localDescription = { type: 'offer', sdp: this.sdp() }
      this.setSignaling('have-local-offer')
    } else if (type === 'answer') {
      if (this.signalingState !== 'have-remote-offer') throw new DOMException('answer in wrong state', 'InvalidStateError')
      this.localDescription = { type: 'answer', sdp: this.sdp() }
      this.setSignaling('stable')
    } else {
      throw new Error(`setLocalDescription(${type}) is not faked`)
    }
    // Gathering reports candidates later, after the description is out (as browsers do).
    const ufrag = this.ufrag
    setTimeout(() => {
      if (this.closed) return
      this.onicecandidate?.({ candidate: { candidate: `candidate:${this.session} 1 udp 1 127.0.0.1 9 typ host`, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: `u${ufrag}` } })
    }, 0)
  }

  async setRemoteDescription(description: Description): Promise<void> {
    this.assertOpen()
    await Promise.resolve()
    const sections = mSections(description.sdp)
    if (description.type === 'offer') {
      if (this.signalingState === 'have-local-offer') {
        // Implicit rollback: our offer is dropped, and negotiated again once stable.
        this.localDescription = null
        this.signalingState = 'stable'
        this.negotiationPending = true
      }
      if (this.signalingState !== 'stable') throw new DOMException('offer in wrong state', 'InvalidStateError')
      // Transceivers from addTransceiver() are never matched to a remote m= section (JSEP 5.10): the offer adds its own.
      sections.forEach((kind, i) => {
        if (this.transceivers.some((t) => t.mid === String(i))) return
        const made = new FakeTransceiver(kind, null, 'recvonly')
        made.mid = String(i)
        this.transceivers.push(made)
      })
      this.remoteDescription = description
      this.setSignaling('have-remote-offer')
    } else if (description.type === 'answer') {
      if (this.signalingState !== 'have-local-offer') throw new DOMException('answer in wrong state', 'InvalidStateError')
      this.remoteDescription = description
      this.setSignaling('stable')
    } else {
      throw new Error(`setRemoteDescription(${description.type}) is not faked`)
    }
    for (const transceiver of this.transceivers) {
      if (transceiver.mid === null || transceiver.trackFired) continue
      transceiver.trackFired = true
      this.ontrack?.({ track: transceiver.receiver.track, transceiver })
    }
  }

  async addIceCandidate(candidate: RTCIceCandidateInit | null): Promise<void> {
    if (!this.remoteDescription) throw new DOMException('no remote description', 'InvalidStateError')
    this.candidates.push(candidate)
  }

  async getStats(): Promise<Map<string, Record<string, unknown>>> {
    return new Map([['cp', { type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: 0.02 }]])
  }

  close(): void {
    this.closed = true
    this.signalingState = 'closed'
    this.connectionState = 'closed'
  }

  // ---- the test's side ----

  setConnection(state: RTCPeerConnectionState): void {
    this.connectionState = state
    this.onconnectionstatechange?.()
  }

  setIce(state: RTCIceConnectionState): void {
    this.iceConnectionState = state
    this.oniceconnectionstatechange?.()
  }

  /** The ICE username fragment of the last description this side made (bumped by every ICE restart). */
  get localUfrag(): number {
    return this.ufrag
  }

  private sdp(): string {
    this.version += 1
    const lines = ['v=0', `o=- ${this.session} ${this.version} IN IP4 127.0.0.1`, 's=-', 't=0 0']
    this.transceivers.forEach((t, i) => {
      lines.push(t.kind === 'video' ? 'm=video 9 UDP/TLS/RTP/SAVPF 96' : 'm=audio 9 UDP/TLS/RTP/SAVPF 111', `a=mid:${i}`, `a=ice-ufrag:u${this.ufrag}`)
      lines.push(t.kind === 'video' ? 'a=rtpmap:96 VP8/90000' : 'a=rtpmap:111 opus/48000/2')
    })
    return `${lines.join('\r\n')}\r\n`
  }

  private needNegotiation(): void {
    this.negotiationPending = true
    this.scheduleNegotiationNeeded()
  }

  /** One event for any number of changes made together, and only while stable (as browsers do). */
  private scheduleNegotiationNeeded(): void {
    if (this.negotiationScheduled) return
    this.negotiationScheduled = true
    queueMicrotask(() => {
      this.negotiationScheduled = false
      if (this.closed || !this.negotiationPending || this.signalingState !== 'stable') return
      this.onnegotiationneeded?.()
    })
  }

  private setSignaling(state: SignalingState): void {
    this.signalingState = state
    this.onsignalingstatechange?.()
    // Whatever was asked for meanwhile (a rolled-back offer, an ICE restart) is negotiated now.
    if (state === 'stable' && this.negotiationPending) this.scheduleNegotiationNeeded()
  }

  private assertOpen(): void {
    if (this.closed) throw new DOMException('closed', 'InvalidStateError')
  }
}

/** The kind of each m= section, in order. */
function mSections(sdp: string): ('audio' | 'video')[] {
  return [...sdp.matchAll(/^m=(audio|video) /gm)].map((m) => m[1] as 'audio' | 'video')
}

/** The o= session of an SDP, as the engine reads it. */
export function sessionOf(sdp: string | undefined): string | null {
  return /^o=\S+ (\d+) /m.exec(sdp ?? '')?.[1] ?? null
}
