import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test'
import { CHAT_MESSAGES_PER_MINUTE } from '../../src/shared/chat/limits'
import { lessonInProgress, twoPeople, WAIT_MS } from './lessonPair'
import { changedPixels, dumpFrames, epochNow, Screencast, type CssRect } from './screenPixels'
import { metric, type Metric } from './stats'

/** Epoch ms marks a page keeps about the chat (each list in message order). */
interface ChatMarks {
  /** Enter went down in the chat box (the keydown event's stamp). */
  keys: number[]
  /** The lesson socket sent a chat message (`chat-send`). */
  sends: number[]
  /** The lesson socket received the other person's message (before the app handles it). */
  arrivals: number[]
  /** The other person's message node is in the list (MutationObserver). */
  doms: number[]
  /** The page's own paint mark: the frame after the node appeared has been produced (rAF, then a task). */
  painted: number[]
}

type BenchWindow = Window & { benchChat: ChatMarks }

/**
 * Before the lesson pages load: every WebSocket the page opens stamps the
 * chat messages it sends and the other person's ones it receives, ahead of
 * the app's own listeners. A chat frame is JSON text; the other person's
 * relay carries no `clientId` (the sender's echo does). Also lets the bench's
 * later `evaluate`s use named functions.
 */
async function stampSockets(context: BrowserContext): Promise<void> {
  // tsx names the functions below with a helper the page lacks (see allowNamedFunctions).
  await context.addInitScript('globalThis.__name ??= (fn) => fn')
  await context.addInitScript(() => {
    const w = window as unknown as BenchWindow
    w.benchChat = { keys: [], sends: [], arrivals: [], doms: [], painted: [] }
    const now = () => performance.timeOrigin + performance.now()
    const send = WebSocket.prototype.send
    WebSocket.prototype.send = function (this: WebSocket, data) {
      if (typeof data === 'string' && data.includes('"type":"chat-send"')) w.benchChat.sends.push(now())
      send.call(this, data)
    }
    const Native = WebSocket
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols)
        this.addEventListener('message', (e: MessageEvent) => {
          if (typeof e.data === 'string' && e.data.includes('"type":"chat-message"') && !e.data.includes('"clientId"')) w.benchChat.arrivals.push(now())
        })
      }
    }
  })
}

/** Once the chat panel is open: Enter in its box, and the other person's messages entering the list and the page's next frame. */
async function markChat(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as BenchWindow
    const now = () => performance.timeOrigin + performance.now()
    document.querySelector('[data-testid=chat-input]')?.addEventListener(
      'keydown',
      (e) => {
        const key = e as KeyboardEvent
        if (key.key === 'Enter' && !key.shiftKey) w.benchChat.keys.push(performance.timeOrigin + key.timeStamp)
      },
      { capture: true },
    )
    const list = document.querySelector('[data-testid=chat-messages]')
    if (!list) throw new Error('no chat list')
    new MutationObserver((records) => {
      const arrived = records.some((r) => [...r.addedNodes].some((n) => n instanceof HTMLElement && n.dataset.testid === 'chat-message' && n.dataset.mine === 'false'))
      if (!arrived) return
      w.benchChat.doms.push(now())
      requestAnimationFrame(() => {
        const channel = new MessageChannel()
        channel.port1.onmessage = () => w.benchChat.painted.push(now())
        channel.port2.postMessage(null)
      })
    }).observe(list, { childList: true, subtree: true })
  })
}

export async function openChat(page: Page): Promise<void> {
  await page.getByTestId('toggle-chat').click({ timeout: WAIT_MS })
  await page.locator('[data-testid=chat-panel] [data-testid=chat-input]').waitFor({ timeout: WAIT_MS })
}

/** The bench's n-th chat message: text with a formula, as a person asking about maths writes. */
export const benchMessage = (i: number): string => `Message ${i}: is $\\frac{${i}}{2}$ right?`

/** Enter in the focused box, as real input through CDP (what Playwright's keyboard sends). */
export async function pressEnter(input: CDPSession): Promise<void> {
  const enter = { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 }
  await input.send('Input.dispatchKeyEvent', { type: 'keyDown', ...enter, text: '\r', unmodifiedText: '\r' })
  await input.send('Input.dispatchKeyEvent', { type: 'keyUp', ...enter })
}

const marks = (page: Page): Promise<ChatMarks> => page.evaluate(() => (window as unknown as BenchWindow).benchChat)

/** Where the other person's newest message is on screen (CSS px), within the part of the list that shows. */
async function newestBubble(page: Page): Promise<CssRect> {
  const [bubble, list] = await Promise.all([
    page.locator('[data-testid=chat-message][data-mine=false]').last().boundingBox(),
    page.getByTestId('chat-messages').boundingBox(),
  ])
  if (!bubble || !list) throw new Error('no message or list on screen')
  const y0 = Math.max(bubble.y, list.y)
  const y1 = Math.min(bubble.y + bubble.height, list.y + list.height)
  if (y1 - y0 < 8) throw new Error(`the new message is not in the visible part of the list (${JSON.stringify({ bubble, list })})`)
  return { x: bubble.x, y: y0, width: bubble.width, height: y1 - y0 }
}

/** Changed pixels (half-size frames) in the message's place that count as it being on screen: a few glyphs' worth. */
const MIN_CHANGED_PIXELS = 30

export interface ChatLatencyRuns {
  /** Enter dispatched → first composited frame of the other page showing the message where it sits. */
  painted: number[]
  /** Enter keydown event → the receiving page's own paint mark (the bench's old figure). */
  internal: number[]
  /** Where the time goes, per message (ms). */
  parts: Record<'enter → keydown' | 'keydown → socket send' | 'send → other page received (server: check, store, relay)' | 'received → in the DOM' | 'DOM → pixels', number[]>
}

/**
 * `messages` chat messages, the two people in turn (the tutor first), each
 * typed, then sent with Enter dispatched through CDP (Input.dispatchKeyEvent,
 * as Playwright's keyboard does) with the clock started just before; the
 * clock stops at the stamp of the first screencast frame of the receiving
 * page whose pixels changed where the new message sits (the same clock,
 * see `Screencast`). The receiving page is cast only while its message is
 * on the way, so one page at a time pays for the capture.
 */
export async function chatLatency(tutor: Page, student: Page, messages: number): Promise<ChatLatencyRuns> {
  const runs: ChatLatencyRuns = {
    painted: [],
    internal: [],
    parts: { 'enter → keydown': [], 'keydown → socket send': [], 'send → other page received (server: check, store, relay)': [], 'received → in the DOM': [], 'DOM → pixels': [] },
  }
  const inputs = new Map<Page, Awaited<ReturnType<BrowserContext['newCDPSession']>>>()
  for (const page of [tutor, student]) inputs.set(page, await page.context().newCDPSession(page))
  let late = 0
  try {
    for (let i = 0; i < messages; i++) {
      const [from, to] = i % 2 === 0 ? [tutor, student] : [student, tutor]
      await from.getByTestId('chat-input').fill(benchMessage(i))
      const cast = await Screencast.start(to)
      try {
        // A person's pace: "typing…" shows on the other side, both pages idle, the cast has a frame to compare with.
        if (!(await cast.waitFor(0, () => true, WAIT_MS))) throw new Error('no screencast frame')
        await from.waitForTimeout(200)
        const [sentBefore, toBefore] = await Promise.all([marks(from), marks(to)])
        const t0 = epochNow()
        await pressEnter(inputs.get(from)!)
        await to.waitForFunction((n) => (window as unknown as BenchWindow).benchChat.painted.length > n, toBefore.painted.length, { timeout: WAIT_MS })
        const place = await newestBubble(to)
        const before = cast.frameBefore(t0)
        if (!before) throw new Error('no screencast frame before Enter')
        const shown = await cast.waitFor(t0, (f) => changedPixels(f, before, place) >= MIN_CHANGED_PIXELS, WAIT_MS)
        if (!shown) throw new Error(`message ${i + 1} never showed on the other screen at ${JSON.stringify(place)}`)
        if (process.env.BENCH_DUMP_FRAMES && i < 4) dumpFrames(process.env.BENCH_DUMP_FRAMES, `chat-${i}`, [before, shown])
        const [sent, got] = await Promise.all([marks(from), marks(to)])
        const key = sent.keys[sentBefore.keys.length] ?? NaN
        const send = sent.sends[sentBefore.sends.length] ?? NaN
        const arrival = got.arrivals[toBefore.arrivals.length] ?? NaN
        const dom = got.doms[toBefore.doms.length] ?? NaN
        runs.painted.push(shown.t - t0)
        runs.internal.push((got.painted[toBefore.painted.length] ?? NaN) - key)
        runs.parts['enter → keydown'].push(key - t0)
        runs.parts['keydown → socket send'].push(send - key)
        runs.parts['send → other page received (server: check, store, relay)'].push(arrival - send)
        runs.parts['received → in the DOM'].push(dom - arrival)
        runs.parts['DOM → pixels'].push(shown.t - dom)
        late += cast.late
      } finally {
        await cast.stop()
      }
    }
    if (late > 0) console.log(`  (clock check: ${late} screencast frames stamped after Node received them)`)
    return runs
  } finally {
    for (const input of inputs.values()) await input.detach().catch(() => undefined)
  }
}

const ms = (values: number[]): string => values.map((v) => v.toFixed(0)).join(' ')

export function logChatLatency(label: string, runs: ChatLatencyRuns): void {
  console.log(`  chat latency ${label} (Enter → pixels on the other screen) over ${runs.painted.length} messages, ms: ${ms(runs.painted)}`)
  console.log(`    the page's own mark (Enter keydown → frame after the node appeared), ms: ${ms(runs.internal)}`)
  const m = (v: number[]) => metric(v, '')
  console.log(`    ${Object.entries(runs.parts).map(([name, v]) => `${name} ${m(v).median} / ${m(v).p95}`).join(', ')} ms (median / p95)`)
  // The lesson's first message has been the slowest: where its time goes, apart.
  console.log(`    first message: ${Object.entries(runs.parts).map(([name, v]) => `${name} ${(v[0] ?? NaN).toFixed(1)}`).join(', ')} ms`)
}

/** Two people in a lesson with both cameras on, the chat open on both sides and instrumented. */
export async function chatLesson(browser: Browser, origin: string): Promise<{ tutor: Page; student: Page; close(): Promise<void> }> {
  const people = await twoPeople(browser)
  try {
    for (const context of [people.tutor, people.student]) await stampSockets(context)
    const { tutor, student } = await lessonInProgress(people, origin)
    for (const page of [tutor, student]) await page.locator('[data-testid=room][data-media-state=connected]').waitFor({ timeout: WAIT_MS })
    for (const page of [tutor, student]) await openChat(page)
    // Let the call settle (camera re-scaling, first key frames) before measuring, as the board bench does.
    await tutor.waitForTimeout(2000)
    for (const page of [tutor, student]) await markChat(page)
    return { tutor, student, close: () => people.close() }
  } catch (error) {
    await people.close()
    throw error
  }
}

/** Messages per run: both people in turn, each inside the server's per-person rate limit. */
export const chatMessages = (runs: number): number => 2 * Math.min(CHAT_MESSAGES_PER_MINUTE - 2, Math.max(10, runs * 2))

/**
 * `chat_message_latency_ms`: Enter on one page → the message's pixels on
 * the other screen, in a lesson with both cameras on, both ways in turn;
 * `chat_message_latency_internal_ms`: the receiving page's own mark.
 */
export async function benchChat(browser: Browser, origin: string, runs: number): Promise<Record<string, Metric>> {
  const lesson = await chatLesson(browser, origin)
  try {
    const latency = await chatLatency(lesson.tutor, lesson.student, chatMessages(runs))
    logChatLatency('with both cameras on', latency)
    return {
      chat_message_latency_ms: metric(latency.painted, 'ms (Enter on one page → first composited frame showing the message on the other, in a lesson with both cameras on)'),
      chat_message_latency_internal_ms: metric(latency.internal, "ms (Enter keydown → the receiving page's frame after the message node appeared, its own mark)"),
    }
  } finally {
    await lesson.close()
  }
}
