import { describe, expect, it } from 'vitest'
import { IP_UDP_OVERHEAD_BYTES, Link, seededRandom, type LinkSpec, type Verdict } from '../../netlab/impairment'

/** Offers `count` packets of `bytes`, one every `everyMs` on a fake clock; returns each verdict with its send time. */
function drive(spec: LinkSpec, count: number, everyMs: number, bytes = 1000, seed = 7): { sentAt: number; verdict: Verdict }[] {
  const link = new Link(spec, seededRandom(seed))
  link.startSchedule(0)
  const out: { sentAt: number; verdict: Verdict }[] = []
  for (let i = 0; i < count; i += 1) out.push({ sentAt: i * everyMs, verdict: link.offer(bytes, i * everyMs) })
  return out
}

const lossShare = (results: { verdict: Verdict }[]) => results.filter((r) => 'drop' in r.verdict).length / results.length
const delivered = (results: { sentAt: number; verdict: Verdict }[]) =>
  results.flatMap((r) => ('deliverAt' in r.verdict ? [{ sentAt: r.sentAt, at: r.verdict.deliverAt }] : []))
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
const sd = (values: number[]) => {
  const m = mean(values)
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)))
}

describe('Link: the impairment model', () => {
  it('a perfect link delivers everything at once', () => {
    const results = drive({}, 1000, 1)
    expect(lossShare(results)).toBe(0)
    for (const r of delivered(results)) expect(r.at).toBe(r.sentAt)
  })

  it('random loss matches what was asked within a few percent', () => {
    for (const lossPct of [2, 20, 40]) {
      const measured = lossShare(drive({ lossPct }, 50_000, 1)) * 100
      expect(Math.abs(measured - lossPct) / lossPct).toBeLessThan(0.05)
    }
  })

  it('bursty loss (Gilbert-Elliott) has the asked average and mean burst length', () => {
    const results = drive({ burst: { lossPct: 5, meanBurstPackets: 4 } }, 200_000, 1)
    const lost = results.map((r) => 'drop' in r.verdict)
    const bursts: number[] = []
    let run = 0
    for (const l of lost) {
      if (l) run += 1
      else if (run > 0) {
        bursts.push(run)
        run = 0
      }
    }
    expect(Math.abs(lossShare(results) * 100 - 5) / 5).toBeLessThan(0.05)
    expect(Math.abs(mean(bursts) - 4) / 4).toBeLessThan(0.05)
    // Bursty, not independent: at 5 % independent loss a burst would average 1.05 packets.
    expect(bursts.filter((b) => b >= 4).length).toBeGreaterThan(bursts.length / 4)
  })

  it('delay with jitter: mean and spread as asked, packets never reordered', () => {
    const results = delivered(drive({ delayMs: 40, jitterMs: 15 }, 40_000, 5))
    const delays = results.map((r) => r.at - r.sentAt)
    expect(Math.abs(mean(delays) - 40) / 40).toBeLessThan(0.03)
    // Keeping order clips the low tail a little: the spread comes out slightly under what was asked, never over.
    expect(sd(delays)).toBeGreaterThan(15 * 0.85)
    expect(sd(delays)).toBeLessThanOrEqual(15)
    for (let i = 1; i < results.length; i += 1) expect(results[i]!.at).toBeGreaterThanOrEqual(results[i - 1]!.at)
  })

  it('a bandwidth cap holds the asked rate and its drop-tail queue stays bounded', () => {
    // 1000-byte packets at 8 Mbit/s offered into a 1.5 Mbit/s cap for 20 s.
    const results = drive({ rateKbps: 1500, queueMs: 100 }, 20_000, 1)
    const got = delivered(results)
    const wireBits = got.length * (1000 + IP_UDP_OVERHEAD_BYTES) * 8
    const seconds = (got[got.length - 1]!.at - got[0]!.at) / 1000
    const kbps = wireBits / seconds / 1000
    expect(Math.abs(kbps - 1500) / 1500).toBeLessThan(0.02)
    expect(Math.max(...got.map((r) => r.at - r.sentAt))).toBeLessThanOrEqual(100)
    expect(results.filter((r) => 'drop' in r.verdict && r.verdict.drop === 'queue').length).toBeGreaterThan(15_000)
  })

  it('below the cap nothing queues or drops', () => {
    // 1000 bytes every 10 ms = 822 kbit/s on the wire, under a 1.5 Mbit/s cap.
    const results = drive({ rateKbps: 1500 }, 2000, 10)
    expect(lossShare(results)).toBe(0)
    for (const r of delivered(results)) expect(r.at - r.sentAt).toBeCloseTo(((1000 + IP_UDP_OVERHEAD_BYTES) * 8) / 1500, 5)
  })

  it('a scheduled outage drops everything for exactly its window', () => {
    const results = drive({ outages: [{ atMs: 1000, durationMs: 500 }] }, 3000, 1)
    for (const r of results) {
      const inWindow = r.sentAt >= 1000 && r.sentAt < 1500
      expect('drop' in r.verdict).toBe(inWindow)
      if (inWindow) expect(r.verdict).toEqual({ drop: 'outage' })
    }
  })

  it('cutFor drops from now for the given time; isDown says so', () => {
    const link = new Link({}, seededRandom(1))
    link.cutFor(200, 1000)
    expect(link.isDown(999)).toBe(false)
    expect(link.offer(100, 1000)).toEqual({ drop: 'outage' })
    expect(link.isDown(1199)).toBe(true)
    expect(link.offer(100, 1200)).toEqual({ deliverAt: 1200 })
    expect(link.counts.lost.outage).toBe(1)
    expect(link.counts.delivered).toBe(1)
  })

  it('refuses a spec that makes no sense', () => {
    expect(() => new Link({ lossPct: 100 })).toThrow(/lossPct/)
    expect(() => new Link({ rateKbps: 0 })).toThrow(/rateKbps/)
    expect(() => new Link({ burst: { lossPct: 5, meanBurstPackets: 0.5 } })).toThrow(/meanBurstPackets/)
    expect(() => new Link({ delayMs: -1 })).toThrow(/delayMs/)
  })
})
