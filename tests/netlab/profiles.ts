import type { LinkSpec } from './impairment'

export type Person = 'tutor' | 'student'
export const PEOPLE: readonly Person[] = ['tutor', 'student']

/** What each person's link does, per direction: `up` from their browser towards the other, `down` towards them. */
export type ProfileLinks = Record<Person, { up: LinkSpec; down: LinkSpec }>

export interface Profile {
  name: ProfileName
  /** One line for people (the netlab tool prints it). */
  about: string
  links: ProfileLinks
}

export const PROFILE_NAMES = ['clean', 'wifi', 'busy-wifi', '4g-edge', 'bad', 'outage', 'student-uplink'] as const
export type ProfileName = (typeof PROFILE_NAMES)[number]

/** `outage`: clean, then the student's link is gone for this long, this far into the lesson. */
export const OUTAGE = { atMs: 20_000, durationMs: 10_000 }

/**
 * A condition of the path between the two people, the way the issue states
 * it: each direction of media loses `lossPct`, the round trip is `rttMs`,
 * each direction is capped at `rateKbps`. Every packet crosses one sender's
 * uplink and the other's downlink; the impairment sits on the uplinks (half
 * the round trip each), so each direction sees the loss, jitter and cap once,
 * not twice, and the round trip adds up to `rttMs`.
 */
function path(condition: Omit<LinkSpec, 'delayMs'> & { rttMs?: number }): ProfileLinks {
  const { rttMs, ...rest } = condition
  const up: LinkSpec = rttMs ? { ...rest, delayMs: rttMs / 2 } : rest
  return { tutor: { up, down: {} }, student: { up, down: {} } }
}

const FOUR_G_EDGE = { lossPct: 20, rttMs: 150, rateKbps: 1500 }

export const PROFILES: Record<ProfileName, Profile> = {
  clean: { name: 'clean', about: 'no impairment (still through TURN)', links: path({}) },
  wifi: { name: 'wifi', about: '2 % loss, 40 ms RTT, 10 ms jitter', links: path({ lossPct: 2, rttMs: 40, jitterMs: 10 }) },
  'busy-wifi': {
    name: 'busy-wifi',
    about: '5 % bursty loss, 80 ms RTT, 30 ms jitter, 4 Mbps',
    links: path({ burst: { lossPct: 5, meanBurstPackets: 4 }, rttMs: 80, jitterMs: 30, rateKbps: 4000 }),
  },
  '4g-edge': { name: '4g-edge', about: '20 % loss, 150 ms RTT, 1.5 Mbps', links: path(FOUR_G_EDGE) },
  bad: { name: 'bad', about: '40 % loss, 300 ms RTT, 600 kbps', links: path({ lossPct: 40, rttMs: 300, rateKbps: 600 }) },
  outage: {
    name: 'outage',
    about: `clean, then the student's link drops for ${OUTAGE.durationMs / 1000} s, ${OUTAGE.atMs / 1000} s into the lesson`,
    links: { tutor: { up: {}, down: {} }, student: { up: { outages: [OUTAGE] }, down: { outages: [OUTAGE] } } },
  },
  'student-uplink': {
    name: 'student-uplink',
    about: "only the student's upstream is 4g-edge (20 % loss, +75 ms, 1.5 Mbps)",
    links: { tutor: { up: {}, down: {} }, student: { up: path(FOUR_G_EDGE).student.up, down: {} } },
  },
}

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name)
}
