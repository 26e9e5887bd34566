import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type CDPSession, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumAsUser } from '../support/chromium'
import { drawStroke, mouseInput, openBoards, paperOnScreen, strokeCells } from './board'
import { benchMessage, chatMessages, openChat, pressEnter } from './chat'
import { lessonInProgress, WAIT_MS } from './lessonPair'
import { epochNow } from './screenPixels'
import { startServerProcess } from './serverProcess'
import { metric, type Metric } from './stats'
import { contentOrigin, placeWindow, XScreen, type ScreenRect } from './xScreen'

const WINDOW = { width: 1280, height: 900 }
/** Changed pixels in the watched strip that count as a chat message on screen: a few glyphs' worth. */
const MIN_CHANGED_PIXELS = 30
/** Darkened pixels that count as a stroke on screen: its very first ink. */
const MIN_INK_PIXELS = 1

type Origin = { x: number; y: number }

/**
 * Where the other person's next message lands on the screen: a strip below their newest one, or at
 * the list's foot once it scrolls. The lesson's first message takes the place of the list's "no
 * messages yet" note (the list is top-aligned), so the strip then starts at the note: the frame
 * that shows the message is the one that removes the note.
 */
async function landingStrip(page: Page, origin: Origin): Promise<ScreenRect> {
  const place = await page.evaluate(() => {
    const list = document.querySelector('[data-testid=chat-messages]')!.getBoundingClientRect()
    const items = document.querySelectorAll('[data-testid=chat-message]')
    const note = document.querySelector('[data-testid=chat-messages] > *')
    const top = items.length > 0 ? items[items.length - 1]!.getBoundingClientRect().bottom + 4 : (note?.getBoundingClientRect().top ?? list.top)
    return { x: list.x, y: Math.min(top, list.bottom - 40), width: list.width }
  })
  return { x: Math.round(origin.x + place.x + 8), y: Math.round(origin.y + place.y), w: Math.round(place.width - 16), h: 36 }
}

/** Enter on one page → the message on the other window, `count` messages, the two people in turn (as `chat` sends them). */
async function chatOnScreen(screen: XScreen, pages: [Page, Page], inputs: Map<Page, CDPSession>, origins: Map<Page, Origin>, count: number): Promise<number[]> {
  const latencies: number[] = []
  for (let i = 0; i < count; i++) {
    const [from, to] = i % 2 === 0 ? pages : [pages[1], pages[0]]
    await from.getByTestId('chat-input').fill(benchMessage(i))
    // A person's pace: "typing…" shows on the other side before Enter.
    await from.waitForTimeout(300)
    const strip = await landingStrip(to, origins.get(to)!)
    const watch = screen.watch(strip, MIN_CHANGED_PIXELS, 'changed')
    await watch.ready
    // As `chat` does: Enter through CDP (what Playwright's keyboard sends), the clock started just before.
    const t0 = epochNow()
    await pressEnter(inputs.get(from)!)
    const shown = await watch.changed
    if (shown === null) console.log(`  (message ${i + 1} not seen in its strip within 5 s: not counted)`)
    else latencies.push(shown - t0)
    if (process.env.BENCH_DUMP_FRAMES && i < 2) await screen.savePng({ ...strip, y: strip.y - 100, h: strip.h + 100 }, join(process.env.BENCH_DUMP_FRAMES, `screen-chat-${i}.png`))
    await from.waitForTimeout(300)
  }
  return latencies
}

/** Pointer-down on the tutor's board → the stroke's first ink on the student's window, `count` short strokes in cells of their own (as `board` draws them). */
async function strokesOnScreen(screen: XScreen, tutor: Page, student: Page, input: CDPSession, origin: Origin, count: number): Promise<number[]> {
  const mouse = mouseInput(input)
  const from = await paperOnScreen(tutor, null)
  const to = await paperOnScreen(student, null)
  const cells = strokeCells(from, to)
  const latencies: number[] = []
  for (let i = 0; i < Math.min(count, cells.count); i++) {
    const { x, y, landing } = cells.cell(i)
    await mouse('mouseMoved', x, y, 0)
    // The pointer rests a moment, as a hand does before writing (and the other side's cursor arrives).
    await tutor.waitForTimeout(150)
    const place = { x: Math.round(origin.x + landing.x), y: Math.round(origin.y + landing.y), w: Math.round(landing.width), h: Math.round(landing.height) }
    const watch = screen.watch(place, MIN_INK_PIXELS, 'darkened')
    await watch.ready
    const t0 = epochNow()
    await drawStroke(mouse, x, y)
    const shown = await watch.changed
    if (shown === null) console.log(`  (stroke ${i + 1} not seen on the other window within 5 s: not counted)`)
    else latencies.push(shown - t0)
    if (process.env.BENCH_DUMP_FRAMES && i < 2) await screen.savePng({ ...place, x: place.x - 40, y: place.y - 40, w: place.w + 80, h: place.h + 80 }, join(process.env.BENCH_DUMP_FRAMES, `screen-stroke-${i}.png`))
  }
  return latencies
}

const ms = (values: number[]): string => values.map((v) => v.toFixed(0)).join(' ')

/**
 * Latency as a person sees it, read from outside the browser: two headed
 * windows side by side on a virtual X screen (xScreen.ts) in a lesson with
 * both cameras on. `chat_message_latency_screen_ms`: Enter on one page → the
 * message in the other window (the chat bench's messages);
 * `stroke_remote_latency_screen_ms`: pointer-down on the tutor's board → the
 * stroke's first ink in the student's window (the board bench's strokes).
 * Nothing in the browser is captured: the CDP screencast the other suites
 * use doubles the display compositor's work.
 */
export async function benchScreenLatency(runs: number): Promise<Record<string, Metric>> {
  if (!XScreen.available()) {
    console.log('  screen: skipped, no Xvfb (Debian package xvfb)')
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
    const origins = new Map([
      [tutor, await contentOrigin(tutor)],
      [student, await contentOrigin(student)],
    ])
    const inputs = new Map([
      [tutor, await tutorContext.newCDPSession(tutor)],
      [student, await studentContext.newCDPSession(student)],
    ])

    for (const page of [tutor, student]) await openChat(page)
    // Let the call settle (camera re-scaling, first key frames) before measuring, as the other suites do.
    await tutor.waitForTimeout(2000)
    const chat = await chatOnScreen(screen, [tutor, student], inputs, origins, chatMessages(runs))
    console.log(`  chat latency on the X screen (Enter → the other window's pixels, both cameras on) over ${chat.length} messages, ms: ${ms(chat)}`)
    for (const page of [tutor, student]) await page.getByTestId('toggle-chat').click()

    await openBoards(tutor, student)
    await tutor.waitForTimeout(2000)
    const strokes = await strokesOnScreen(screen, tutor, student, inputs.get(tutor)!, origins.get(student)!, Math.max(20, runs * 6))
    console.log(`  stroke latency on the X screen (pointer-down → the stroke's ink in the other window, both cameras on) over ${strokes.length} strokes, ms: ${ms(strokes)}`)

    for (const context of contexts) await context.close()
    return {
      chat_message_latency_screen_ms: metric(chat, 'ms (Enter on one page → the message in the other window, read from the X screen outside the browser, both cameras on)'),
      stroke_remote_latency_screen_ms: metric(strokes, "ms (pointer-down on the tutor's board → the stroke's first ink in the student's window, read from the X screen outside the browser, both cameras on)"),
    }
  } finally {
    await browser.close()
    await server.stop()
    await screen.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
