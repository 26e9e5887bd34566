// `npm run bench`: starts a session server on loopback, drives Debian's
// Chromium with fake camera/mic/screen through real lessons, prints the
// figures as JSON and merges them into bench-results.json.
// BENCH_SUITES=join,share picks suites; BENCH_RUNS sets repetitions.
// The network and boardServer suites bring their own servers (and browsers).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumAsUser } from '../support/chromium'
import { benchAi } from './ai'
import { benchBoard } from './board'
import { benchBoardServer } from './boardServer'
import { benchChat } from './chat'
import { benchJoinToVideo } from './joinToVideo'
import { benchNetwork } from './network'
import { benchRecording } from './recording'
import { benchRecords } from './records'
import { saveMetrics } from './results'
import { benchScreenLatency } from './screenLatency'
import { benchScreenShare } from './screenShare'
import { startServerProcess } from './serverProcess'
import type { Metric } from './stats'

const RUNS = Math.min(50, Math.max(1, Number(process.env.BENCH_RUNS ?? 10)))

type Suite = (browser: Browser, origin: string, runs: number) => Promise<Record<string, Metric>>
/** A suite that starts its own servers and browsers, if it needs any (the shared server and browser are not used). */
type OwnSuite = (runs: number) => Promise<Record<string, Metric>>

/** Every benchmark, by name; a new issue's figures register here. */
const SUITES: Record<string, { run: Suite; runs: number } | { own: OwnSuite; runs: number }> = {
  join: { run: benchJoinToVideo, runs: RUNS },
  share: { run: benchScreenShare, runs: Math.max(1, Math.round(RUNS / 2)) },
  board: { run: benchBoard, runs: RUNS },
  ai: { run: benchAi, runs: RUNS },
  chat: { run: benchChat, runs: RUNS },
  // Chat and strokes read from a virtual X screen outside the browser (headed windows; needs Xvfb).
  screen: { own: benchScreenLatency, runs: RUNS },
  // One 60 s recording and one crash take about 4 minutes: one round unless BENCH_RUNS asks for 15 or more.
  recording: { run: benchRecording, runs: Math.max(1, Math.round(RUNS / 10)) },
  // No browser: the board server in a process of its own, killed mid-drawing and flooded before authentication.
  boardServer: { own: benchBoardServer, runs: RUNS },
  // Four profiles x two modes x 60 s lessons plus 2 x 5 outages take about 15 minutes: one lesson each unless BENCH_RUNS asks for 20 or more.
  network: { own: benchNetwork, runs: Math.max(1, Math.round(RUNS / 10)) },
  // No browser: a generated school of 2,000 students on the embedded database.
  records: { own: benchRecords, runs: RUNS },
}

async function main(): Promise<void> {
  const wanted = (process.env.BENCH_SUITES ?? Object.keys(SUITES).join(',')).split(',').map((s) => s.trim())
  const unknown = wanted.filter((name) => !(name in SUITES))
  if (unknown.length > 0) throw new Error(`unknown bench suite(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`)
  // With a data folder, as the tutor's app and a school's server run: each board update is written to the board's log as it passes.
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-bench-'))
  const server = await startServerProcess(resolve('dist/web'), dataDir)
  const all: Record<string, Metric> = {}
  try {
    for (const name of wanted) {
      const suite = SUITES[name]!
      if ('own' in suite) {
        console.log(`${name}: ${suite.runs} runs`)
        Object.assign(all, await suite.own(suite.runs))
        continue
      }
      console.log(`${name}: ${suite.runs} runs against ${server.url}`)
      // A fresh browser per suite: what one suite leaves behind (GPU process, caches, closed pages' work) does not weigh on the next.
      const browser = await chromium.launch({ executablePath: chromiumAsUser(), args: CHROMIUM_ARGS })
      try {
        Object.assign(all, await suite.run(browser, server.url, suite.runs))
      } finally {
        await browser.close()
      }
    }
    saveMetrics(all)
    console.log(JSON.stringify(all, null, 2))
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
