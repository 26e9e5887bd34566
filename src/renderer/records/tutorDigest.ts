import type { Digest } from '../../shared/students/warnings'
import type { Translate } from './recordText'

/**
 * The tutor's daily digest: new early-warning flags since they last looked,
 * raised as an OS notification at most once a calendar day on this device
 * (the home screen and the roster show it until the tutor says "Got it").
 */
const KEY = 'duet.digestNotifiedOn'

type DayStorage = Pick<Storage, 'getItem' | 'setItem'>

/** The local calendar day, as the tutor lives it. */
function dayOf(now: Date): string {
  return `${now.getFullYear()}-${now.getMonth() + 1}-${now.getDate()}`
}

/** There is news, and this device has not told of it today. */
export function digestDue(digest: Digest | null, now: Date, storage: DayStorage): boolean {
  if (!digest || digest.students.length === 0) return false
  try {
    return storage.getItem(KEY) !== dayOf(now)
  } catch {
    return false // storage off: better no reminder than one on every start
  }
}

export function markDigestShown(now: Date, storage: DayStorage): void {
  try {
    storage.setItem(KEY, dayOf(now))
  } catch {
    // storage off: nothing kept
  }
}

/** "Wei (No activity); Ana (Low attendance, Low ratings)". */
export function digestText(t: Translate, digest: Digest): string {
  return digest.students.map((s) => `${s.name} (${s.rules.map((rule) => t(`records.flag.rule.${rule}`)).join(', ')})`).join('; ')
}
