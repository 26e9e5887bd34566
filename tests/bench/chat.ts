import type { Browser, Page } from '@playwright/test'
import { CHAT_MESSAGES_PER_MINUTE } from '../../src/shared/chat/limits'
import { lessonInProgress, twoPeople, WAIT_MS } from './lessonPair'
import { metric, type Metric } from './stats'

interface BenchWindow {
  benchSent: number[]
  benchPainted: number[]
}

/**
 * On the sending page: the moment Enter goes down in the chat box. On the
 * receiving page: the first frame painted after the other person's message
 * appeared in the list (a MutationObserver sees the node, requestAnimationFrame
 * waits for the frame that draws it, and a task queued from inside that
 * callback runs after the frame is produced), as epoch ms.
 */
async function instrument(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as BenchWindow
    w.benchSent = []
    w.benchPainted = []
    document.querySelector('[data-testid=chat-input]')?.addEventListener(
      'keydown',
      (e) => {
        const key = e as KeyboardEvent
        if (key.key === 'Enter' && !key.shiftKey) w.benchSent.push(performance.timeOrigin + key.timeStamp)
      },
      { capture: true },
    )
    const list = document.querySelector('[data-testid=chat-messages]')
    if (!list) throw new Error('no chat list')
    new MutationObserver((records) => {
      const arrived = records.some((r) => [...r.addedNodes].some((n) => n instanceof HTMLElement && n.dataset.testid === 'chat-message' && n.dataset.mine === 'false'))
      if (!arrived) return
      requestAnimationFrame(() => {
        const channel = new MessageChannel()
        channel.port1.onmessage = () => w.benchPainted.push(performance.timeOrigin + performance.now())
        channel.port2.postMessage(null)
      })
    }).observe(list, { childList: true, subtree: true })
  })
}

async function openChat(page: Page): Promise<void> {
  await page.getByTestId('toggle-chat').click({ timeout: WAIT_MS })
  await page.locator('[data-testid=chat-panel] [data-testid=chat-input]').waitFor({ timeout: WAIT_MS })
}

/**
 * `chat_message_latency_ms`: Enter pressed on one page → the message painted
 * on the other, in a lesson with both cameras on, both ways in turn (each
 * person stays inside the server's per-person rate limit).
 */
export async function benchChat(browser: Browser, origin: string, runs: number): Promise<Record<string, Metric>> {
  const people = await twoPeople(browser)
  try {
    const { tutor, student } = await lessonInProgress(people, origin)
    for (const page of [tutor, student]) await page.locator('[data-testid=room][data-media-state=connected]').waitFor({ timeout: WAIT_MS })
    for (const page of [tutor, student]) await openChat(page)
    // Let the call settle (camera re-scaling, first key frames) before measuring, as the board bench does.
    await tutor.waitForTimeout(2000)
    for (const page of [tutor, student]) await instrument(page)
    const perPerson = Math.min(CHAT_MESSAGES_PER_MINUTE - 2, Math.max(10, runs * 2))
    const latency: number[] = []
    for (let i = 0; i < perPerson * 2; i++) {
      const [from, to] = i % 2 === 0 ? [tutor, student] : [student, tutor]
      const before = await to.evaluate(() => (window as unknown as BenchWindow).benchPainted.length)
      await from.getByTestId('chat-input').fill(`Message ${i}: is $\\frac{${i}}{2}$ right?`)
      await from.getByTestId('chat-input').press('Enter')
      await to.waitForFunction((n) => (window as unknown as BenchWindow).benchPainted.length > n, before, { timeout: WAIT_MS })
      const sent = await from.evaluate(() => (window as unknown as BenchWindow).benchSent.at(-1) ?? NaN)
      const painted = await to.evaluate(() => (window as unknown as BenchWindow).benchPainted.at(-1) ?? NaN)
      latency.push(painted - sent)
      // A person's pace, not a flood: both pages idle between messages.
      await tutor.waitForTimeout(150)
    }
    console.log(`  chat latency (Enter → painted on the other side) over ${latency.length} messages, ms: ${latency.map((v) => v.toFixed(0)).join(' ')}`)
    return { chat_message_latency_ms: metric(latency, 'ms (Enter on one page → painted on the other, in a lesson with both cameras on)') }
  } finally {
    await people.close()
  }
}
