// Issue #15's figures: lessons through the network lab (coturn on loopback
// behind the impairment relay, relay-only ICE), each person in a browser of
// their own, measured at the receivers from the frames they render and from
// getStats. Every figure is measured three times in one run, lesson by lesson
// in turn so a busy machine weighs on all alike: the desktop app (Duet's
// tuning, and Chromium started with the app's WebRTC field trials), the web
// client in a plain browser (`_browser`: a student who joined from a link),
// and plain WebRTC defaults in a plain browser (`_baseline`).
import { resolve } from 'node:path'
import { chromiumAsUser } from '../support/chromium'
import { firstFrameAfter, summarizeFrames } from '../netlab/frames'
import { NetLab } from '../netlab/lab'
import { startLabServer, type LabServer } from '../netlab/labServer'
import type { Client } from '../netlab/browsers'
import { startLabLesson, type LabLesson } from '../netlab/lesson'
import { describeFreeze, diagnoseFreezes, freezeTimeByCause, type FreezeDiagnosis } from '../netlab/freezes'
import { framesSince, pageEvidence, receiveStats, type ReceiveStats } from '../netlab/probe'
import { isProfileName, PEOPLE, type ProfileName } from '../netlab/profiles'
import { describeWire, payloadNames, videoFecPackets, videoFramesSent } from '../netlab/rtpWire'
import { metric, percentile, type Metric } from './stats'

const LESSON_MS = Number(process.env.BENCH_NET_SECONDS ?? 60) * 1000
const PROFILES: ProfileName[] = (process.env.BENCH_NET_PROFILES ?? 'clean,wifi,4g-edge,bad')
  .split(',')
  .map((p) => p.trim())
  .filter((p): p is ProfileName => {
    if (p === 'outage' || p === '') return false
    if (!isProfileName(p)) throw new Error(`BENCH_NET_PROFILES: unknown profile ${p}`)
    return true
  })
const OUTAGES = Number(process.env.BENCH_NET_OUTAGES ?? 5)
const OUTAGE_MS = 10_000
/** After an outage the picture must be back within this, or the outage counts as this long (and the lesson is replaced). */
const RECOVERY_GIVE_UP_MS = 30_000
const STEADY_MS = 8_000

const MODE_NAMES = ['tuned', 'browser', 'baseline'] as const
type Mode = (typeof MODE_NAMES)[number]
const MODES: Mode[] = (process.env.BENCH_NET_MODES ?? MODE_NAMES.join(',')).split(',').map((m) => {
  const mode = m.trim()
  if (!(MODE_NAMES as readonly string[]).includes(mode)) throw new Error(`BENCH_NET_MODES: unknown mode ${mode} (${MODE_NAMES.join(', ')})`)
  return mode as Mode
})
const suffix = (mode: Mode) => (mode === 'tuned' ? '' : `_${mode}`)
/** Only the desktop app starts Chromium with its field trials. */
const clientOf = (mode: Mode): Client => (mode === 'tuned' ? 'app' : 'browser')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)))

export interface LessonFigures {
  /** One value per receiver. */
  freezePct: number[]
  concealedPct: number[]
  /** One value per receiver and second. */
  heights: number[]
  fps: number[]
  /** Each receiver's freezes, explained (freezes.ts). */
  freezes: FreezeDiagnosis[][]
  /** Video FEC packets each person's browser sent, counted on the wire (rtpWire.ts). */
  videoFecSent: number[]
}

const FIGURE_KEYS = ['freezePct', 'concealedPct', 'heights', 'fps'] as const

async function statsOf(lesson: LabLesson): Promise<ReceiveStats[]> {
  return Promise.all(PEOPLE.map((p) => receiveStats(lesson.pages[p])))
}

/** One lesson on one profile: both cameras and microphones on for LESSON_MS, measured at both receivers. */
export async function measureLesson(lab: NetLab, server: LabServer, profile: ProfileName, client: Client = 'app'): Promise<LessonFigures> {
  lab.setProfile(profile)
  const lesson = await startLabLesson(lab, server.url, { executablePath: chromiumAsUser(), client })
  try {
    const from = Date.now()
    const before = await statsOf(lesson)
    await sleep(LESSON_MS)
    const to = Date.now()
    const after = await statsOf(lesson)
    const figures: LessonFigures = { freezePct: [], concealedPct: [], heights: [], fps: [], freezes: [], videoFecSent: [] }
    const notes: string[] = []
    const evidence = await Promise.all(PEOPLE.map((p) => pageEvidence(lesson.pages[p], from)))
    // What each browser sent, read on the wire: its payload types named from the description it sent.
    const wire = await Promise.all(
      PEOPLE.map(async (person) => ({
        streams: lab.sent[person].list(),
        names: payloadNames(await lesson.pages[person].evaluate(`(window.__netlab.pcs.filter((pc) => pc.connectionState !== 'closed').at(-1)?.localDescription?.sdp) || ''`)),
      })),
    )
    for (const [i, person] of PEOPLE.entries()) {
      const seen = summarizeFrames(await framesSince(lesson.pages[person], from), from, to)
      const diagnoses = diagnoseFreezes(seen.freezes, from, evidence[i]!, evidence[1 - i]!)
      figures.freezes.push(diagnoses)
      const a = before[i]!
      const b = after[i]!
      const samples = (b.audio?.totalSamplesReceived ?? 0) - (a.audio?.totalSamplesReceived ?? 0)
      const concealed = (b.audio?.concealedSamples ?? 0) - (a.audio?.concealedSamples ?? 0)
      figures.freezePct.push(seen.freezePct)
      figures.concealedPct.push(samples > 0 ? (concealed / samples) * 100 : 100)
      figures.heights.push(...seen.heightPerSecond)
      figures.fps.push(...seen.fpsPerSecond)
      const nacks = (b.video?.nackCount ?? 0) - (a.video?.nackCount ?? 0)
      const plis = (b.video?.pliCount ?? 0) - (a.video?.pliCount ?? 0)
      notes.push(
        `${person} sees freeze ${seen.freezePct.toFixed(1)}%, concealed ${figures.concealedPct[i]!.toFixed(1)}%, ` +
          `height ${percentile(seen.heightPerSecond, 50)}, fps ${percentile(seen.fpsPerSecond, 50)}, NACK ${nacks}, PLI ${plis}; sends ${b.sent?.frameHeight ?? 0}p (${b.sent?.qualityLimitationReason ?? ''}), BWE ${Math.round((b.availableOutgoingBitrate ?? 0) / 1000)} kbps` +
          (diagnoses.length > 0 ? `; frozen ${formatCauses(freezeTimeByCause(diagnoses))}` : ''),
      )
      // The other person's video FEC on the wire from 1 s before each freeze to its end (none: FEC was off).
      const other = wire[1 - i]!
      for (const d of diagnoses) notes.push(`  freeze ${describeFreeze(d, from)}; FEC sent ${videoFecPackets(other.streams, other.names, d.at - 1000, d.at + d.ms)} over ${videoFramesSent(other.streams, other.names, d.at - 1000, d.at + d.ms)} frames`)
    }
    for (const [i, person] of PEOPLE.entries()) {
      const { streams, names } = wire[i]!
      figures.videoFecSent.push(videoFecPackets(streams, names))
      let withoutFec = 0
      for (let t = from; t + 1000 <= to; t += 1000) if (videoFramesSent(streams, names, t, t + 1000) > 0 && videoFecPackets(streams, names, t, t + 1000) === 0) withoutFec += 1
      const videoCodecs = [...names].filter(([, name]) => name.startsWith('video/')).map(([pt, name]) => `${name.slice(6)} ${pt}`)
      notes.push(`${person} sent (on the wire): ${describeWire(streams, names).join('; ')}; ${withoutFec} of ${Math.floor((to - from) / 1000)} s without video FEC; video payload types offered: ${videoCodecs.join(', ')}`)
    }
    console.log(`    ${notes.join('\n    ')}`)
    return figures
  } finally {
    await lesson.close()
  }
}

/** Freeze time by cause, e.g. "network 1.2 s, machine 0.6 s". */
export function formatCauses(byCause: Partial<Record<string, number>>): string {
  return Object.entries(byCause)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([cause, ms]) => `${cause} ${((ms ?? 0) / 1000).toFixed(1)} s`)
    .join(', ')
}

/** A clean lesson whose student loses the link OUTAGES times for OUTAGE_MS: link back -> first new remote frame on both sides. */
async function measureOutages(lab: NetLab, server: LabServer, client: Client): Promise<number[]> {
  lab.setProfile('clean')
  let lesson = await startLabLesson(lab, server.url, { executablePath: chromiumAsUser(), client })
  const recoveries: number[] = []
  try {
    await sleep(STEADY_MS)
    for (let i = 0; i < OUTAGES; i += 1) {
      const backAt = lab.cut('student', OUTAGE_MS)
      await sleep(backAt - Date.now())
      let recovered: number | null = null
      while (recovered === null && Date.now() - backAt < RECOVERY_GIVE_UP_MS) {
        await sleep(250)
        const firsts = await Promise.all(PEOPLE.map(async (p) => firstFrameAfter(await framesSince(lesson.pages[p], backAt), backAt)))
        if (firsts.every((t) => t !== null)) recovered = Math.max(...(firsts as number[])) - backAt
      }
      const stats = await statsOf(lesson)
      console.log(`    outage ${i + 1}/${OUTAGES}: ${recovered === null ? `no picture within ${RECOVERY_GIVE_UP_MS} ms` : `both pictures back ${Math.round(recovered)} ms after the link`}; peer connections open: ${stats.map((s) => s.openConnections).join('/')}`)
      recoveries.push(recovered ?? RECOVERY_GIVE_UP_MS)
      if (recovered === null) {
        // A lesson that did not come back is replaced, so the next outage is measured on a working one.
        await lesson.close()
        lesson = await startLabLesson(lab, server.url, { executablePath: chromiumAsUser(), client })
      }
      await sleep(STEADY_MS)
    }
  } finally {
    await lesson.close()
  }
  return recoveries
}

export async function benchNetwork(runs: number): Promise<Record<string, Metric>> {
  const lab = await NetLab.start({ profile: 'clean' })
  const servers: Partial<Record<Mode, LabServer>> = {}
  try {
    for (const mode of MODES) servers[mode] = await startLabServer(lab, { tuning: mode !== 'baseline', webRoot: resolve('dist/web') })
    const out: Record<string, Metric> = {}
    for (const profile of PROFILES) {
      const collected = Object.fromEntries(
        MODES.map((mode): [Mode, LessonFigures] => [mode, { freezePct: [], concealedPct: [], heights: [], fps: [], freezes: [], videoFecSent: [] }]),
      ) as Record<Mode, LessonFigures>
      for (let run = 0; run < runs; run += 1) {
        for (const mode of MODES) {
          console.log(`  ${profile} ${mode} ${run + 1}/${runs}: ${LESSON_MS / 1000} s lesson`)
          const figures = await measureLesson(lab, servers[mode]!, profile, clientOf(mode))
          for (const key of FIGURE_KEYS) collected[mode][key].push(...figures[key])
          collected[mode].freezes.push(...figures.freezes)
        }
      }
      for (const mode of MODES) {
        const f = collected[mode]
        out[`net_${profile}_video_freeze_pct${suffix(mode)}`] = metric(f.freezePct, '%')
        out[`net_${profile}_audio_concealed_pct${suffix(mode)}`] = metric(f.concealedPct, '%')
        out[`net_${profile}_video_height${suffix(mode)}`] = metric(f.heights, 'px')
        out[`net_${profile}_video_fps${suffix(mode)}`] = metric(f.fps, 'fps')
        const frozen = f.freezes.flat()
        if (frozen.length > 0) console.log(`  ${profile} ${mode}: ${frozen.length} freezes, by cause: ${formatCauses(freezeTimeByCause(frozen))}`)
      }
    }
    if (OUTAGES > 0) {
      for (const mode of MODES) {
        console.log(`  outage ${mode}: ${OUTAGES} outages of ${OUTAGE_MS / 1000} s`)
        out[`net_outage_recovery_ms${suffix(mode)}`] = metric(await measureOutages(lab, servers[mode]!, clientOf(mode)), 'ms')
      }
    }
    return out
  } finally {
    for (const server of Object.values(servers)) await server.stop()
    await lab.stop()
  }
}
