// `npm run bench`: starts a session server on loopback, drives Debian's
// Chromium with fake camera/mic through real lessons, prints the figures as
// JSON and merges them into bench-results.json.
import { resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumExecutable } from '../chromium'
import { benchJoinToVideo } from './joinToVideo'
import { saveMetrics } from './results'
import { startServerProcess } from './serverProcess'

const RUNS = Math.min(50, Math.max(1, Number(process.env.BENCH_RUNS ?? 10)))

async function main(): Promise<void> {
  const server = await startServerProcess(resolve('dist/web'))
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS })
  try {
    console.log(`join to video, ${RUNS} runs against ${server.url}`)
    const metrics = await benchJoinToVideo(browser, server.url, RUNS)
    saveMetrics(metrics)
    console.log(JSON.stringify(metrics, null, 2))
  } finally {
    await browser.close()
    await server.stop()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
