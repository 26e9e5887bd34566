// Probe: only the board's remote stroke latency (cameras on, then off), for
// finding where the time goes and comparing builds under the same load.
// PROBE_WEB_ROOTS=dist/web,dist/web-b alternates builds round by round
// (A B A B …, PROBE_ROUNDS rounds), BENCH_RUNS strokes per condition.
// Not part of `npm run bench`; run it under the browser lock.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumAsUser } from '../support/chromium'
import { logLatency, openBoards, strokeLatency, type LatencyRuns } from './board'
import { lessonInProgress, twoPeople } from './lessonPair'
import { startServerProcess } from './serverProcess'
import { metric } from './stats'

const runs = Number(process.env.BENCH_RUNS ?? 20)
const rounds = Number(process.env.PROBE_ROUNDS ?? 1)
const roots = (process.env.PROBE_WEB_ROOTS ?? 'dist/web').split(',')

async function round(webRoot: string): Promise<LatencyRuns[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-probe-'))
  const server = await startServerProcess(resolve(webRoot), dataDir)
  const browser = await chromium.launch({ executablePath: chromiumAsUser(), args: CHROMIUM_ARGS })
  try {
    const { tutor, student } = await lessonInProgress(await twoPeople(browser), server.url)
    await openBoards(tutor, student)
    await tutor.waitForTimeout(2000)
    const on = await strokeLatency(tutor, student, runs, 0)
    logLatency(`${webRoot}, cameras on`, on)
    for (const page of [tutor, student]) await page.getByTestId('toggle-camera').click()
    await tutor.waitForTimeout(2000)
    const off = await strokeLatency(tutor, student, runs, runs)
    logLatency(`${webRoot}, cameras off`, off)
    return [on, off]
  } finally {
    await browser.close()
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const all = new Map<string, LatencyRuns[][]>()
for (let r = 0; r < rounds; r++) {
  for (const root of roots) all.set(root, [...(all.get(root) ?? []), await round(root)])
}
for (const [root, results] of all) {
  for (const [i, name] of ['cameras on', 'cameras off'].entries()) {
    const per = results.map((res) => res[i] as LatencyRuns)
    const fmt = (key: keyof LatencyRuns) => {
      const m = metric(per.flatMap((p) => p[key]), '')
      const rs = per.map((p) => metric(p[key], ''))
      return `${key} ${m.median} / ${m.p95} (rounds: ${rs.map((x) => `${x.median}/${x.p95}`).join(', ')})`
    }
    console.log(`${root} ${name}: ${fmt('painted')}; ${fmt('internal')}; ${fmt('drawnToPixels')}; ${fmt('inputToHandler')}`)
  }
}
