import * as Y from 'yjs'

/** At most one board update message per this many ms while someone keeps drawing. */
export const SEND_INTERVAL_MS = 30

export interface BatcherClock {
  now(): number
  /** Runs `fn` after `ms`; returns a cancel function. */
  later(fn: () => void, ms: number): () => void
}

export const realClock: BatcherClock = {
  now: () => performance.now(),
  later: (fn, ms) => {
    const id = setTimeout(fn, ms)
    return () => clearTimeout(id)
  },
}

/**
 * Decides when local Yjs updates go on the wire. An update after a quiet
 * spell goes at once (pen-down reaches the other side without delay);
 * updates that follow within SEND_INTERVAL_MS are merged into one and sent
 * when the interval is up.
 *
 * Why: the pen writes to the document every animation frame, so the person
 * drawing sees their ink at the display's rate, but each update sent costs a
 * message with a fixed overhead (document name, update header: about two
 * thirds of a live-drawing message). Sending every other frame instead of
 * every frame nearly halves the bytes per stroke; the other side still sees
 * the ink grow about 30 times a second.
 */
export class UpdateBatcher {
  private held: Uint8Array[] = []
  private cancel: (() => void) | null = null
  private lastSent = -Infinity

  constructor(
    /** Sends one update (one message). */
    private readonly send: (update: Uint8Array) => void,
    /** Told when updates start waiting (true) and when they have been handed to send (false). */
    private readonly holding: (held: boolean) => void,
    private readonly clock: BatcherClock = realClock,
  ) {}

  push(update: Uint8Array): void {
    const now = this.clock.now()
    if (!this.cancel && now - this.lastSent >= SEND_INTERVAL_MS) {
      this.lastSent = now
      this.send(update)
      return
    }
    if (this.held.length === 0) this.holding(true)
    this.held.push(update)
    this.cancel ??= this.clock.later(() => this.flush(), Math.max(0, SEND_INTERVAL_MS - (now - this.lastSent)))
  }

  /** Sends whatever is waiting now (before the connection goes away, for instance). */
  flush(): void {
    this.cancel?.()
    this.cancel = null
    if (this.held.length === 0) return
    const update = this.held.length === 1 ? (this.held[0] as Uint8Array) : Y.mergeUpdates(this.held)
    this.held = []
    this.lastSent = this.clock.now()
    this.send(update)
    this.holding(false)
  }

  get waiting(): number {
    return this.held.length
  }
}
