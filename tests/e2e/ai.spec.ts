import { resolve } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { startAiServer, type ServerProcess } from '../support/aiServerProcess'
import { aiEnvFor, startFakeModel, type FakeModel } from '../support/fakeModel'
import { TINY_PNG } from '../unit/server/ai/fixtures'
import { chooseLanguage, lessonInProgress } from './lessonSteps'
import { expectAccessible } from './screenChecks'

// The AI panel against a local fake model server that speaks the OpenAI
// streaming protocol a session server process of its own.
let fake: FakeModel
let server: ServerProcess
/** Screenshots of the panel in use, to look at (AI_SCREENSHOTS picks the folder). */
const shot = (name: string): string => resolve(process.env.AI_SCREENSHOTS ?? 'test-results', name)

test.beforeAll(async () => {
  fake = await startFakeModel()
  server = await startAiServer(resolve('dist/web'), { ...aiEnvFor(fake), DUET_AI_VISION: 'true' })
})
test.afterAll(async () => {
  await server?.stop()
  await fake?.close()
})
test.beforeEach(() => {
  fake.requests.length = 0
  fake.fallback = { tokens: ['Good', ' question', '!'] }
})

async function openPanel(page: Page): Promise<void> {
  await page.keyboard.press('Control+Shift+A')
  await expect(page.getByTestId('ai-panel')).toBeVisible()
  await expect(page.getByTestId('ai-mode')).toBeVisible()
}

async function askInPanel(page: Page, question: string): Promise<void> {
  await page.getByTestId('ai-input').fill(question)
  await page.getByTestId('ai-input').press('Enter')
}

const answers = (page: Page) => page.getByTestId('ai-msg-assistant')
const lastAnswerText = async (page: Page) => ((await answers(page).last().getByTestId('ai-answer').textContent()) ?? '').trim()
const messagesOf = (i: number) => fake.requests[i]?.body.messages as { role: string; content: unknown }[]

test('a student asks, watches tokens arrive, stops mid-answer (partial kept, upstream cancelled), asks again and barges in', async ({ browser }) => {
  const { student, close } = await lessonInProgress(browser, { origin: server.url })
  await openPanel(student.page)
  await expect(student.page.getByTestId('ai-mode-pill')).toHaveText('Hints first')

  const words = Array.from({ length: 80 }, (_, i) => `step${i} `)
  fake.script({ tokens: words, delayMs: 60, headerDelayMs: 2000, holdAfter: 60 })
  await askInPanel(student.page, 'How do I solve 2x + 3 = 11?')
  await expect(student.page.getByTestId('ai-thinking')).toBeVisible()
  await expect(student.page.getByTestId('ai-panel')).toHaveAttribute('data-phase', 'thinking')
  // Tokens arrive one by one: the answer grows while it streams.
  await expect.poll(() => lastAnswerText(student.page)).toContain('step2')
  const early = (await lastAnswerText(student.page)).length
  await expect.poll(async () => (await lastAnswerText(student.page)).length).toBeGreaterThan(early)
  await expect(student.page.getByTestId('ai-panel')).toHaveAttribute('data-phase', 'streaming')
  await student.page.screenshot({ path: shot('ai-streaming-en.png') })
  await expectAccessible(student.page, 'ai-streaming-en')

  // Esc stops at once: the partial answer stays, the fake provider saw the request cancelled.
  await student.page.keyboard.press('Escape')
  await expect(answers(student.page).last()).toHaveAttribute('data-status', 'stopped')
  await expect(student.page.getByTestId('ai-stopped')).toBeVisible()
  await fake.waitFor(() => fake.requests[0]?.aborted === true)
  expect(fake.requests[0]?.ended).toBe(false)
  const partial = await lastAnswerText(student.page)
  expect(partial).toMatch(/^step0 step1 step2/)
  expect(partial).not.toContain('step79')
  await student.page.waitForTimeout(300)
  expect(await lastAnswerText(student.page)).toBe(partial)

  // Asking again sends the conversation so far, partial answer included.
  await askInPanel(student.page, 'I subtracted 3. What next?')
  await expect(answers(student.page).last()).toHaveAttribute('data-status', 'complete')
  expect(await lastAnswerText(student.page)).toBe('Good question!')
  expect(messagesOf(1).map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user'])
  expect(String(messagesOf(1)[2]?.content)).toMatch(/^step0 step1/)

  // Barge-in: a new question while an answer streams interrupts it and is asked instead.
  fake.script({ tokens: words, delayMs: 60, holdAfter: 60 }, { tokens: ['Divide', ' both', ' sides', ' by 2.'] })
  await askInPanel(student.page, 'Explain the whole method')
  await expect.poll(() => lastAnswerText(student.page)).toContain('step1')
  await askInPanel(student.page, 'Actually, just the next step please')
  await expect.poll(() => lastAnswerText(student.page)).toBe('Divide both sides by 2.')
  await fake.waitFor(() => fake.requests[2]?.aborted === true)
  await expect(answers(student.page).nth(2)).toHaveAttribute('data-status', 'stopped')
  expect(messagesOf(3).at(-1)).toEqual({ role: 'user', content: 'Actually, just the next step please' })
  expect(String(messagesOf(3).at(-2)?.content)).toMatch(/^step0/)

  // The Stop button does what Esc does.
  fake.script({ tokens: words, delayMs: 60, holdAfter: 60 })
  await askInPanel(student.page, 'One more, slowly')
  await expect.poll(() => lastAnswerText(student.page)).toContain('step1')
  await student.page.getByTestId('ai-stop').click()
  await expect(answers(student.page).last()).toHaveAttribute('data-status', 'stopped')
  await fake.waitFor(() => fake.requests[4]?.aborted === true)
  await expect(student.page.getByTestId('ai-stop')).toHaveCount(0)
  await student.page.screenshot({ path: shot('ai-stopped-en.png') })
  await close()
})

test('the tutor switches the student mode: the student panel shows it and the next prompt changes; the student asks the tutor about an answer in the chat', async ({ browser }) => {
  const { tutor, student, close } = await lessonInProgress(browser, { origin: server.url })
  await openPanel(tutor.page)
  await openPanel(student.page)
  await expect(student.page.getByTestId('ai-mode-pill')).toHaveText('Hints first')
  await askInPanel(student.page, 'What is a prime number?')
  await expect(answers(student.page).last()).toHaveAttribute('data-status', 'complete')
  expect(String(messagesOf(0)[0]?.content)).toMatch(/Teach, do not solve/)

  await expect(tutor.page.getByTestId('ai-mode-hint-first')).toHaveAttribute('aria-pressed', 'true')
  await tutor.page.getByTestId('ai-mode-direct').click()
  await expect(tutor.page.getByTestId('ai-mode-direct')).toHaveAttribute('aria-pressed', 'true')
  await expect(student.page.getByTestId('ai-mode-pill')).toHaveText('Direct answers')
  await expect(student.page.getByTestId('ai-mode-notice')).toContainText('Direct answers')

  await askInPanel(student.page, 'Is 91 prime?')
  await expect(answers(student.page).last()).toHaveAttribute('data-status', 'complete')
  const system = String(messagesOf(1)[0]?.content)
  expect(system).toMatch(/Answer the question directly/)
  expect(system).not.toMatch(/Teach, do not solve/)

  // The tutor's own questions and tools.
  fake.script({ tokens: ['Fractions', ' are', ' parts', ' of', ' a', ' whole.'] })
  await askInPanel(tutor.page, 'Explain fractions')
  await expect(answers(tutor.page).last()).toHaveAttribute('data-status', 'complete')
  await tutor.page.getByTestId('ai-practice').click()
  await expect(answers(tutor.page)).toHaveCount(2)
  await expect(answers(tutor.page).last()).toHaveAttribute('data-status', 'complete')
  expect(String(messagesOf(3).at(-1)?.content)).toMatch(/practice problem/)

  // The student turns the answer into a question for the tutor: the chat opens with it quoted.
  await answers(student.page).last().getByTestId('ai-ask-tutor').click()
  await expect(student.page.getByTestId('chat-panel')).toBeVisible()
  await expect(student.page.getByTestId('ai-panel')).toHaveCount(0)
  await expect(student.page.getByTestId('chat-quote-draft')).toContainText('Good question!')
  await student.page.getByTestId('chat-input').fill('Why is 91 not prime?')
  await student.page.getByTestId('chat-input').press('Enter')
  await expect(student.page.getByTestId('chat-quote-draft')).toHaveCount(0)
  await expect(tutor.page.getByTestId('chat-unread')).toHaveText('1')
  await tutor.page.getByTestId('toggle-chat').click()
  const asked = tutor.page.getByTestId('chat-message').last()
  await expect(asked.getByTestId('chat-quote')).toContainText('Good question!')
  await expect(asked.getByTestId('chat-text')).toHaveText('Why is 91 not prime?')
  await close()
})

test('a picture attached to a question goes to the model as an image_url part', async ({ browser }) => {
  const { student, close } = await lessonInProgress(browser, { origin: server.url })
  await openPanel(student.page)
  const png = Buffer.from(TINY_PNG.split(',')[1] ?? '', 'base64')
  await student.page.getByTestId('ai-file').setInputFiles({ name: 'homework.png', mimeType: 'image/png', buffer: png })
  await expect(student.page.getByTestId('ai-image-chip')).toBeVisible()
  await askInPanel(student.page, 'What is wrong in my working?')
  await expect(answers(student.page).last()).toHaveAttribute('data-status', 'complete')
  const content = messagesOf(0).at(-1)?.content as { type: string; text?: string; image_url?: { url: string } }[]
  expect(content[0]).toEqual({ type: 'text', text: 'What is wrong in my working?' })
  expect(content[1]?.type).toBe('image_url')
  expect(content[1]?.image_url?.url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/)
  await expect(student.page.getByTestId('ai-msg-user').locator('img')).toBeVisible()
  await close()
})

test('the tutor asks about the whiteboard page and sends an answer to the board', async ({ browser }) => {
  const { tutor, student, close } = await lessonInProgress(browser, { origin: server.url })
  await tutor.page.getByTestId('toggle-board').click()
  await expect(tutor.page.getByTestId('board')).toBeVisible()
  await openPanel(tutor.page)
  await tutor.page.getByTestId('ai-attach-board').click()
  await expect(tutor.page.getByTestId('ai-image-chip')).toBeVisible()
  fake.script({ tokens: ['Step 1: \\(2x = 8\\)', '\n\nStep 2: \\(x = 4\\)'] })
  await askInPanel(tutor.page, 'Check the working on this page')
  await expect(answers(tutor.page).last()).toHaveAttribute('data-status', 'complete')
  const content = messagesOf(0).at(-1)?.content as { type: string; image_url?: { url: string } }[]
  expect(content[1]?.type).toBe('image_url')
  expect(content[1]?.image_url?.url).toMatch(/^data:image\/(png|jpeg);base64,/)

  // Hide the board, then send the answer: it lands on the board, which comes back into view.
  await tutor.page.getByTestId('toggle-board').click()
  await expect(tutor.page.getByTestId('board')).toHaveCount(0)
  await tutor.page.getByTestId('ai-send-board').click()
  await expect(tutor.page.getByTestId('board')).toBeVisible()
  await tutor.page.screenshot({ path: shot('ai-board-en.png') })
  // Students do not get the tutor tools.
  await openPanel(student.page)
  await askInPanel(student.page, 'Hi')
  await expect(answers(student.page).last()).toHaveAttribute('data-status', 'complete')
  await expect(student.page.getByTestId('ai-send-board')).toHaveCount(0)
  await expect(student.page.getByTestId('ai-practice')).toHaveCount(0)
  await expect(student.page.getByTestId('ai-reveal')).toBeVisible()
  await close()
})

test('a reply full of XSS payloads renders inert, and maths renders while prices stay text', async ({ browser }) => {
  const { tutor, close } = await lessonInProgress(browser, { origin: server.url })
  const dialogs: string[] = []
  tutor.page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  await openPanel(tutor.page)
  const payloads = [
    'Here is the maths: \\(x^2 + 1\\) and \\[\\frac{a}{b}\\]; the book costs $120, lunch $5 and $10.\n\n',
    '<script>window.__xss = 1; alert(1)</script>\n\n',
    '<img src=x onerror="window.__xss = 2; alert(2)">\n\n',
    '<iframe src="javascript:alert(3)"></iframe>\n\n',
    '[click me](javascript:window.__xss=4;alert(4))\n\n',
    '<svg onload="alert(5)"><a xlink:href="javascript:alert(6)">x</a></svg>\n\n',
    '$\\href{javascript:alert(7)}{x}$ and <a href="javascript:alert(8)">y</a>\n\n',
    '<details open ontoggle="alert(9)">z</details>\n\n',
    '```html\n<script>alert(10)</script>\n```\n',
  ]
  fake.script({ tokens: payloads, delayMs: 20 })
  await askInPanel(tutor.page, 'Show me everything')
  await expect(answers(tutor.page).last()).toHaveAttribute('data-status', 'complete')
  const answer = answers(tutor.page).last().getByTestId('ai-answer')
  // \(x^2 + 1\), \[\frac{a}{b}\] and the untrusted \href (typeset as plain maths, no link).
  await expect(answer.locator('.katex')).toHaveCount(3)
  expect(await answer.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([])
  await expect(answer).toContainText('the book costs $120, lunch $5 and $10.')
  await expect(answer).toContainText('<script>window.__xss = 1; alert(1)</script>')
  expect(await answer.locator('script, iframe, img, svg[onload], details[ontoggle]').count()).toBe(0)
  expect(await answer.locator('a[href^="javascript" i]').count()).toBe(0)
  const handlers = await answer.evaluate((el) => [...el.querySelectorAll('*')].flatMap((n) => n.getAttributeNames().filter((a) => a.startsWith('on'))))
  expect(handlers).toEqual([])
  await tutor.page.mouse.move(10, 10)
  await tutor.page.waitForTimeout(300)
  expect(await tutor.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
  expect(dialogs).toEqual([])
  await tutor.page.screenshot({ path: shot('ai-math-en.png') })
  await expectAccessible(tutor.page, 'ai-math-en')
  await close()
})

test('provider trouble is explained in the panel (zh-CN too), keeps what arrived, offers retry, and the lesson goes on', async ({ browser }) => {
  const { student, close } = await lessonInProgress(browser, { origin: server.url })
  await openPanel(student.page)

  fake.script({ status: 429, retryAfter: '8' })
  await askInPanel(student.page, 'First')
  await expect(student.page.getByTestId('ai-error')).toHaveAttribute('data-code', 'ai_provider_rate_limited')
  await expect(student.page.getByTestId('ai-retry')).toBeDisabled()
  await expect(student.page.getByTestId('ai-retry')).toContainText(/Try again in \d s/)
  await expect(student.page.getByTestId('ai-retry')).toBeEnabled({ timeout: 20_000 })
  await student.page.getByTestId('ai-retry').click()
  await expect(answers(student.page).last()).toHaveAttribute('data-status', 'complete')
  await expect(answers(student.page)).toHaveCount(1)

  fake.script({ tokens: ['Half', ' an', ' answer', ' and'], delayMs: 30, cutAfter: 3 })
  await askInPanel(student.page, 'Second')
  await expect(answers(student.page).last()).toHaveAttribute('data-status', 'cut')
  await expect(answers(student.page).last().getByTestId('ai-error')).toHaveAttribute('data-code', 'ai_stream_cut')
  expect(await lastAnswerText(student.page)).toBe('Half an answer')

  await chooseLanguage(student.page, 'zh-CN')
  await expect(answers(student.page).last().getByTestId('ai-error')).toContainText('回答在完成前中断了')
  await expect(student.page.getByTestId('ai-mode-pill')).toHaveText('先给提示')
  fake.script({ tokens: ['一半', '还有'], malformedAfter: 1 })
  await askInPanel(student.page, '第三个问题')
  await expect(answers(student.page).last().getByTestId('ai-error')).toHaveAttribute('data-code', 'ai_bad_chunk')
  await expect(answers(student.page).last().getByTestId('ai-error')).toContainText('无法识别')
  await student.page.screenshot({ path: shot('ai-errors-zh-CN.png') })
  await expectAccessible(student.page, 'ai-errors-zh-CN')

  // The lesson itself never noticed.
  await expect(student.page.getByTestId('room')).toBeVisible()
  await expect(student.page.getByTestId('room-fatal')).toHaveCount(0)
  fake.script({ tokens: ['好的', '，', '继续', '。'] })
  await student.page.getByTestId('ai-retry').click()
  await expect(answers(student.page).last()).toHaveAttribute('data-status', 'complete')
  await close()
})
