import mitt from 'mitt'
import type { IceServer } from '../../../shared/ice'
import type { SignalData } from '../../../shared/signaling'
import type { MediaEngine, MediaEngineEvents, PeerMediaState } from '../MediaEngine'
import { summarizeStats, type MediaStatsSnapshot } from '../stats'
import { addVideoBitrateHints } from './sdpTuning'
import { tuneCameraSender } from './senderTuning'

export interface BuiltinEngineOptions {
  iceServers: IceServer[]
  /** Perfect negotiation role: the polite side yields when both offer at once. */
  polite: boolean
  sendSignal(data: SignalData): void
  /** Tracks to publish when the peer arrives (null = none of that kind yet). */
  localTracks(): { audio: MediaStreamTrack | null; video: MediaStreamTrack | null }
  statsIntervalMs?: number
}

/** How long ICE may stay "disconnected" before we restart it. */
const ICE_DISCONNECTED_GRACE_MS = 2500

/**
 * Built-in engine: one RTCPeerConnection to the other person, signaled through
 * the session server with the "perfect negotiation" pattern (W3C WebRTC
 * spec, section 10), ICE restarts when the path breaks, and a fresh connection
 * whenever the other person (re)joins.
 */
export class BuiltinEngine implements MediaEngine {
  readonly kind = 'builtin' as const
  readonly events = mitt<MediaEngineEvents>()
  private pc: RTCPeerConnection | null = null
  private senders: { audio: RTCRtpSender | null; video: RTCRtpSender | null } = { audio: null, video: null }
  private remote: MediaStream | null = null
  private makingOffer = false
  private ignoreOffer = false
  private settingRemoteAnswer = false
  private remoteOfferSeen = false
  private disconnectTimer: ReturnType<typeof setTimeout> | null = null
  private statsTimer: ReturnType<typeof setInterval> | null = null
  private lastStats: MediaStatsSnapshot | null = null
  private state: PeerMediaState = 'idle'
  private closed = false
  /** Signals held back while no peer is present (a prepared connection); null = send at once. */
  private outbox: SignalData[] | null = null

  constructor(private readonly options: BuiltinEngineOptions) {}

  prepare(): void {
    if (this.closed || this.pc) return
    this.outbox = []
    this.openConnection()
  }

  peerJoined(_peerId: string): void {
    if (this.closed) return
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
    } else if (this.pc) {
      // Media may still flow if only their signaling dropped; ICE decides.
      this.setState('reconnecting')
    }
  }

  async receiveSignal(data: SignalData): Promise<void> {
    const pc = this.pc
    if (!pc) return
    try {
      if (data.kind === 'description') {
        await this.receiveDescription(pc, data.description as RTCSessionDescriptionInit)
      } else if (data.candidate) {
        await pc.addIceCandidate(data.candidate).catch((error: unknown) => {
          // Candidates for an offer we ignored, or from a connection the peer has replaced.
          if (!this.ignoreOffer) console.debug('[duet] ICE candidate not applied', error)
        })
      }
    } catch (error) {
      console.warn('[duet] signaling message not applied', error)
    }
  }

  async setLocalTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const sender = this.senders[kind]
    if (!sender) return
    await sender.replaceTrack(track)
    if (kind === 'video' && track) await tuneCameraSender(sender)
  }

  close(): void {
    this.closed = true
    this.closeConnection()
    this.setState('idle')
    this.events.all.clear()
  }

  private openConnection(): void {
    this.closeConnection()
    const pc = new RTCPeerConnection({
      iceServers: this.options.iceServers as RTCIceServer[],
      bundlePolicy: 'max-bundle',
      // Start gathering candidates before the first offer/answer exists.
      iceCandidatePoolSize: 1,
    })
    this.pc = pc
    this.makingOffer = false
    this.ignoreOffer = false
    this.settingRemoteAnswer = false
    this.remoteOfferSeen = false
    this.remote = new MediaStream()
    this.lastStats = null

    const { audio, video } = this.options.localTracks()
    const local = new MediaStream([audio, video].filter((t): t is MediaStreamTrack => t !== null))
    // addTrack (not addTransceiver) so that in an offer collision the remote
    // offer reuses these senders and we end up with exactly one audio and one video m-line.
    this.senders.audio = audio ? pc.addTrack(audio, local) : pc.addTransceiver('audio', { direction: 'sendrecv', streams: [local] }).sender
    this.senders.video = video ? pc.addTrack(video, local) : pc.addTransceiver('video', { direction: 'sendrecv', streams: [local] }).sender

    // The first offer always comes from the impolite side, so a fresh call never
    // starts with an offer collision (rollbacks cost a round trip and can leave
    // Chromium's remote tracks flagged muted). Later renegotiation may start on either side.
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
    pc.ontrack = ({ track }) => {
      if (this.pc !== pc || !this.remote) return
      this.remote = new MediaStream([...this.remote.getTracks().filter((t) => t.kind !== track.kind), track])
      this.events.emit('remote-stream', this.remote)
    }
    pc.onconnectionstatechange = () => this.onConnectionState(pc)
    pc.oniceconnectionstatechange = () => this.onIceState(pc)
    pc.onsignalingstatechange = () => {
      if (pc.signalingState === 'stable' && this.senders.video?.track) void tuneCameraSender(this.senders.video)
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
    if (description.type === 'offer') this.remoteOfferSeen = true
    performance.mark(`duet:remote-${description.type}`)
    this.settingRemoteAnswer = description.type === 'answer'
    await pc.setRemoteDescription(description)
    this.settingRemoteAnswer = false
    if (description.type === 'offer') {
      await pc.setLocalDescription()
      if (this.pc === pc && pc.localDescription) this.sendDescription(pc.localDescription)
    }
  }

  private sendDescription(description: RTCSessionDescription): void {
    const type = description.type
    const sdp = description.sdp ? addVideoBitrateHints(description.sdp) : undefined
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
        this.setState('connected')
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
    if (this.pc !== pc) return
    if (this.disconnectTimer) clearTimeout(this.disconnectTimer)
    this.disconnectTimer = null
    if (pc.iceConnectionState === 'failed') {
      pc.restartIce()
    } else if (pc.iceConnectionState === 'disconnected') {
      // Often recovers by itself (a Wi-Fi blip); restart only if it does not.
      this.disconnectTimer = setTimeout(() => {
        if (this.pc === pc && pc.iceConnectionState === 'disconnected') pc.restartIce()
      }, ICE_DISCONNECTED_GRACE_MS)
    }
  }

  private startStats(pc: RTCPeerConnection): void {
    this.statsTimer = setInterval(() => {
      if (this.pc !== pc) return
      pc.getStats()
        .then((report) => {
          if (this.pc !== pc) return
          const values = [...(report as unknown as Map<string, Record<string, unknown> & { type: string }>).values()]
          this.lastStats = summarizeStats(values, performance.now(), this.lastStats)
          this.events.emit('stats', this.lastStats)
        })
        .catch(() => {})
    }, this.options.statsIntervalMs ?? 2000)
  }

  private closeConnection(): void {
    if (this.disconnectTimer) clearTimeout(this.disconnectTimer)
    if (this.statsTimer) clearInterval(this.statsTimer)
    this.disconnectTimer = null
    this.statsTimer = null
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
    this.senders = { audio: null, video: null }
    if (this.remote) {
      this.remote = null
      this.events.emit('remote-stream', null)
    }
  }

  private setState(state: PeerMediaState): void {
    if (this.state === state) return
    this.state = state
    this.events.emit('state', state)
  }
}
