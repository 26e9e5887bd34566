import { resolve } from 'node:path'
import type { Browser, Page } from '@playwright/test'
import { startAiServer } from '../support/aiServerProcess'
import { startFakeModel, type FakeModel } from '../support/fakeModel'
import { openRoomAsTutor, waitForMarkEpoch, WAIT_MS } from './lessonPair'
import { metric, type Metric } from './stats'

/** Clears a performance mark so the next wait sees only the new one (string source: see screenShare.ts). */
const clearMark = (page: Page, name: string) => page.evaluate(`performance.clearMarks(${JSON.stringify(name)})`)

async function ask(page: Page, question: string): Promise<void> {
  await page.getByTestId('ai-input').fill(question)
  await page.getByTestId('ai-input').press('Enter')
}

async function idle(page: Page): Promise<void> {
  await page.locator('[data-testid=ai-panel][data-phase=idle]').waitFor({ timeout: WAIT_MS })
}

/** The provider's first token leaves the fake model → the token is in the panel's DOM: proxy plus rendering. */
async function firstTokenOverhead(page: Page, fake: FakeModel, run: number): Promise<number> {
  await clearMark(page, 'duet:ai-first-token')
  const index = fake.requests.length
  // The pause before the first token keeps connection set-up out of the figure.
  fake.script({ tokens: ['The', ' answer', ' is', ' \\(x = 4\\).'], delayMs: 150 })
  await ask(page, `What is x if 2x + 3 = 11? (${run})`)
  const shown = await waitForMarkEpoch(page, 'duet:ai-first-token')
  await idle(page)
  const sent = fake.requests[index]?.firstTokenAt
  if (!sent) throw new Error('the fake model sent no token')
  return shown - sent
}

/** Stop pressed in the panel → the fake model sees its request cancelled. */
async function stopToAbort(page: Page, fake: FakeModel, run: number): Promise<number> {
  const index = fake.requests.length
  fake.script({ tokens: Array.from({ length: 400 }, (_, i) => `word${i} `), delayMs: 25 })
  await clearMark(page, 'duet:ai-first-token')
  await ask(page, `Tell me a long story (${run})`)
  await waitForMarkEpoch(page, 'duet:ai-first-token')
  await page.waitForTimeout(200)
  await clearMark(page, 'duet:ai-stop')
  await page.getByTestId('ai-stop').click()
  const pressed = await waitForMarkEpoch(page, 'duet:ai-stop')
  await fake.waitFor(() => fake.requests[index]?.abortedAt != null, WAIT_MS)
  await idle(page)
  return (fake.requests[index]?.abortedAt ?? NaN) - pressed
}

/**
 * The AI panel against a local fake model (OpenAI streaming protocol) through
 * a session server process configured with DUET_AI_*: a tutor alone in a
 * lesson asks and stops, `runs` times each.
 */
export async function benchAi(browser: Browser, _origin: string, runs: number): Promise<Record<string, Metric>> {
  const fake = await startFakeModel()
  const server = await startAiServer(resolve('dist/web'), { DUET_AI_BASE_URL: fake.baseUrl, DUET_AI_MODEL: 'bench-model', DUET_AI_OLLAMA_URL: 'off' })
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
  try {
    const page = await context.newPage()
    await openRoomAsTutor(page, server.url)
    await page.getByTestId('toggle-ai').click()
    await page.getByTestId('ai-input').waitFor({ timeout: WAIT_MS })
    await page.locator('[data-testid=ai-send]').waitFor({ timeout: WAIT_MS })
    const overhead: number[] = []
    const abort: number[] = []
    // One warm-up round: the first answer loads KaTeX's fonts and warms the proxy's connection pool.
    await firstTokenOverhead(page, fake, -1)
    for (let run = 0; run < runs; run++) {
      overhead.push(await firstTokenOverhead(page, fake, run))
      abort.push(await stopToAbort(page, fake, run))
      // A fresh conversation now and then keeps the page small (and the server's 60 POSTs a minute in reach).
      if (run % 10 === 9) {
        await page.getByTestId('ai-new-chat').click()
        await page.getByTestId('ai-msg-assistant').first().waitFor({ state: 'detached', timeout: WAIT_MS })
      }
    }
    return {
      ai_first_token_overhead_ms: metric(overhead, 'ms'),
      ai_stop_to_upstream_abort_ms: metric(abort, 'ms'),
    }
  } finally {
    await context.close()
    await server.stop()
    await fake.close()
  }
}
