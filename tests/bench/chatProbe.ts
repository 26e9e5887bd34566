// Probe: only the chat's message latency (Enter → pixels on the other
// screen), for finding where the time goes and comparing builds under the
// same load. PROBE_CHECKOUTS=/path/a,/path/b alternates checkouts round by
// round (A B A B …, PROBE_ROUNDS rounds): each round runs that checkout's
// session server (dist/server/main.mjs, `npm run build:server` there; this
// checkout's is built from its sources), with a data folder, so the embedded
// database, as the bench, and serves its dist/web. BENCH_RUNS sets the messages as the bench.
// PROBE_OUT=file appends each round (checkout, load, figures) as a JSON line,
// so rounds can run as separate processes, each taking the browser lock on
// its own and letting others in between; `chatProbe.ts --summary file`
// prints the figures of all rounds in a file by checkout.
// Not part of `npm run bench`; run it under the browser lock.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumAsUser } from '../support/chromium'
import { chatLatency, chatLesson, chatMessages, logChatLatency, type ChatLatencyRuns } from './chat'
import { startServerProcess } from './serverProcess'
import { metric } from './stats'

const messages = chatMessages(Number(process.env.BENCH_RUNS ?? 10))
const rounds = Number(process.env.PROBE_ROUNDS ?? 1)
const checkouts = (process.env.PROBE_CHECKOUTS ?? '.').split(',').map((c) => resolve(c))

interface Round {
  checkout: string
  /** 1-minute load average when the round began. */
  load: number
  runs: ChatLatencyRuns
}

async function round(checkout: string): Promise<Round> {
  const load = loadavg()[0] ?? NaN
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-chat-probe-'))
  // This checkout's server is built from its sources; another's must have run `npm run build:server`.
  const bundle = checkout === resolve('.') ? undefined : join(checkout, 'dist/server/main.mjs')
  const server = await startServerProcess(join(checkout, 'dist/web'), dataDir, bundle)
  const browser = await chromium.launch({ executablePath: chromiumAsUser(), args: CHROMIUM_ARGS })
  try {
    const lesson = await chatLesson(browser, server.url)
    const runs = await chatLatency(lesson.tutor, lesson.student, messages)
    logChatLatency(`${checkout} (load ${load.toFixed(1)})`, runs)
    return { checkout, load, runs }
  } finally {
    await browser.close()
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const fmt = (per: number[][]) => {
  const m = metric(per.flat(), '')
  return `${m.median} / ${m.p95} (rounds: ${per.map((v) => `${metric(v, '').median}/${metric(v, '').p95}`).join(', ')})`
}

function summary(rounds: Round[]): void {
  const by = new Map<string, Round[]>()
  for (const r of rounds) by.set(r.checkout, [...(by.get(r.checkout) ?? []), r])
  for (const [checkout, results] of by) {
    const runs = results.map((r) => r.runs)
    console.log(`${checkout}: ${results.length} rounds, load ${results.map((r) => r.load.toFixed(1)).join(', ')}`)
    console.log(`  pixels ${fmt(runs.map((r) => r.painted))}; first message ${runs.map((r) => r.painted[0]?.toFixed(0)).join(', ')}`)
    console.log(`  internal ${fmt(runs.map((r) => r.internal))}`)
    for (const part of Object.keys(runs[0]?.parts ?? {}) as (keyof ChatLatencyRuns['parts'])[]) {
      console.log(`  ${part}: ${fmt(runs.map((r) => r.parts[part]))}; first message ${runs.map((r) => r.parts[part][0]?.toFixed(1)).join(', ')}`)
    }
  }
}

const summaryAt = process.argv.indexOf('--summary')
if (summaryAt >= 0) {
  const file = process.argv[summaryAt + 1] ?? ''
  summary(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Round))
} else {
  const all: Round[] = []
  for (let r = 0; r < rounds; r++) {
    for (const checkout of checkouts) {
      const result = await round(checkout)
      all.push(result)
      if (process.env.PROBE_OUT) appendFileSync(process.env.PROBE_OUT, JSON.stringify(result) + '\n')
    }
  }
  summary(all)
}
