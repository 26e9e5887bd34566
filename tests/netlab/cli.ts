// `npm run netlab -- --profile 4g-edge`: a two-person lesson through the
// network lab that a person can watch and listen to (two Chromium windows),
// or, with --headless, a lesson whose live figures are printed every 2 s.
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { summarizeFrames } from './frames'
import { NetLab } from './lab'
import { startLabServer } from './labServer'
import { startLabLesson } from './lesson'
import { framesSince, receiveStats, type ReceiveStats } from './probe'
import { isProfileName, PEOPLE, PROFILE_NAMES, PROFILES, type Person } from './profiles'

const USAGE = `Usage: npm run netlab -- [--profile <name>] [--headless] [--seconds <n>] [--tuning off] [--client browser]

  --profile <name>  ${PROFILE_NAMES.join(' | ')} (default 4g-edge)
  --headless        no windows; print live figures (default when there is no display)
  --seconds <n>     end after n seconds (default: run until Ctrl+C)
  --tuning off      plain WebRTC defaults instead of Duet's weak-network tuning
  --client browser  the web client in a plain browser (a student who joined from a link)
                    instead of the desktop app's Chromium with its WebRTC field trials

Profiles:
${PROFILE_NAMES.map((n) => `  ${n.padEnd(15)} ${PROFILES[n].about}`).join('\n')}`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', default: '4g-edge' },
      headless: { type: 'boolean', default: false },
      seconds: { type: 'string' },
      tuning: { type: 'string', default: 'on' },
      client: { type: 'string', default: 'app' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return console.log(USAGE)
  if (!isProfileName(values.profile)) throw new Error(`unknown profile "${values.profile}"\n\n${USAGE}`)
  if (values.tuning !== 'on' && values.tuning !== 'off') throw new Error(`--tuning takes on or off\n\n${USAGE}`)
  const client = values.client
  if (client !== 'app' && client !== 'browser') throw new Error(`--client takes app or browser\n\n${USAGE}`)
  const seconds = values.seconds === undefined ? Infinity : Number(values.seconds)
  if (!(seconds > 0)) throw new Error(`--seconds takes a positive number\n\n${USAGE}`)
  const headless = values.headless || (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)

  const lab = await NetLab.start({ profile: values.profile })
  const server = await startLabServer(lab, { tuning: values.tuning === 'on', webRoot: resolve('dist/web') })
  let stopping = false
  const cleanups: (() => Promise<void>)[] = [() => server.stop(), () => lab.stop()]
  const stop = async (code: number) => {
    if (stopping) return
    stopping = true
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
    process.exit(code)
  }
  process.on('SIGINT', () => void stop(0))
  process.on('SIGTERM', () => void stop(0))

  console.log(`netlab: profile ${values.profile} (${PROFILES[values.profile].about}), tuning ${values.tuning}, ${client === 'app' ? 'desktop app' : 'plain browser'}, ${headless ? 'headless' : 'two windows'}`)
  console.log(`  session server ${server.url}; TURN through the impairment relay, relay-only ICE`)
  const lesson = await startLabLesson(lab, server.url, { headless, client })
  cleanups.push(() => lesson.close())
  lab.startSchedule()
  console.log(`  lesson running (both pictures arrived); ${Number.isFinite(seconds) ? `ending in ${seconds} s` : 'Ctrl+C ends it'}`)
  console.log('  who      receives: picture   fps  frozen  audio-concealed  loss  rtt   | sends: picture  limited by   BWE      | their uplink drops')

  const previous: Partial<Record<Person, ReceiveStats>> = {}
  const began = Date.now()
  for (;;) {
    const windowStart = Date.now()
    await new Promise((r) => setTimeout(r, 2000))
    const windowEnd = Date.now()
    for (const person of PEOPLE) {
      const page = lesson.pages[person]
      const [frames, stats] = await Promise.all([framesSince(page, windowStart), receiveStats(page)])
      const seen = summarizeFrames(frames, windowStart, windowEnd)
      console.log(`  ${person.padEnd(8)} ${line(seen, stats, previous[person] ?? null)} | ${lab.links[person].up.counts.lost.loss + lab.links[person].up.counts.lost.burst} lost, ${lab.links[person].up.counts.lost.queue} queue, ${lab.links[person].up.counts.lost.outage} outage`)
      previous[person] = stats
    }
    if (Date.now() - began >= seconds * 1000) return stop(0)
  }
}

function line(seen: ReturnType<typeof summarizeFrames>, now: ReceiveStats, before: ReceiveStats | null): string {
  const height = Math.max(...seen.heightPerSecond, 0)
  const fps = seen.fpsPerSecond.reduce((a, b) => a + b, 0) / Math.max(1, seen.fpsPerSecond.length)
  const delta = (get: (s: ReceiveStats) => number | undefined) => (before ? (get(now) ?? 0) - (get(before) ?? 0) : 0)
  const samples = delta((s) => s.audio?.totalSamplesReceived)
  const concealed = samples > 0 ? (delta((s) => s.audio?.concealedSamples) / samples) * 100 : 0
  const got = delta((s) => (s.audio?.packetsReceived ?? 0) + (s.video?.packetsReceived ?? 0))
  const lost = delta((s) => (s.audio?.packetsLost ?? 0) + (s.video?.packetsLost ?? 0))
  const loss = got + lost > 0 ? (lost / (got + lost)) * 100 : 0
  const bwe = now.availableOutgoingBitrate === null ? '–' : `${Math.round(now.availableOutgoingBitrate / 1000)} kbps`
  return [
    `${String(height).padStart(4)}p`.padStart(16),
    fps.toFixed(1).padStart(5),
    `${seen.freezePct.toFixed(0)}%`.padStart(7),
    `${concealed.toFixed(1)}%`.padStart(16),
    `${loss.toFixed(0)}%`.padStart(5),
    `${now.rttMs ?? '–'}`.padStart(5),
    `  | ${`${now.sent?.frameHeight ?? 0}p@${Math.round(now.sent?.framesPerSecond ?? 0)}`.padStart(13)}`,
    (now.sent?.qualityLimitationReason ?? '').padStart(12),
    bwe.padStart(10),
  ].join(' ')
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
