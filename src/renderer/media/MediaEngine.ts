import type { Emitter } from 'mitt'
import type { MediaEngineKind } from '../../shared/lesson/api'
import type { IceServer, IceTransportPolicy } from '../../shared/lesson/ice'
import type { LinkReport, SignalData, ViewSize } from '../../shared/lesson/signaling'
import type { MediaStatsSnapshot } from './stats'
import type { LocalTracks, TrackRole } from './trackRoles'

/** How the media path to the other person is doing, as the room shows it. */
export type PeerMediaState = 'idle' | 'connecting' | 'connected' | 'reconnecting'

export type MediaEngineEvents = {
  /** The other person's camera and microphone (a new stream object on every change). */
  'remote-stream': MediaStream | null
  /** The other person's shared screen (and its sound); its track is muted while they are not sharing. */
  'remote-screen': MediaStream | null
  state: PeerMediaState
  stats: MediaStatsSnapshot
  /** This person's own link and what the engine did about it, every few seconds (sent to the other person). */
  link: LinkReport
}

/** What the room gives any engine: the server's media settings, its side of the lesson, signaling and the local tracks. */
export interface MediaEngineOptions {
  iceServers: IceServer[]
  /** 'relay': TURN candidates only (server config). */
  iceTransportPolicy?: IceTransportPolicy
  /** false: plain WebRTC defaults, none of the engine's weak-network tuning (server config `mediaTuning`; the bench's baseline). */
  tuning?: boolean
  /** Perfect negotiation role: the polite side yields when both offer at once. */
  polite: boolean
  sendSignal(data: SignalData): void
  /** Tracks to publish when the peer arrives (null = nothing for that role yet). */
  localTracks(): LocalTracks
}

/**
 * One lesson's media, whatever carries it (DESIGN.md "Media engines"). The
 * lesson store tells the engine who is present and hands it signaling; the
 * engine publishes the local tracks and reports the remote stream and stats.
 */
export interface MediaEngine {
  readonly kind: MediaEngineKind
  readonly events: Emitter<MediaEngineEvents>
  /** Alone in the lesson: get a connection ready so media starts fast when the other person arrives. */
  prepare(): void
  /** The other person is (again) in the lesson: set up media with them. */
  peerJoined(peerId: string): void
  /** The other person left or dropped; `left` tears the media down. */
  peerLeft(reason: 'left' | 'disconnected'): void
  /** A signaling message from the other person. */
  receiveSignal(data: SignalData): Promise<void>
  /** Publish this track (or nothing) in its role: device switching, camera off, screen share. */
  setLocalTrack(role: TrackRole, track: MediaStreamTrack | null): Promise<void>
  /**
   * This machine's network is back (the browser went online again, or the
   * lesson socket reconnected): if media is still down, try a new path now
   * instead of waiting for the old one to time out.
   */
  networkBack(): void
  /** How large the other person shows our camera (device pixels; null: not known): a small tile gets a smaller picture. */
  setPeerCameraView(view: ViewSize | null): void
  /** Stop everything; the engine cannot be used again. */
  close(): void
}
