/**
 * Notices a dead media path within about two seconds, and its return at
 * once, from the selected ICE candidate pair's figures. Pure: fed with
 * samples of getStats, it answers 'dead' or 'back' when that changes.
 *
 * Why not only iceConnectionState: Chromium reports 'disconnected' only after
 * its connectivity checks have gone unanswered for several seconds (5-8 s in
 * the network lab), while audio alone brings ~50 packets a second; their
 * silence says the path is gone much sooner.
 */
export interface PathSample {
  /** The report's timestamp (epoch ms, the clock lastPacketAt uses). */
  at: number
  /** The selected pair's lastPacketReceivedTimestamp (null: none yet). */
  lastPacketAt: number | null
  /** The selected pair's packetsReceived. */
  packetsReceived: number
  iceState: RTCIceConnectionState
}

export type PathEvent = 'dead' | 'back'

/** Silence this long on a path that was carrying media means it is gone. */
export const DEAD_AFTER_MS = 1500
/** A path counts as carrying media when at least this many packets arrived in the last FLOW_WINDOW_MS (one person with mic and camera off sends only a trickle of RTCP). */
const FLOW_PACKETS = 20
const FLOW_WINDOW_MS = 3000

export class PathWatch {
  private dead = false
  private history: { at: number; packets: number }[] = []

  get isDead(): boolean {
    return this.dead
  }

  observe(sample: PathSample): PathEvent | null {
    const silentFor = sample.lastPacketAt === null ? 0 : sample.at - sample.lastPacketAt
    const wasFlowing = this.packetsBefore(sample.at - silentFor) >= FLOW_PACKETS
    this.history.push({ at: sample.at, packets: sample.packetsReceived })
    this.history = this.history.filter((h) => h.at >= sample.at - FLOW_WINDOW_MS - DEAD_AFTER_MS * 4)

    const iceDown = sample.iceState === 'failed' || (sample.iceState === 'disconnected' && silentFor >= DEAD_AFTER_MS / 2)
    const silent = silentFor >= DEAD_AFTER_MS && wasFlowing
    if (!this.dead && (silent || iceDown)) {
      this.dead = true
      return 'dead'
    }
    if (this.dead && silentFor < DEAD_AFTER_MS / 2 && sample.iceState !== 'failed' && sample.lastPacketAt !== null) {
      this.dead = false
      return 'back'
    }
    return null
  }

  /** Packets that arrived in the FLOW_WINDOW_MS before `until`. */
  private packetsBefore(until: number): number {
    const inWindow = this.history.filter((h) => h.at <= until && h.at >= until - FLOW_WINDOW_MS)
    if (inWindow.length < 2) return 0
    return inWindow[inWindow.length - 1]!.packets - inWindow[0]!.packets
  }
}
