/**
 * Notices a dead media path within about two seconds, and its return at
 * once, from how many packets the connection's transport has received. Pure:
 * fed with samples of getStats, it answers 'dead' or 'back' when that changes.
 *
 * Why not iceConnectionState: Chromium reports 'disconnected' only after its
 * connectivity checks have gone unanswered for several seconds (5-8 s in the
 * network lab), while audio alone brings ~50 packets a second; their silence
 * says the path is gone much sooner. Why the transport's count and not the
 * selected candidate pair's last packet: after an ICE restart the two sides
 * may send on different pairs for a while, and media keeps arriving on a pair
 * that is not the one selected for sending.
 */
export interface PathSample {
  /** ms, any monotonic clock. */
  at: number
  /** Packets the transport has received so far (RTCTransportStats.packetsReceived). */
  packetsReceived: number
  iceState: RTCIceConnectionState
}

export type PathEvent = 'dead' | 'back'

/** Silence this long on a path that was carrying media means it is gone. */
export const DEAD_AFTER_MS = 1500
/** A path counts as carrying media when at least this many packets arrived in the FLOW_WINDOW_MS before it went quiet (one person with mic and camera off sends only a trickle of RTCP and connectivity checks). */
const FLOW_PACKETS = 20
const FLOW_WINDOW_MS = 3000

export class PathWatch {
  private dead = false
  private lastCount: number | null = null
  /** When the count last grew. */
  private lastGrowthAt: number | null = null
  /** Times and counts at which the count grew, for the flow before a silence. */
  private growth: { at: number; packets: number }[] = []

  get isDead(): boolean {
    return this.dead
  }

  observe(sample: PathSample): PathEvent | null {
    // A new transport (a fresh connection) starts counting from zero: treat a drop as growth from there.
    const grew = this.lastCount === null || sample.packetsReceived !== this.lastCount
    this.lastCount = sample.packetsReceived
    if (grew) {
      this.lastGrowthAt = sample.at
      this.growth.push({ at: sample.at, packets: sample.packetsReceived })
      this.growth = this.growth.filter((g) => g.at >= sample.at - FLOW_WINDOW_MS)
    }
    const silentFor = this.lastGrowthAt === null ? 0 : sample.at - this.lastGrowthAt

    if (!this.dead) {
      const first = this.growth[0]
      const last = this.growth[this.growth.length - 1]
      const wasFlowing = first !== undefined && last !== undefined && last.packets - first.packets >= FLOW_PACKETS
      if ((silentFor >= DEAD_AFTER_MS && wasFlowing) || sample.iceState === 'failed') {
        this.dead = true
        return 'dead'
      }
      return null
    }
    if (grew && sample.iceState !== 'failed') {
      this.dead = false
      return 'back'
    }
    return null
  }
}
