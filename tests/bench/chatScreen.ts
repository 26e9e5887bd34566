import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumAsUser } from '../support/chromium'
import { chatMessages, openChat } from './chat'
import { lessonInProgress, WAIT_MS } from './lessonPair'
import { epochNow } from './screenPixels'
import { startServerProcess } from './serverProcess'
import { metric, type Metric } from './stats'
import { contentOrigin, placeWindow, XScreen, type ScreenRect } from './xScreen'

const WINDOW = { width: 1280, height: 900 }
/** Changed pixels in the watched strip that count as the message on screen: a few glyphs' worth. */
const MIN_CHANGED_PIXELS = 30

/** Where the other person's next message lands on the screen: a strip below their newest one (or the list's note), or at the list's foot once it scrolls. */
async function landingStrip(page: Page, origin: { x: number; y: number }): Promise<ScreenRect> {
  const place = await page.evaluate(() => {
    const list = document.querySelector('[data-testid=chat-messages]')!.getBoundingClientRect()
    const items = document.querySelectorAll('[data-testid=chat-message]')
    const last = items.length > 0 ? items[items.length - 1]! : document.querySelector('[data-testid=chat-messages] > *')
    const below = last ? last.getBoundingClientRect().bottom : list.top
    return { x: list.x, y: Math.min(below + 4, list.bottom - 40), width: list.width }
  })
  return { x: Math.round(origin.x + place.x + 8), y: Math.round(origin.y + place.y), w: Math.round(place.width - 16), h: 36 }
}

/**
 * `chat_message_latency_screen_ms`: Enter on one page → the message's pixels
 * on the other person's window, read from the X screen by another process
 * (xScreen.ts), in a lesson with both cameras on; two headed windows side by
 * side on a virtual screen. The same lesson and messages as `chat`, measured
 * from outside the browser instead of through its screencast.
 */
export async function benchChatScreen(runs: number): Promise<Record<string, Metric>> {
  if (!XScreen.available()) {
    console.log('  chatScreen: skipped, no Xvfb (Debian package xvfb)')
    return {}
  }
  const screen = await XScreen.start(2 * WINDOW.width + 20, WINDOW.height)
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-bench-screen-'))
  const server = await startServerProcess(resolve('dist/web'), dataDir)
  const browser = await chromium.launch({ headless: false, executablePath: chromiumAsUser(), args: CHROMIUM_ARGS, env: { ...process.env, DISPLAY: screen.display } })
  try {
    const contexts: BrowserContext[] = []
    for (let i = 0; i < 2; i++) contexts.push(await browser.newContext({ permissions: ['camera', 'microphone'], viewport: null }))
    const [tutorContext, studentContext] = contexts as [BrowserContext, BrowserContext]
    const { tutor, student } = await lessonInProgress({ tutor: tutorContext, student: studentContext }, server.url)
    await placeWindow(tutorContext, tutor, { left: 0, top: 0, ...WINDOW })
    await placeWindow(studentContext, student, { left: WINDOW.width + 20, top: 0, ...WINDOW })
    for (const page of [tutor, student]) await page.locator('[data-testid=room][data-media-state=connected]').waitFor({ timeout: WAIT_MS })
    for (const page of [tutor, student]) await openChat(page)
    // Let the call settle (camera re-scaling, first key frames) before measuring, as the other suites do.
    await tutor.waitForTimeout(2000)
    const origins = new Map([
      [tutor, await contentOrigin(tutor)],
      [student, await contentOrigin(student)],
    ])
    const inputs = new Map([
      [tutor, await tutorContext.newCDPSession(tutor)],
      [student, await studentContext.newCDPSession(student)],
    ])
    const enter = { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 }
    const latencies: number[] = []
    let unseen = 0
    const count = chatMessages(runs)
    for (let i = 0; i < count; i++) {
      const [from, to] = i % 2 === 0 ? [tutor, student] : [student, tutor]
      await from.getByTestId('chat-input').fill(`Message ${i}: is $\\frac{${i}}{2}$ right?`)
      // A person's pace: "typing…" shows on the other side before Enter.
      await from.waitForTimeout(300)
      const strip = await landingStrip(to, origins.get(to)!)
      const watch = screen.watch(strip, MIN_CHANGED_PIXELS)
      await watch.ready
      // As `chat` does: Enter through CDP (what Playwright's keyboard sends), the clock started just before.
      const t0 = epochNow()
      await inputs.get(from)!.send('Input.dispatchKeyEvent', { type: 'keyDown', ...enter, text: '\r', unmodifiedText: '\r' })
      await inputs.get(from)!.send('Input.dispatchKeyEvent', { type: 'keyUp', ...enter })
      const shown = await watch.changed
      if (shown === null) unseen++
      else latencies.push(shown - t0)
      if (process.env.BENCH_DUMP_FRAMES && i < 2) await screen.savePng({ ...strip, y: strip.y - 100, h: strip.h + 100 }, join(process.env.BENCH_DUMP_FRAMES, `chat-screen-${i}.png`))
      await from.waitForTimeout(300)
    }
    console.log(`  chat latency on the X screen (Enter → the other window's pixels, both cameras on) over ${latencies.length} messages, ms: ${latencies.map((v) => v.toFixed(0)).join(' ')}`)
    if (unseen > 0) console.log(`  (${unseen} messages not seen changing their strip within 5 s: not counted)`)
    for (const context of contexts) await context.close()
    return { chat_message_latency_screen_ms: metric(latencies, 'ms (Enter on one page → the message on the other window, read from the X screen outside the browser, both cameras on)') }
  } finally {
    await browser.close()
    await server.stop()
    await screen.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
