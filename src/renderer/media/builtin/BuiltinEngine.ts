import mitt from 'mitt'
import type { SignalData, ViewSize } from '../../../shared/lesson/signaling'
import type { MediaEngine, MediaEngineEvents, MediaEngineOptions, PeerMediaState } from '../MediaEngine'
import { cameraScaleFor } from '../cameraScale'
import { summarizeStats, type MediaStatsSnapshot } from '../stats'
import { linkReport, NetworkTuner, type TunerDecision } from './networkTuner'
import { addVideoBitrateHints, sdpSessionId } from './sdpTuning'
import { SenderControl } from './senderControl'
import { IceRestarts } from './iceRestarts'
import { setVideoJitterTarget } from './jitterTarget'
import { pollStats } from './statsPoller'
import { isScreenRole, KIND_OF_ROLE, roleOf, TRACK_ROLES, type TrackRole } from '../trackRoles'

export interface BuiltinEngineOptions extends MediaEngineOptions {
  statsIntervalMs?: number
}

/**
 * Built-in engine: one RTCPeerConnection to the other person, signaled through
 * the session server with the "perfect negotiation" pattern (W3C WebRTC
 * spec, section 10), and ICE restarts when the path breaks (iceRestarts.ts:
 * the offering side makes them). When the other
 * person (re)joins, a connection that still carries media is kept (only the
 * session server went away); otherwise, or when their descriptions show they
 * started over (a new SDP session), a fresh connection is made.
 */
export class BuiltinEngine implements MediaEngine {
  readonly kind = 'builtin' as const
  readonly events = mitt<MediaEngineEvents>()
  private pc: RTCPeerConnection | null = null
  private senders: Partial<Record<TrackRole, RTCRtpSender>> = {}
  /** The other person's camera + voice, and their shared screen (+ its sound). */
  private remote: MediaStream | null = null
  private remoteScreen: MediaStream | null = null
  private makingOffer = false
  private ignoreOffer = false
  private settingRemoteAnswer = false
  private remoteOfferSeen = false
  /** When to restart ICE on this connection. */
  private iceRestarts: IceRestarts | null = null
  private stats: { stop(): void } | null = null
  private lastStats: MediaStatsSnapshot | null = null
  private state: PeerMediaState = 'idle'
  private closed = false
  /** Signals held back while no peer is present (a prepared connection); null = send at once. */
  private outbox: SignalData[] | null = null
  /** The SDP session (o= line) of the other side's connection we negotiate with; a different one means they started over. */
  private remoteSession: string | null = null
  /** The weak-network tuning (null when the server switched it off); one per connection. */
  private tuner: NetworkTuner | null = null
  /** What our senders send (size, frame rate, paused) and applying it. */
  private readonly sending: SenderControl

  constructor(private readonly options: BuiltinEngineOptions) {
    this.sending = new SenderControl(
      this.tuned,
      () => this.tuner?.cameraRung ?? null,
      () => this.tuner?.audioMaxBitrateBps ?? null,
    )
  }

  private get tuned(): boolean {
    return this.options.tuning !== false
  }

  prepare(): void {
    if (this.closed || this.pc) return
    this.openConnection()
    // After opening (which clears any old outbox); the offer and candidates come later, into this one.
    this.outbox = []
  }

  peerJoined(_peerId: string): void {
    if (this.closed) return
    if (this.pc?.connectionState === 'connected') {
      // Media never stopped: only the session server went away and came back. Keep the call; the
      // offering side restarts ICE, which also reaches them if they did start over (then their
      // answer is from a new session, and receiveDescription starts a fresh connection).
      if (!this.options.polite) this.pc.restartIce()
      return
    }
    const prepared = this.pc && this.outbox
    if (!prepared) {
      this.openConnection()
      this.outbox = null
      return
    }
    // Use the connection made while waiting: its offer and candidates are ready to go.
    const queued = this.outbox ?? []
    this.outbox = null
    for (const data of queued) this.options.sendSignal(data)
  }

  peerLeft(reason: 'left' | 'disconnected'): void {
    if (reason === 'left') {
      this.closeConnection()
      this.setState('idle')
    } else if (this.pc && this.pc.connectionState !== 'connected') {
      // Media may still flow if only their signaling dropped; ICE decides.
      this.setState('reconnecting')
    }
  }

  async receiveSignal(data: SignalData): Promise<void> {
    if (!this.pc) return
    try {
      if (data.kind === 'description') {
        const description = data.description as RTCSessionDescriptionInit
        const session = sdpSessionId(description.sdp)
        if (session && this.remoteSession && session !== this.remoteSession) {
          // The other side made a new connection (a reloaded page, a restarted app): so do we. The
          // offering side's fresh connection makes its own offer; the answering side answers theirs.
          this.openConnection()
          if (description.type !== 'offer' || !this.options.polite) return
        }
        await this.receiveDescription(this.pc, description)
      } else if (data.candidate) {
        const pc = this.pc
        await pc.addIceCandidate(data.candidate).catch((error: unknown) => {
          // Candidates for an offer we ignored, or from a connection the peer has replaced.
          if (!this.ignoreOffer) console.debug('[duet] ICE candidate not applied', error)
        })
      }
    } catch (error) {
      console.warn('[duet] signaling message not applied', error)
    }
  }

  async setLocalTrack(role: TrackRole, track: MediaStreamTrack | null): Promise<void> {
    const sender = this.senders[role]
    if (!sender) return
    await sender.replaceTrack(track)
    await this.tune(role, sender)
  }

  networkBack(): void {
    const pc = this.pc
    if (!pc || this.closed) return
    const down = () => this.pc === pc && (this.tuner?.pathDead || pc.iceConnectionState === 'disconnected' || pc.iceConnectionState === 'failed')
    if (down()) this.iceRestarts?.onNetworkBack(down)
  }

  setPeerCameraView(view: ViewSize | null): void {
    const scale = cameraScaleFor(view)
    if (scale === this.sending.cameraScale) return
    this.sending.cameraScale = scale
    const sender = this.senders.camera
    if (sender) void this.tune('camera', sender)
  }

  close(): void {
    this.closed = true
    this.closeConnection()
    this.sending.close()
    this.setState('idle')
    this.events.all.clear()
  }

  private openConnection(): void {
    this.closeConnection()
    const pc = new RTCPeerConnection({
      iceServers: this.options.iceServers as RTCIceServer[],
      iceTransportPolicy: this.options.iceTransportPolicy ?? 'all',
      bundlePolicy: 'max-bundle',
      // Start gathering candidates before the first offer/answer exists.
      iceCandidatePoolSize: 1,
    })
    this.pc = pc
    this.makingOffer = false
    this.ignoreOffer = false
    this.settingRemoteAnswer = false
    this.remoteOfferSeen = false
    this.remoteSession = null
    this.lastStats = null
    this.tuner = this.tuned ? new NetworkTuner() : null
    this.sending.reset()
    this.iceRestarts = new IceRestarts({
      offerer: !this.options.polite,
      tuned: this.tuned,
      restart: () => {
        if (this.pc === pc) pc.restartIce()
      },
    })

    // The side that offers first creates one transceiver per role, in role
    // order; the answering side adopts them from the offer (adoptTransceivers).
    if (!this.options.polite) {
      const tracks = this.options.localTracks()
      for (const role of TRACK_ROLES) {
        const transceiver = pc.addTransceiver(tracks[role] ?? KIND_OF_ROLE[role], { direction: 'sendrecv' })
        this.sending.prepare(role, transceiver)
        this.senders[role] = transceiver.sender
      }
    }

    pc.onnegotiationneeded = () => {
      if (this.options.polite && !this.remoteOfferSeen) return
      void this.makeOffer(pc)
    }
    pc.onicecandidate = ({ candidate }) => {
      if (this.pc !== pc) return
      this.send({
        kind: 'candidate',
        candidate: candidate
          ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex, usernameFragment: candidate.usernameFragment }
          : null,
      })
    }
    pc.ontrack = ({ track, transceiver }) => {
      if (this.pc !== pc) return
      const role = roleOf(pc, transceiver)
      if (!role) return
      // A new stream object per change, so video elements pick the track up.
      if (isScreenRole(role)) {
        this.remoteScreen = new MediaStream([...(this.remoteScreen?.getTracks() ?? []).filter((t) => t.kind !== track.kind), track])
        this.events.emit('remote-screen', this.remoteScreen)
      } else {
        this.remote = new MediaStream([...(this.remote?.getTracks() ?? []).filter((t) => t.kind !== track.kind), track])
        this.events.emit('remote-stream', this.remote)
      }
    }
    pc.onconnectionstatechange = () => this.onConnectionState(pc)
    pc.oniceconnectionstatechange = () => this.onIceState(pc)
    pc.onsignalingstatechange = () => {
      if (pc.signalingState !== 'stable') return
      for (const role of TRACK_ROLES) {
        const sender = this.senders[role]
        if (sender?.track) void this.tune(role, sender)
      }
    }
    this.setState('connecting')
    this.startStats(pc)
  }

  private async makeOffer(pc: RTCPeerConnection): Promise<void> {
    try {
      this.makingOffer = true
      await pc.setLocalDescription()
      if (this.pc === pc && pc.localDescription) this.sendDescription(pc.localDescription)
    } catch (error) {
      console.warn('[duet] could not make an offer', error)
    } finally {
      this.makingOffer = false
    }
  }

  private async receiveDescription(pc: RTCPeerConnection, description: RTCSessionDescriptionInit): Promise<void> {
    const readyForOffer = !this.makingOffer && (pc.signalingState === 'stable' || this.settingRemoteAnswer)
    const offerCollision = description.type === 'offer' && !readyForOffer
    this.ignoreOffer = !this.options.polite && offerCollision
    if (this.ignoreOffer) return
    if (description.type === 'offer') {
      this.remoteOfferSeen = true
      this.iceRestarts?.onRemoteOffer()
    }
    performance.mark(`duet:remote-${description.type}`)
    this.settingRemoteAnswer = description.type === 'answer'
    await pc.setRemoteDescription(description)
    this.settingRemoteAnswer = false
    if (this.pc === pc) this.remoteSession = sdpSessionId(description.sdp) ?? this.remoteSession
    if (description.type === 'offer') {
      await this.adoptTransceivers(pc)
      await pc.setLocalDescription()
      if (this.pc === pc && pc.localDescription) this.sendDescription(pc.localDescription)
    }
  }

  /** Answering side: publish our tracks on the transceivers the offer created, role by role. */
  private async adoptTransceivers(pc: RTCPeerConnection): Promise<void> {
    const tracks = this.options.localTracks()
    for (const transceiver of pc.getTransceivers()) {
      const role = roleOf(pc, transceiver)
      if (!role || this.senders[role] === transceiver.sender) continue
      transceiver.direction = 'sendrecv'
      this.sending.prepare(role, transceiver)
      this.senders[role] = transceiver.sender
      await transceiver.sender.replaceTrack(tracks[role])
    }
  }

  /** What a sender should be set to now: its role's settings, the link's rung, paused while the path is dead. */
  private tune(role: TrackRole, sender: RTCRtpSender): Promise<void> {
    return this.sending.apply(sender, role, () => this.senders[role] === sender)
  }

  private tuneVideo(): void {
    for (const role of ['camera', 'screen'] as const) {
      const sender = this.senders[role]
      if (sender) void this.tune(role, sender)
    }
  }

  private sendDescription(description: RTCSessionDescription): void {
    const type = description.type
    const sdp = description.sdp && this.tuned ? addVideoBitrateHints(description.sdp) : (description.sdp ?? undefined)
    this.send({ kind: 'description', description: { type, sdp } })
  }

  private send(data: SignalData): void {
    if (!this.outbox) this.options.sendSignal(data)
    else if (this.outbox.length < 256) this.outbox.push(data)
  }

  private onConnectionState(pc: RTCPeerConnection): void {
    if (this.pc !== pc) return
    switch (pc.connectionState) {
      case 'connected':
        performance.mark('duet:media-connected')
        if (!this.tuner?.pathDead) this.setState('connected')
        break
      case 'disconnected':
      case 'failed':
        this.setState('reconnecting')
        break
      case 'new':
      case 'connecting':
        if (this.state !== 'reconnecting') this.setState('connecting')
        break
      default:
        break
    }
  }

  private onIceState(pc: RTCPeerConnection): void {
    if (this.pc === pc) this.iceRestarts?.onIceState(pc.iceConnectionState)
  }

  private startStats(pc: RTCPeerConnection): void {
    this.stats = pollStats(pc, {
      roomEveryMs: this.options.statsIntervalMs,
      tuned: this.tuner !== null,
      pathDead: () => this.tuner?.pathDead ?? false,
      onReport: (values, forRoom) => {
        if (this.pc !== pc) return
        const transceivers = pc.getTransceivers()
        const cameraMid = transceivers[TRACK_ROLES.indexOf('camera')]?.mid ?? null
        if (this.tuner) this.follow(pc, this.tuner.onReport(values, cameraMid))
        if (!forRoom) return
        const screenMid = transceivers[TRACK_ROLES.indexOf('screen')]?.mid ?? null
        this.lastStats = summarizeStats(values, performance.now(), this.lastStats, screenMid)
        this.events.emit('stats', this.lastStats)
        this.events.emit('link', linkReport(values, cameraMid, this.tuner?.videoLowered ?? false))
      },
    })
  }

  /** Applies what the tuner decided from the last report. */
  private follow(pc: RTCPeerConnection, decision: TunerDecision): void {
    if (decision.path === 'dead') {
      // Nothing gets through: stop encoding into the void; the first frame after the pause is a key frame.
      this.sending.videoPaused = true
      this.setState('reconnecting')
      this.tuneVideo()
    } else if (decision.path === 'back') {
      this.sending.videoPaused = false
      this.tuneVideo()
      if (pc.connectionState === 'connected') this.setState('connected')
    }
    if (decision.cameraRung && this.senders.camera) void this.tune('camera', this.senders.camera)
    if (decision.screenFps !== null) {
      this.sending.screenFps = decision.screenFps
      if (this.senders.screen) void this.tune('screen', this.senders.screen)
    }
    if (decision.videoJitterTargetMs !== null) setVideoJitterTarget(pc, decision.videoJitterTargetMs)
    if (decision.audioMaxBitrateBps !== null && this.senders.audio) void this.tune('audio', this.senders.audio)
  }

  private closeConnection(): void {
    this.iceRestarts?.stop()
    this.stats?.stop()
    this.iceRestarts = null
    this.stats = null
    if (this.pc) {
      this.pc.onnegotiationneeded = null
      this.pc.onicecandidate = null
      this.pc.ontrack = null
      this.pc.onconnectionstatechange = null
      this.pc.oniceconnectionstatechange = null
      this.pc.onsignalingstatechange = null
      this.pc.close()
    }
    this.pc = null
    this.outbox = null
    this.senders = {}
    if (this.remote) {
      this.remote = null
      this.events.emit('remote-stream', null)
    }
    if (this.remoteScreen) {
      this.remoteScreen = null
      this.events.emit('remote-screen', null)
    }
  }

  private setState(state: PeerMediaState): void {
    if (this.state === state) return
    this.state = state
    this.events.emit('state', state)
  }
}
