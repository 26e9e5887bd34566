// An A/B of two builds of the web client through the network lab, for tuning
// the engine: lessons on each profile in turn, A then B, so a busy machine
// weighs on both alike; each lesson is measured as the `network` bench
// measures it (tests/bench/network.ts), and the machine's load is printed
// with every lesson.
//   npx tsx tests/netlab/ab.ts <webRootA> <webRootB> [profiles=4g-edge,bad] [lessons=1] [a-tuning=on] [a-client=app]
// Build each side with `npx vite build -c vite.web.config.ts --outDir <dir>`.
// BENCH_NET_SECONDS sets the lesson's length (60). `a-tuning=off` makes A plain WebRTC;
// `a-client=browser` runs A in a plain browser, without the desktop app's field trials
// (B is always the app: the same web root on both sides compares the field trials alone).
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { formatCauses, measureLesson, type LessonFigures } from '../bench/network'
import { percentile } from '../bench/stats'
import { freezeTimeByCause } from './freezes'
import { NetLab } from './lab'
import { startLabServer } from './labServer'
import { isProfileName, type ProfileName } from './profiles'

const [rootA, rootB, profileList = '4g-edge,bad', lessonsArg = '1', aTuning = 'on', aClient = 'app'] = process.argv.slice(2)
if (!rootA || !rootB) throw new Error('usage: ab.ts <webRootA> <webRootB> [profiles] [lessons] [a-tuning=on|off] [a-client=app|browser]')
if (aClient !== 'app' && aClient !== 'browser') throw new Error(`a-client takes app or browser, not ${aClient}`)
const clients = { A: aClient, B: 'app' } as const
const profiles = profileList.split(',').map((p) => {
  if (!isProfileName(p)) throw new Error(`unknown profile ${p}`)
  return p
})
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ')
const list = (values: number[]) => values.map((v) => v.toFixed(1)).join(' / ')

const lab = await NetLab.start({ profile: 'clean' })
const servers = {
  A: await startLabServer(lab, { tuning: aTuning !== 'off', webRoot: resolve(rootA) }),
  B: await startLabServer(lab, { tuning: true, webRoot: resolve(rootB) }),
}
const failures: string[] = []
const results: { profile: ProfileName; side: 'A' | 'B'; figures: LessonFigures; load: string }[] = []
try {
  for (const profile of profiles) {
    for (let i = 0; i < Number(lessonsArg); i += 1) {
      for (const side of ['A', 'B'] as const) {
        const before = load()
        console.log(`${profile} ${side} ${i + 1}: load ${before}`)
        let figures: LessonFigures | null = null
        // A lesson that never starts (through a lossy link the TURN allocation can fail) is reported and tried once more.
        for (let attempt = 1; figures === null && attempt <= 2; attempt += 1) {
          figures = await measureLesson(lab, servers[side], profile, clients[side]).catch((error: unknown) => {
            failures.push(`${profile} ${side} ${i + 1}: ${String(error).split('\n')[0]}`)
            console.log(`  did not start: ${failures.at(-1)}`)
            return null
          })
        }
        if (figures) results.push({ profile, side, figures, load: `${before} -> ${load()}` })
      }
    }
  }
} finally {
  await servers.A.stop()
  await servers.B.stop()
  await lab.stop()
}
console.log('\nprofile side  freeze % (tutor / student sees)  concealed %  height, fps (medians)  video FEC packets sent (tutor / student)  load (1/5/15 min, before -> after)  frozen by cause')
for (const r of results) {
  const f = r.figures
  console.log(
    `${r.profile} ${r.side}  ${list(f.freezePct)}  ${list(f.concealedPct)}  ${percentile(f.heights, 50)}p ${percentile(f.fps, 50)}fps  ${f.videoFecSent.join(' / ')}  ${r.load}  ${formatCauses(freezeTimeByCause(f.freezes.flat()))}`,
  )
}
if (failures.length > 0) console.log(`lessons that did not start:\n  ${failures.join('\n  ')}`)
process.exit(0)
