/** How long ICE may stay "disconnected" before the offering side restarts it (it often recovers by itself: a Wi-Fi blip). */
export const ICE_DISCONNECTED_GRACE_MS = 2500
/**
 * How long the answering side waits for the offering side's restart before it
 * makes one itself. Both sides see a broken path within a few seconds of each
 * other (Chromium calls ICE "disconnected" after ~5 s of unanswered checks,
 * sent every 0.9-2.5 s), so the offering side's restart comes well within this.
 */
export const ANSWERER_WAIT_MS = 5000

export interface IceRestartOptions {
  /** The side that offers first (the impolite one): it makes the ICE restarts. */
  offerer: boolean
  /** Tuned for weak links: a "disconnected" path is restarted after the grace period; untuned, only a "failed" one is. */
  tuned: boolean
  /** Restart ICE now (the engine's pc.restartIce(), which makes an offer). */
  restart: () => void
}

/**
 * When the built-in engine restarts ICE. The offering side does: at once when
 * ICE fails, after a grace period when it stays disconnected. The answering
 * side leaves it to them and restarts only if their restart has not come
 * ANSWERER_WAIT_MS after its own would have (each offer from them starts the
 * wait again).
 *
 * Why not both, as perfect negotiation allows: a path that breaks for both
 * sides at once (early in a lesson both check every 0.9 s, so both give up
 * within a few ms) made both restart at once, the two offers crossed, and the
 * answering side rolled its own back to take theirs. After that rollback
 * Chromium (156) decodes the other camera's frames into a new receive stream
 * but never delivers them to the receiver's track: that side's picture stays
 * frozen for good, even re-attached (tests/netlab/earlyOutage.ts reproduces
 * it). With one side restarting, offers never cross on a broken path.
 * The same holds when a device's network comes back (onNetworkBack): the
 * offering side restarts at once; the answering side leaves it to them (they
 * restart on their own ICE watch, or start over when its lesson socket
 * rejoins) and restarts only if the path is still down ANSWERER_WAIT_MS later.
 */
export class IceRestarts {
  private timer: ReturnType<typeof setTimeout> | null = null
  /** The answering side's wait while armed (restarted by each offer of theirs). */
  private waitMs = 0
  private down = false

  constructor(private readonly options: IceRestartOptions) {}

  /** The connection's ICE state changed. */
  onIceState(state: RTCIceConnectionState): void {
    this.clear()
    this.down = state === 'disconnected' || state === 'failed'
    if (!this.down) return
    const grace = state === 'failed' ? 0 : this.options.tuned ? ICE_DISCONNECTED_GRACE_MS : null
    if (grace === null) return
    if (this.options.offerer) {
      if (grace === 0) this.options.restart()
      else this.arm(grace)
    } else {
      this.waitMs = grace + ANSWERER_WAIT_MS
      this.arm(this.waitMs)
    }
  }

  /**
   * This device's network is back (the system says online, or the lesson
   * socket reconnected) while the path looks dead; `stillDown` is asked again
   * before the answering side's own restart, since the path may have come
   * back without ICE changing state (the network tuner's verdict).
   */
  onNetworkBack(stillDown: () => boolean): void {
    if (this.options.offerer) {
      this.clear()
      this.options.restart()
      return
    }
    this.waitMs = ANSWERER_WAIT_MS
    this.arm(this.waitMs, stillDown)
  }

  /** An offer from the other side arrived: on the answering side, their restart is under way, so its own waits again. */
  onRemoteOffer(): void {
    if (!this.options.offerer && this.timer) this.arm(this.waitMs, this.due)
  }

  stop(): void {
    this.clear()
    this.down = false
  }

  /** ICE's own verdict, what a timer armed by an ICE state asks before it restarts. */
  private readonly iceDown = (): boolean => this.down
  /** What the armed timer asks before it restarts (kept when an offer of theirs re-arms it). */
  private due = this.iceDown

  private arm(ms: number, due = this.iceDown): void {
    this.clear()
    this.due = due
    this.timer = setTimeout(() => {
      this.timer = null
      if (due()) this.options.restart()
    }, ms)
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
