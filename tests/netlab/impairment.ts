/**
 * One direction of one person's network link, as a pure model: for each
 * packet it says whether the packet is lost and, if not, when it arrives.
 * The UDP relay (relay.ts) applies the verdicts to real datagrams; unit
 * tests drive it with a fake clock.
 *
 * Written by hand because the usual tool (Linux netem) needs kernel rights
 * this machine does not give, and no maintained npm package models these
 * five impairments together for userspace UDP.
 */

/** What a link does to the packets that cross it; every field is optional (absent = perfect). */
export interface LinkSpec {
  /** Independent random loss, percent of packets. */
  lossPct?: number
  /** Bursty loss (Gilbert-Elliott): average loss in percent and the mean length of a burst in packets. */
  burst?: { lossPct: number; meanBurstPackets: number }
  /** Added one-way delay, ms. */
  delayMs?: number
  /**
   * Standard deviation of the delay around `delayMs`, ms. The delay wanders
   * (correlated over ~20 ms, as a queue's is) and packets keep their order;
   * keeping order and the zero floor clip the low tail, so the spread
   * measured comes out 5-20 % under this while the mean stays `delayMs`.
   */
  jitterMs?: number
  /** Bandwidth cap in kbit/s, counting IPv4 and UDP headers as a real link does. */
  rateKbps?: number
  /** How long the drop-tail queue in front of the cap may get, in ms at the capped rate; default 200 ms. */
  queueMs?: number
  /** All packets dropped in these windows (ms after the link's schedule starts). */
  outages?: Outage[]
}

export interface Outage {
  atMs: number
  durationMs: number
}

export type DropReason = 'loss' | 'burst' | 'queue' | 'outage'

export type Verdict = { deliverAt: number } | { drop: DropReason }

export interface LinkCounts {
  offered: number
  delivered: number
  lost: Record<DropReason, number>
  /** Bytes let through (payload only). */
  bytes: number
}

/** A seeded random source in [0, 1), so a lab run can be repeated. */
export type Random = () => number

/** mulberry32: tiny, fast and good enough for loss decisions (not for secrets). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** IPv4 (20 bytes) + UDP (8 bytes) headers: what a capped link carries on top of each datagram. */
export const IP_UDP_OVERHEAD_BYTES = 28
const DEFAULT_QUEUE_MS = 200
/** How long the delay takes to wander to a new value: a queue's delay changes over tens of ms, not per packet. */
const JITTER_CORRELATION_MS = 20

export class Link {
  private spec: LinkSpec = {}
  /** When the cap's transmitter is free again (ms, the caller's clock). */
  private busyUntil = -Infinity
  private lastDeliverAt = -Infinity
  private inBurst = false
  private jitterOffset = 0
  private jitterAt: number | null = null
  /**
   * Keeping order (and no negative delay) only ever adds delay; this much
   * (ms) is taken back from the wandering delay so its mean stays as asked.
   * An integral controller on the delivered delay.
   */
  private delayTrim = 0
  private scheduleStart: number | null = null
  private cut = { from: Infinity, until: -Infinity }
  private readonly listeners = new Set<(event: LinkEvent) => void>()
  readonly counts: LinkCounts = { offered: 0, delivered: 0, lost: { loss: 0, burst: 0, queue: 0, outage: 0 }, bytes: 0 }

  constructor(
    spec: LinkSpec = {},
    private readonly random: Random = Math.random,
  ) {
    this.setSpec(spec)
  }

  /** Changes what the link does from now on (packets already on their way keep their times). */
  setSpec(spec: LinkSpec): void {
    validateSpec(spec)
    this.spec = spec
    if (!spec.burst) this.inBurst = false
  }

  get current(): Readonly<LinkSpec> {
    return this.spec
  }

  /** Starts the clock the spec's `outages` count from. */
  startSchedule(now: number): void {
    this.scheduleStart = now
  }

  /** Drops everything for `ms` from now (an unscheduled outage, as a test or the bench triggers it). */
  cutFor(ms: number, now: number): void {
    this.cut = now < this.cut.until ? { from: this.cut.from, until: Math.max(this.cut.until, now + ms) } : { from: now, until: now + ms }
  }

  /** True while an outage (scheduled or cut) is on. */
  isDown(now: number): boolean {
    if (now >= this.cut.from && now < this.cut.until) return true
    if (this.scheduleStart === null) return false
    const t = now - this.scheduleStart
    return (this.spec.outages ?? []).some((o) => t >= o.atMs && t < o.atMs + o.durationMs)
  }

  onEvent(listener: (event: LinkEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** One datagram of `bytes` payload offered to the link at `now` (ms). */
  offer(bytes: number, now: number): Verdict {
    this.counts.offered += 1
    const verdict = this.decide(bytes, now)
    if ('drop' in verdict) this.counts.lost[verdict.drop] += 1
    else {
      this.counts.delivered += 1
      this.counts.bytes += bytes
    }
    for (const listener of this.listeners) listener({ bytes, at: now, verdict })
    return verdict
  }

  private decide(bytes: number, now: number): Verdict {
    const spec = this.spec
    if (this.isDown(now)) return { drop: 'outage' }
    if (spec.burst && this.burstLoses()) return { drop: 'burst' }
    if (spec.lossPct && this.random() * 100 < spec.lossPct) return { drop: 'loss' }
    let departure = now
    if (spec.rateKbps) {
      // Serialization at the capped rate behind whatever is queued; a full queue drops the newcomer (drop-tail).
      const start = Math.max(now, this.busyUntil)
      const txMs = ((bytes + IP_UDP_OVERHEAD_BYTES) * 8) / spec.rateKbps
      if (start - now + txMs > (spec.queueMs ?? DEFAULT_QUEUE_MS)) return { drop: 'queue' }
      this.busyUntil = start + txMs
      departure = this.busyUntil
    }
    const base = spec.delayMs ?? 0
    const jittered = spec.jitterMs ? base + this.jitter(now) - this.delayTrim : base
    // A link does not reorder: a packet never overtakes the one before it.
    const deliverAt = Math.max(departure + Math.max(0, jittered), this.lastDeliverAt)
    if (spec.jitterMs) this.delayTrim += (deliverAt - departure - base) / 256
    this.lastDeliverAt = deliverAt
    return { deliverAt }
  }

  /** Gilbert-Elliott with loss only in the bad state: P(bad) = p/(p+r) = average loss, mean burst = 1/r packets. */
  private burstLoses(): boolean {
    const { lossPct, meanBurstPackets } = this.spec.burst!
    const loss = lossPct / 100
    const r = 1 / meanBurstPackets
    const p = (loss * r) / (1 - loss)
    const lost = this.inBurst
    this.inBurst = this.inBurst ? this.random() >= r : this.random() < p
    return lost
  }

  /** Ornstein-Uhlenbeck process: stationary standard deviation `jitterMs`, correlated over JITTER_CORRELATION_MS. */
  private jitter(now: number): number {
    const sigma = this.spec.jitterMs ?? 0
    if (sigma <= 0) return 0
    const dt = this.jitterAt === null ? Infinity : Math.max(0, now - this.jitterAt)
    this.jitterAt = now
    const keep = Math.exp(-dt / JITTER_CORRELATION_MS)
    this.jitterOffset = this.jitterOffset * keep + sigma * Math.sqrt(1 - keep * keep) * this.gaussian()
    return this.jitterOffset
  }

  private gaussian(): number {
    // Box-Muller; 1 - random() keeps the logarithm finite.
    return Math.sqrt(-2 * Math.log(1 - this.random())) * Math.cos(2 * Math.PI * this.random())
  }
}

export interface LinkEvent {
  bytes: number
  at: number
  verdict: Verdict
}

function validateSpec(spec: LinkSpec): void {
  const pct = (v: number | undefined, name: string) => {
    if (v !== undefined && !(v >= 0 && v < 100)) throw new Error(`${name} must be in [0, 100)`)
  }
  const nonNegative = (v: number | undefined, name: string) => {
    if (v !== undefined && !(v >= 0 && Number.isFinite(v))) throw new Error(`${name} must be a finite number >= 0`)
  }
  pct(spec.lossPct, 'lossPct')
  if (spec.burst) {
    pct(spec.burst.lossPct, 'burst.lossPct')
    if (!(spec.burst.meanBurstPackets >= 1)) throw new Error('burst.meanBurstPackets must be >= 1')
  }
  nonNegative(spec.delayMs, 'delayMs')
  nonNegative(spec.jitterMs, 'jitterMs')
  nonNegative(spec.queueMs, 'queueMs')
  if (spec.rateKbps !== undefined && !(spec.rateKbps > 0)) throw new Error('rateKbps must be > 0')
  for (const o of spec.outages ?? []) {
    nonNegative(o.atMs, 'outages.atMs')
    nonNegative(o.durationMs, 'outages.durationMs')
  }
}
