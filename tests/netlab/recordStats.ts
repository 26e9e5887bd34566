// Records what the tuned engine's getStats says during a lab lesson, for the
// unit tests of the tuning (tests/unit/renderer/media/builtin/networkTuner.test.ts):
//   npx tsx tests/netlab/recordStats.ts <profile> <seconds> <out.json> [--outage]
// Reports of the tutor's page every 500 ms (as the engine polls), trimmed to
// the figures the tuning reads. --outage cuts the student's link for 10 s,
// 10 s in, and writes when it went and came back.
import { writeFileSync } from 'node:fs'
import { NetLab } from './lab'
import { startLabServer } from './labServer'
import { startLabLesson } from './lesson'
import { isProfileName } from './profiles'

const [profile = 'clean', seconds = '30', out = '', flag] = process.argv.slice(2)
if (!isProfileName(profile) || !out) throw new Error('usage: recordStats.ts <profile> <seconds> <out.json> [--outage]')

const KEEP_TYPES = ['transport', 'candidate-pair', 'outbound-rtp', 'media-source', 'remote-inbound-rtp', 'inbound-rtp']
const KEEP_FIELDS = [
  'id', 'type', 'timestamp', 'kind', 'mid', 'mediaSourceId', 'localId', 'fractionLost', 'framesPerSecond', 'availableOutgoingBitrate',
  'currentRoundTripTime', 'lastPacketReceivedTimestamp', 'packetsReceived', 'packetsLost', 'state', 'nominated', 'selectedCandidatePairId', 'iceState',
]

const lab = await NetLab.start({ profile })
const server = await startLabServer(lab, { tuning: true })
const lesson = await startLabLesson(lab, server.url)
const page = lesson.pages.tutor
const reports: unknown[] = []
const marks: Record<string, number> = {}
const started = Date.now()
while (Date.now() - started < Number(seconds) * 1000) {
  if (flag === '--outage' && marks.cutAt === undefined && Date.now() - started >= 10_000) {
    marks.cutAt = Date.now()
    marks.backAt = lab.cut('student', 10_000)
  }
  reports.push(
    await page.evaluate(`(async () => {
      const pc = window.__netlab.pcs.at(-1)
      const keepTypes = ${JSON.stringify(KEEP_TYPES)}
      const keepFields = ${JSON.stringify(KEEP_FIELDS)}
      const report = await pc.getStats()
      const out = []
      for (const s of report.values()) {
        if (!keepTypes.includes(s.type) || (s.kind && s.kind !== 'video' && s.type !== 'remote-inbound-rtp')) continue
        if (s.type === 'candidate-pair' && !s.nominated) continue
        out.push(Object.fromEntries(Object.entries(s).filter(([k]) => keepFields.includes(k))))
      }
      return out
    })()`),
  )
  await new Promise((r) => setTimeout(r, 500))
}
const cameraMid = await page.evaluate(`window.__netlab.pcs.at(-1).getTransceivers()[1].mid`)
writeFileSync(out, JSON.stringify({ profile, recorded: new Date().toISOString().slice(0, 10), cameraMid, marks, reports }) + '\n')
await lesson.close()
await server.stop()
await lab.stop()
console.log(`${reports.length} reports -> ${out}`)
process.exit(0)
