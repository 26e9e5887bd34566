// Probe: only the chat's message latency (Enter → pixels on the other
// screen), for finding where the time goes and comparing builds under the
// same load. PROBE_CHECKOUTS=/path/a,/path/b alternates checkouts round by
// round (A B A B …, PROBE_ROUNDS rounds): each round runs that checkout's
// session server (dist/server/main.mjs, `npm run build:server` there; this
// checkout's is built from its sources), with a data folder, so the embedded
// database, as the bench, and serves its dist/web. BENCH_RUNS sets the messages as the bench.
// Not part of `npm run bench`; run it under the browser lock.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumAsUser } from '../support/chromium'
import { chatLatency, chatLesson, chatMessages, logChatLatency, type ChatLatencyRuns } from './chat'
import { startServerProcess } from './serverProcess'
import { metric } from './stats'

const messages = chatMessages(Number(process.env.BENCH_RUNS ?? 10))
const rounds = Number(process.env.PROBE_ROUNDS ?? 1)
const checkouts = (process.env.PROBE_CHECKOUTS ?? '.').split(',').map((c) => resolve(c))

async function round(checkout: string): Promise<ChatLatencyRuns> {
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-chat-probe-'))
  // This checkout's server is built from its sources; another's must have run `npm run build:server`.
  const bundle = checkout === resolve('.') ? undefined : join(checkout, 'dist/server/main.mjs')
  const server = await startServerProcess(join(checkout, 'dist/web'), dataDir, bundle)
  const browser = await chromium.launch({ executablePath: chromiumAsUser(), args: CHROMIUM_ARGS })
  try {
    const lesson = await chatLesson(browser, server.url)
    const runs = await chatLatency(lesson.tutor, lesson.student, messages)
    logChatLatency(checkout, runs)
    return runs
  } finally {
    await browser.close()
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const all = new Map<string, ChatLatencyRuns[]>()
for (let r = 0; r < rounds; r++) {
  for (const checkout of checkouts) all.set(checkout, [...(all.get(checkout) ?? []), await round(checkout)])
}
const fmt = (per: number[][]) => {
  const m = metric(per.flat(), '')
  return `${m.median} / ${m.p95} (rounds: ${per.map((v) => `${metric(v, '').median}/${metric(v, '').p95}`).join(', ')})`
}
for (const [checkout, results] of all) {
  console.log(`${checkout}: pixels ${fmt(results.map((r) => r.painted))}; internal ${fmt(results.map((r) => r.internal))}; first message ${results.map((r) => r.painted[0]?.toFixed(0)).join(', ')}`)
  for (const part of Object.keys(results[0]?.parts ?? {}) as (keyof ChatLatencyRuns['parts'])[]) console.log(`  ${part}: ${fmt(results.map((r) => r.parts[part]))}`)
}
