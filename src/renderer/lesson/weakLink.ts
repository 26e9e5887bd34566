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

/**
 * Whether `report`'s link is weak in its own right, given the other
 * person's. A camera lowered on a link that measures well (no loss, short
 * round trip) while the other person's link measures poor is not: the
 * feedback its bandwidth estimate lives on comes back over the other
 * person's weak uplink, and when that loses it the estimate falls too (seen
 * in the network lab's `student-uplink`: the tutor's estimate fell from 5.8
 * to 0.66 Mbit/s with nothing lost on the tutor's side). Naming both would
 * tell the person with the good connection that theirs is weak.
 */
export function isWeakOwn(report: LinkReport | null, other: LinkReport | null): boolean {
  if (!isWeak(report)) return false
  const loweredOnWellLink = report?.quality !== 'poor' && rateQuality(report?.rttMs ?? null, report?.lossPct ?? null) === 'good'
  return !(loweredOnWellLink && other?.quality === 'poor')
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
  private weakSince: Record<'self' | 'peer', number | null> = { self: null, peer: null }
  private wellSince: Record<'self' | 'peer', number | null> = { self: null, peer: null }
  private shown: Record<'self' | 'peer', boolean> = { self: false, peer: false }

  update(self: LinkReport | null, peer: LinkReport | null, now: number): WeakLinkNotice | null {
    this.follow('self', isWeakOwn(self, peer), now)
    this.follow('peer', isWeakOwn(peer, self), now)
    const side: WeakSide | null = this.shown.self && this.shown.peer ? 'both' : this.shown.self ? 'self' : this.shown.peer ? 'peer' : null
    if (!side) return null
    const lowered = (side !== 'peer' && self?.action === 'video-lowered') || (side !== 'self' && peer?.action === 'video-lowered')
    return { side, videoLowered: lowered }
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
