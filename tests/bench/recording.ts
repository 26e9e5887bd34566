// Issue #6's recording figures: a 60 s browser recording of a real lesson
// (tutor and student pages, fake cameras, WebRTC on loopback, uploads to a
// session server with a data directory), then a second lesson whose
// recording is cut off by crashing the tutor's renderer.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, CDPSession, Page } from '@playwright/test'
import { scanWebm } from '../../src/shared/recording/webmScan'
import { lessonInProgress, twoPeople, waitForMarkEpoch, WAIT_MS } from './lessonPair'
import { startServerProcess } from './serverProcess'
import { metric, type Metric } from './stats'

const RECORD_MS = 60_000
/** CPU is compared over two windows of this length: before recording, and inside the recording (after the encoder's start-up). */
const CPU_WINDOW_MS = 30_000
const CPU_WARMUP_MS = 10_000
/** WebRTC ramps its bitrate (and so its encoder's CPU) up over the first seconds of a call. */
const SETTLE_MS = 5_000
const KILL_AFTER_MS = 8_000
const FPS = 30

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)))

interface CpuSample {
  /** Seconds (CDP's monotonic clock). */
  at: number
  /** CPU seconds of the tutor's renderer process (all its threads: page, compositor, encoder, audio). */
  renderer: number
  /** CPU seconds of the tutor page's main thread (the compositor draws there). */
  main: number
  /** CPU seconds of the GPU process (software compositing here; canvas may use it elsewhere). */
  gpu: number
}

/** CPU time of the tutor's renderer (CDP Performance.getMetrics) and of the browser's GPU process (SystemInfo). */
async function cpuMeter(browser: Browser, page: Page): Promise<() => Promise<CpuSample>> {
  const pageCdp: CDPSession = await page.context().newCDPSession(page)
  await pageCdp.send('Performance.enable')
  const browserCdp = await browser.newBrowserCDPSession()
  return async () => {
    const { metrics } = await pageCdp.send('Performance.getMetrics')
    const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN
    const { processInfo } = (await browserCdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] }
    const gpu = processInfo.filter((p) => p.type === 'GPU').reduce((sum, p) => sum + p.cpuTime, 0)
    return { at: value('Timestamp'), renderer: value('ProcessTime'), main: value('ThreadTime'), gpu }
  }
}

/** Percent of one core between two samples. */
function cpuPct(a: CpuSample, b: CpuSample): { renderer: number; main: number; gpu: number } {
  const span = b.at - a.at
  return { renderer: ((b.renderer - a.renderer) / span) * 100, main: ((b.main - a.main) / span) * 100, gpu: ((b.gpu - a.gpu) / span) * 100 }
}

async function lesson(browser: Browser, origin: string) {
  const people = await twoPeople(browser)
  const { tutor, student } = await lessonInProgress(people, origin)
  await waitForMarkEpoch(tutor, 'duet:remote-first-frame')
  await waitForMarkEpoch(student, 'duet:remote-first-frame')
  return { people, tutor, student }
}

/** Presses Record; resolves once the app encodes, with the tutor's library key to the recording. */
async function startRecording(tutor: Page): Promise<{ startedEpoch: number; key: string; lessonId: string }> {
  await tutor.getByTestId('toggle-recording').click()
  const startedEpoch = await waitForMarkEpoch(tutor, 'duet:recording-started')
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    const keys = (await tutor.evaluate(() => JSON.parse(localStorage.getItem('duet.libraryKeys') ?? '[]'))) as { key: string; lessonId: string }[]
    const last = keys.at(-1)
    if (last) return { startedEpoch, ...last }
    if (Date.now() > deadline) throw new Error('no library key')
    await sleep(200)
  }
}

/** The recording as the server lists it once finished (stopped, or repaired after the recorder was lost). */
async function finished(origin: string, key: string): Promise<{ status: string; durationMs: number }> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const response = await fetch(`${origin}/api/library/list`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ keys: [key] }) })
    const body = (await response.json()) as { entries: { recordings: { status: string; durationMs: number | null }[] }[] }
    const part = body.entries[0]?.recordings[0]
    if (part && part.status !== 'recording' && part.durationMs !== null) return { status: part.status, durationMs: part.durationMs }
    if (Date.now() > deadline) throw new Error('recording was not finished in time')
    await sleep(500)
  }
}

/** Frames of the video track in the stored file (its blocks, counted by the same scanner that repairs files). */
async function framesInFile(origin: string, lessonId: string, key: string): Promise<number> {
  const response = await fetch(`${origin}/api/library/${lessonId}/file/recording.webm?key=${encodeURIComponent(key)}`)
  const bytes = new Uint8Array(await response.arrayBuffer())
  const scan = await scanWebm({ size: bytes.length, read: async (p, n) => bytes.subarray(p, p + n) })
  if (!scan.ok) throw new Error(`recording unreadable: ${scan.detail}`)
  return scan.videoFrames
}

interface RecordingRun {
  droppedPct: number
  overheadPct: number
}

/**
 * 60 s recording. Dropped = frames a 30 fps recording of that length holds
 * minus the frames actually in the file (compositor misses and encoder drops
 * both count). CPU overhead = tutor renderer + GPU process while recording
 * minus the same over an equally long window just before.
 */
async function oneRecording(browser: Browser, origin: string): Promise<RecordingRun> {
  const { people, tutor } = await lesson(browser, origin)
  try {
    const sample = await cpuMeter(browser, tutor)
    await sleep(SETTLE_MS)
    const idleFrom = await sample()
    await sleep(CPU_WINDOW_MS)
    const idle = cpuPct(idleFrom, await sample())
    const { startedEpoch, key, lessonId } = await startRecording(tutor)
    await sleep(startedEpoch + CPU_WARMUP_MS - Date.now())
    const recFrom = await sample()
    await sleep(CPU_WINDOW_MS)
    const rec = cpuPct(recFrom, await sample())
    // Stop from inside the page at exactly RECORD_MS on the page's clock (the driver's round trips would add to it).
    await tutor.evaluate(async (ms) => {
      const started = performance.getEntriesByName('duet:recording-started')[0]!.startTime
      await new Promise((r) => setTimeout(r, started + ms - performance.now()))
      ;(document.querySelector('[data-testid=toggle-recording]') as HTMLButtonElement).click()
    }, RECORD_MS)
    await waitForMarkEpoch(tutor, 'duet:recording-stopped')
    const page = await tutor.evaluate(() => {
      const started = performance.getEntriesByName('duet:recording-started')[0]!
      const stopped = performance.getEntriesByName('duet:recording-stopped')[0] as PerformanceMark
      return { encodedMs: stopped.startTime - started.startTime, compositor: stopped.detail as { drawn: number; dropped: number; drawMs: number } }
    })
    const part = await finished(origin, key)
    const inFile = await framesInFile(origin, lessonId, key)
    const expected = (page.encodedMs / 1000) * FPS
    const { drawn, dropped: missed, drawMs } = page.compositor
    console.log(
      `    ${(page.encodedMs / 1000).toFixed(1)} s recorded (file ${(part.durationMs / 1000).toFixed(1)} s): ${Math.round(expected)} frames due, ` +
        `compositor drew ${drawn} (missed ${missed}, ${drawMs.toFixed(1)} ms each), ${inFile} in the file (encoder lost ${Math.max(0, drawn - inFile)})`,
    )
    console.log(
      `    CPU, % of one core, before → while recording: renderer ${idle.renderer.toFixed(0)} → ${rec.renderer.toFixed(0)} ` +
        `(main thread ${idle.main.toFixed(0)} → ${rec.main.toFixed(0)}), GPU process ${idle.gpu.toFixed(0)} → ${rec.gpu.toFixed(0)}`,
    )
    return {
      droppedPct: Math.max(0, ((expected - inFile) / expected) * 100),
      overheadPct: rec.renderer + rec.gpu - (idle.renderer + idle.gpu),
    }
  } finally {
    await people.close()
  }
}

/**
 * Records, then crashes the tutor's renderer (CDP Page.crash, as a killed
 * tab or app): lesson time recorded before the crash minus the length of
 * the file the server repaired.
 */
async function oneKill(browser: Browser, origin: string): Promise<number> {
  const { people, tutor } = await lesson(browser, origin)
  try {
    const { startedEpoch, key } = await startRecording(tutor)
    await sleep(startedEpoch + KILL_AFTER_MS - Date.now())
    const session = await tutor.context().newCDPSession(tutor)
    const killedAt = Date.now()
    void session.send('Page.crash').catch(() => {}) // the renderer dies; the call itself never answers
    const part = await finished(origin, key)
    console.log(`    crashed ${((killedAt - startedEpoch) / 1000).toFixed(2)} s in; repaired file (${part.status}) ${(part.durationMs / 1000).toFixed(2)} s`)
    return Math.max(0, killedAt - startedEpoch - part.durationMs)
  } finally {
    await people.close()
  }
}

export async function benchRecording(browser: Browser, _origin: string, runs: number): Promise<Record<string, Metric>> {
  // The shared bench server is memory-only, which cannot store browser recordings.
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-bench-rec-'))
  const server = await startServerProcess(resolve('dist/web'), dataDir)
  const dropped: number[] = []
  const overhead: number[] = []
  const loss: number[] = []
  try {
    for (let i = 0; i < runs; i += 1) {
      const r = await oneRecording(browser, server.url)
      dropped.push(r.droppedPct)
      overhead.push(r.overheadPct)
      const lost = await oneKill(browser, server.url)
      loss.push(lost)
      console.log(`  recording ${i + 1}/${runs}: ${r.droppedPct.toFixed(1)}% frames dropped, +${r.overheadPct.toFixed(0)}% of a core, ${Math.round(lost)} ms lost on kill`)
    }
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
  return {
    recording_dropped_frames_pct: metric(dropped, '%'),
    recording_cpu_overhead_pct: metric(overhead, '% of one core'),
    recording_loss_on_kill_ms: metric(loss, 'ms'),
  }
}
