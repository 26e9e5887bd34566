import { describe, expect, it } from 'vitest'
import { isWeak, WeakLinkWatch } from '../../../../src/renderer/lesson/weakLink'
import type { LinkReport } from '../../../../src/shared/lesson/signaling'

const good: LinkReport = { quality: 'good', lossPct: 0, rttMs: 40, sendKbps: 2000, action: 'none' }
const lowered: LinkReport = { quality: 'poor', lossPct: 20, rttMs: 160, sendKbps: 200, action: 'video-lowered' }
const poorOnly: LinkReport = { quality: 'poor', lossPct: 0, rttMs: 450, sendKbps: 1500, action: 'none' }

/** Feeds the same pair of reports every 2 s (as the room gets them) from `from` to `to` ms; returns the last notice. */
function feed(watch: WeakLinkWatch, self: LinkReport | null, peer: LinkReport | null, from: number, to: number) {
  let notice = null
  for (let t = from; t <= to; t += 2000) notice = watch.update(self, peer, t)
  return notice
}

describe('weak link notice', () => {
  it('a link is weak when it measures poor or Duet lowered its video', () => {
    expect(isWeak(good)).toBe(false)
    expect(isWeak(null)).toBe(false)
    expect(isWeak(lowered)).toBe(true)
    expect(isWeak(poorOnly)).toBe(true)
    expect(isWeak({ ...good, quality: 'fair' })).toBe(false)
  })

  it("names the other person's connection when their uplink is weak, and says the video was lowered", () => {
    const watch = new WeakLinkWatch()
    expect(feed(watch, good, lowered, 0, 2000)).toBeNull()
    expect(feed(watch, good, lowered, 4000, 6000)).toEqual({ side: 'peer', videoLowered: true })
  })

  it('names this person when their own uplink is weak; both when both are', () => {
    expect(feed(new WeakLinkWatch(), lowered, good, 0, 6000)).toEqual({ side: 'self', videoLowered: true })
    expect(feed(new WeakLinkWatch(), poorOnly, lowered, 0, 6000)).toEqual({ side: 'both', videoLowered: true })
    expect(feed(new WeakLinkWatch(), poorOnly, null, 0, 6000)).toEqual({ side: 'self', videoLowered: false })
  })

  it("a camera lowered on a link that measures well, while the other person's measures poor, is the other person's weak link", () => {
    // The tutor's estimate fell because its feedback comes back over the student's weak uplink.
    const loweredOnGood: LinkReport = { quality: 'fair', lossPct: 0, rttMs: 90, sendKbps: 300, action: 'video-lowered' }
    expect(feed(new WeakLinkWatch(), loweredOnGood, lowered, 0, 6000)).toEqual({ side: 'peer', videoLowered: true })
    expect(feed(new WeakLinkWatch(), lowered, loweredOnGood, 0, 6000)).toEqual({ side: 'self', videoLowered: true })
    // Lowered on a good link with the other's link well too: this person's own (a capped uplink that loses nothing).
    expect(feed(new WeakLinkWatch(), loweredOnGood, good, 0, 6000)).toEqual({ side: 'self', videoLowered: true })
    // A long round trip is both sides' alike: still only theirs.
    expect(feed(new WeakLinkWatch(), { ...loweredOnGood, rttMs: 260 }, { ...lowered, rttMs: 260 }, 0, 6000)).toEqual({ side: 'peer', videoLowered: true })
    // Lowered on a link that itself loses packets: both are named.
    expect(feed(new WeakLinkWatch(), { ...loweredOnGood, lossPct: 3 }, lowered, 0, 6000)).toEqual({ side: 'both', videoLowered: true })
    // The other's loss reports read 0 now and then (a starved camera's often do): still only theirs.
    const watch = new WeakLinkWatch()
    const flickering = { ...lowered, quality: 'fair' as const, lossPct: 0 }
    let notice = null
    for (let t = 0; t <= 30_000; t += 2000) {
      notice = watch.update(loweredOnGood, (t / 2000) % 3 === 0 ? lowered : flickering, t)
      if (t >= 4000) expect(notice).toEqual({ side: 'peer', videoLowered: true })
    }
    // Both links losing packets, each report now and then reading 0: both, throughout.
    const both = new WeakLinkWatch()
    for (let t = 0; t <= 30_000; t += 2000) {
      notice = both.update((t / 2000) % 2 === 0 ? lowered : flickering, (t / 2000) % 2 === 1 ? lowered : flickering, t)
      if (t >= 6000) expect(notice).toEqual({ side: 'both', videoLowered: true })
    }
  })

  it('keeps the message a while after the link is well again, then drops it', () => {
    const watch = new WeakLinkWatch()
    feed(watch, good, lowered, 0, 10_000)
    expect(feed(watch, good, good, 12_000, 16_000)).toEqual({ side: 'peer', videoLowered: false })
    expect(feed(watch, good, good, 18_000, 22_000)).toBeNull()
  })

  it('a short blip says nothing', () => {
    const watch = new WeakLinkWatch()
    watch.update(good, lowered, 0)
    expect(watch.update(good, good, 2000)).toBeNull()
    expect(feed(watch, good, good, 4000, 20_000)).toBeNull()
  })
})
