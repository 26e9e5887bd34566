import type { LinkReport } from '../../shared/lesson/signaling'
import { rateQuality } from '../media/stats'

/** Whose connection the room says is weak. */
export type WeakSide = 'self' | 'peer' | 'both'

export interface WeakLinkNotice {
  side: WeakSide
  /** Duet sends the weak side's camera smaller or slower so the voice stays clear. */
  videoLowered: boolean
}

/** A link is weak when it measures poor, or when Duet had to lower the video for it. */
export function isWeak(report: LinkReport | null): boolean {
  return report !== null && (report.quality === 'poor' || report.action === 'video-lowered')
}

/** Weak this long before the room says so (a blip is not worth a message)... */
const SHOW_AFTER_MS = 3000
/** ...and well again this long before the message goes (no flicker on a link at the edge). */
const HIDE_AFTER_MS = 8000

/**
 * The one-line message about weak connections: who (this person, the other,
 * both) and what Duet did about it. Each person reports their own link (what
 * they send), so a weak uplink is named as that person's connection on both
 * screens. Fed with both reports as they come; holds a message a little
 * before showing it and after the link is well again.
 */
export class WeakLinkWatch {
  /** When each side's packets were last reported lost (2 % or more, what makes a link less than good). */
  private lossyAt: Record<'self' | 'peer', number> = { self: -Infinity, peer: -Infinity }
  private weakSince: Record<'self' | 'peer', number | null> = { self: null, peer: null }
  private wellSince: Record<'self' | 'peer', number | null> = { self: null, peer: null }
  private shown: Record<'self' | 'peer', boolean> = { self: false, peer: false }

  update(self: LinkReport | null, peer: LinkReport | null, now: number): WeakLinkNotice | null {
    for (const [who, report] of [['self', self], ['peer', peer]] as const) {
      // Loss only: it is the other side's count of this person's packets, so it says whose link loses them; a long
      // round trip is the same on both sides and says nothing of whose link it is.
      const byLoss = report ? rateQuality(null, report.lossPct) : 'unknown'
      if (byLoss === 'fair' || byLoss === 'poor') this.lossyAt[who] = now
    }
    this.follow('self', this.weakOwn('self', self, peer, now), now)
    this.follow('peer', this.weakOwn('peer', peer, self, now), now)
    const side: WeakSide | null = this.shown.self && this.shown.peer ? 'both' : this.shown.self ? 'self' : this.shown.peer ? 'peer' : null
    if (!side) return null
    const lowered = (side !== 'peer' && self?.action === 'video-lowered') || (side !== 'self' && peer?.action === 'video-lowered')
    return { side, videoLowered: lowered }
  }

  /**
   * Whether `who`'s link is weak in its own right. One that measures poor
   * is. A camera lowered while none of its packets were lost lately, when
   * the other person's link is weak and has been losing packets, is not:
   * the feedback its bandwidth estimate lives on comes back over the other
   * person's weak uplink, and the estimate falls with it (the network lab's
   * `student-uplink`: the tutor's estimate fell from 5.8 to 0.66 Mbit/s with
   * nothing lost on the tutor's side). Naming both would tell the person
   * with the good connection that theirs is weak. "Lately" (HIDE_AFTER_MS),
   * because the loss reports of a starved camera read 0 about half the time.
   */
  private weakOwn(who: 'self' | 'peer', report: LinkReport | null, other: LinkReport | null, now: number): boolean {
    if (!isWeak(report)) return false
    const lately = (side: 'self' | 'peer') => now - this.lossyAt[side] <= HIDE_AFTER_MS
    return report?.quality === 'poor' || lately(who) || !(isWeak(other) && lately(who === 'self' ? 'peer' : 'self'))
  }

  private follow(who: 'self' | 'peer', weak: boolean, now: number): void {
    if (weak) {
      this.wellSince[who] = null
      const since = (this.weakSince[who] ??= now)
      if (now - since >= SHOW_AFTER_MS) this.shown[who] = true
    } else {
      this.weakSince[who] = null
      const since = (this.wellSince[who] ??= now)
      if (now - since >= HIDE_AFTER_MS) this.shown[who] = false
    }
  }
}
