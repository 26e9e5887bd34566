import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { expect, test, type Page } from '@playwright/test'
import { freePort, serverUrl, spawnSessionServer, stopProcess } from '../support/sessionServerProcess'
import { aiEnvFor, startFakeModel, type FakeModel } from '../support/fakeModel'
import { pictureFile } from './chatSteps'
import { chooseLanguage, closeAll, newPerson, type Person } from './lessonSteps'
import { expectAccessible } from './screenChecks'

/**
 * Threads between lessons, as a tutor and a student use them: the tutor
 * writes while the student is away; the student's home shows the unread
 * count, their page the message; the student replies and the tutor sees it
 * live; an AI answer from the practice page lands in the thread, quoted; a
 * student on their home sees the count move as the tutor writes.
 */
const shot = (name: string): string => resolve('test-results', name)

let dataDir = ''
let port = 0
let server: ChildProcess | null = null
let fake: FakeModel

test.beforeAll(async () => {
  fake = await startFakeModel({ tokens: ['Factor', ' it: ', '$(x-2)(x+2)$'] })
  port = await freePort()
  dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-threads-'))
  server = await spawnSessionServer({
    port,
    webRoot: 'dist/web',
    dataDir,
    clearEnvPrefix: 'DUET_',
    env: { ...aiEnvFor(fake), DUET_AI_STUDENT_PRACTICE: 'true' },
  })
})
test.afterAll(async () => {
  if (server) await stopProcess(server)
  await fake?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const thread = (page: Page) => page.getByTestId('thread-chat')
const messages = (page: Page) => thread(page).getByTestId('chat-message')

async function write(page: Page, text: string): Promise<void> {
  const box = thread(page).getByTestId('chat-input')
  await box.fill(text)
  await box.press('Enter')
}

test('the tutor writes while the student is away; the student sees the unread count and the message, replies, and the tutor sees it live; Ask my tutor from practice lands in the thread', async ({ browser }) => {
  test.setTimeout(180_000)
  const url = serverUrl(port)
  const tutor: Person = await newPerson(browser, url)
  const student: Person = await newPerson(browser, url)
  try {
    await tutor.page.setViewportSize({ width: 1280, height: 800 })
    await student.page.setViewportSize({ width: 1280, height: 800 })
    await tutor.page.goto('/students')
    await tutor.page.getByTestId('student-name-input').fill('Wei')
    await tutor.page.getByTestId('add-student').click()
    await expect(tutor.page.getByTestId('student-title')).toHaveText('Wei')
    const link = (await tutor.page.getByTestId('personal-link').getAttribute('data-link')) ?? ''
    const code = link.split('/').pop() ?? ''

    // The student's browser knows the link from earlier (their home keeps it), but the student is away.
    await student.page.goto(link)
    await expect(student.page.getByTestId('my-title')).toHaveText('My lessons with Tutor')
    await expect(student.page.getByTestId('thread-empty')).toBeVisible()
    await student.page.goto('about:blank')

    // The tutor writes: Shift+Enter is a new line, Enter sends.
    await expect(tutor.page.getByTestId('thread-empty')).toBeVisible()
    const box = thread(tutor.page).getByTestId('chat-input')
    await box.fill('How did the homework go?')
    await box.press('Shift+Enter')
    await box.pressSequentially('Try $x^2 - 4 = 0$ first.')
    await box.press('Enter')
    await expect(messages(tutor.page)).toHaveCount(1)
    await expect(messages(tutor.page).first().locator('.katex')).toBeVisible()

    // Back home, the student sees one unread message beside their link, then the message on their page.
    await student.page.goto('/')
    await expect(student.page.getByTestId('my-lessons-unread')).toHaveAttribute('data-count', '1')
    await student.page.getByTestId('open-my-lessons').click()
    await expect(messages(student.page)).toHaveCount(1)
    await expect(thread(student.page).getByTestId('thread-new')).toHaveAttribute('data-count', '1')
    await expect(messages(student.page).first()).toContainText('How did the homework go?')
    await expect(messages(student.page).first().locator('.katex')).toBeVisible()
    await student.page.screenshot({ path: shot('thread-student-en.png') })
    await expectAccessible(student.page, 'thread-student-en')

    // The student replies; the tutor, on Wei's record, sees it live.
    await write(student.page, 'I got stuck on the second one')
    await expect(messages(tutor.page)).toHaveCount(2)
    await expect(messages(tutor.page).last()).toContainText('I got stuck on the second one')
    // A photo of their work: checked by its bytes on the server, shown to both from the thread's files.
    await thread(student.page).getByTestId('chat-file-input').setInputFiles(await pictureFile(student.page))
    await expect(messages(tutor.page)).toHaveCount(3)
    await expect.poll(() => messages(tutor.page).last().getByTestId('chat-picture').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64)
    await expect(messages(tutor.page).last().getByTestId('chat-to-board')).toHaveCount(0)
    await tutor.page.screenshot({ path: shot('thread-tutor-en.png') })
    await expectAccessible(tutor.page, 'thread-tutor-en')

    // On the roster, a later message shows as unread beside Wei.
    await tutor.page.goto('/students')
    await write(student.page, 'Are you there?')
    await expect(tutor.page.getByTestId('roster-unread')).toHaveAttribute('data-count', '1')
    // The tutor's home says who wrote, with a way to their page.
    await tutor.page.goto('/')
    await expect(tutor.page.getByTestId('home-student-wrote')).toContainText('Wei')
    await expect(tutor.page.getByTestId('home-student-unread')).toHaveAttribute('data-count', '1')
    await tutor.page.screenshot({ path: shot('home-students-wrote-en.png') })
    await expectAccessible(tutor.page, 'home-students-wrote-en')

    // Ask AI on the practice page, then "Ask my tutor about this": the student's thread opens with the answer quoted.
    await student.page.goto('/practice')
    await student.page.getByTestId('ai-input').fill('How do I solve x^2 - 4 = 0?')
    await student.page.getByTestId('ai-input').press('Enter')
    await expect(student.page.getByTestId('ai-msg-assistant').last()).toHaveAttribute('data-status', 'complete')
    await student.page.getByTestId('ai-ask-tutor').last().click()
    await expect(student.page).toHaveURL(new RegExp(`/me/${code}`))
    await expect(thread(student.page).getByTestId('chat-quote-draft')).toContainText('Factor it')
    await write(student.page, 'Why factor here?')
    // It reaches the tutor's home live, on each of the tutor's devices (here the tutor's second browser).
    await expect(tutor.page.getByTestId('home-student-unread')).toHaveAttribute('data-count', '2')
    // (The same tutor key as this browser keeps: what a tutor signs a second device in with.)
    const elsewhere = await browser.newContext({ baseURL: url, storageState: await tutor.context.storageState() })
    const tutorElsewhere: Person = { context: elsewhere, page: await elsewhere.newPage() }
    await tutorElsewhere.page.goto('/')
    await expect(tutorElsewhere.page.getByTestId('home-student-unread')).toHaveAttribute('data-count', '2')
    await tutor.page.getByTestId('home-student-wrote').click()
    await expect(messages(tutor.page).last()).toContainText('Why factor here?')
    // Read on one device, no longer unread on the other.
    await expect(tutorElsewhere.page.getByTestId('home-student-unread')).toHaveCount(0)
    await closeAll(tutorElsewhere)
    await expect(messages(tutor.page).last().getByTestId('chat-quote')).toContainText('Factor it')

    // The same views in Chinese.
    await chooseLanguage(tutor.page, 'zh-CN')
    await chooseLanguage(student.page, 'zh-CN')
    await expect(thread(tutor.page).locator('h3')).toHaveText('与 Wei 的消息')
    await tutor.page.screenshot({ path: shot('thread-tutor-zh-CN.png') })
    await student.page.screenshot({ path: shot('thread-student-zh-CN.png') })

    // The student is on their home with everything read; the tutor writes: the count beside their link moves at once.
    await student.page.goto('/')
    await expect(student.page.getByTestId('open-my-lessons')).toBeVisible()
    await expect(student.page.getByTestId('my-lessons-unread')).toHaveCount(0)
    await write(tutor.page, 'See you on Monday')
    await expect(student.page.getByTestId('my-lessons-unread')).toHaveAttribute('data-count', '1')
    await write(tutor.page, 'Bring the worksheet')
    await expect(student.page.getByTestId('my-lessons-unread')).toHaveAttribute('data-count', '2')

    // A second tutor teaches Wei too: the student keeps both links, and each tutor's messages move their own pill live.
    const second: Person = await newPerson(browser, url)
    try {
      await second.page.goto('/students')
      await second.page.getByTestId('student-name-input').fill('Wei')
      await second.page.getByTestId('add-student').click()
      const secondLink = (await second.page.getByTestId('personal-link').getAttribute('data-link')) ?? ''
      await student.page.goto(secondLink)
      await expect(thread(student.page).getByTestId('thread-empty')).toBeVisible()
      await student.page.goto('/')
      const kept = student.page.getByTestId('kept-link')
      await expect(kept).toHaveCount(2)
      const rowOf = (code: string) => kept.filter({ has: student.page.locator(`a[href*="${code}"]`) })
      const pillOf = (code: string) => rowOf(code).getByTestId('my-lessons-unread')
      await expect(pillOf(code)).toHaveAttribute('data-count', '2')
      await expect(pillOf(secondLink.split('/').pop() ?? '')).toHaveCount(0)
      await write(second.page, 'Welcome! Our first lesson is on Tuesday')
      await expect(pillOf(secondLink.split('/').pop() ?? '')).toHaveAttribute('data-count', '1')
      // (The page follows the link it opened last in full; the other one is counted live all the same.)
      await write(tutor.page, 'And the calculator')
      await expect(pillOf(code)).toHaveAttribute('data-count', '3')
      await student.page.screenshot({ path: shot('home-two-tutors-zh-CN.png') })

      // On a shared computer Wei takes the second link off this device: asked once more (Escape keeps it), then
      // gone, a reload too; the first stays and is still counted live.
      const secondCode = secondLink.split('/').pop() ?? ''
      const secondRow = rowOf(secondCode)
      await secondRow.getByTestId('forget-kept-link').click()
      await expect(student.page.getByTestId('forget-kept-link-confirm')).toBeVisible()
      await student.page.screenshot({ path: shot('home-forget-link-zh-CN.png') })
      await student.page.keyboard.press('Escape')
      await expect(student.page.getByTestId('forget-kept-link-confirm')).toHaveCount(0)
      await expect(kept).toHaveCount(2)
      await secondRow.getByTestId('forget-kept-link').click()
      await student.page.getByTestId('forget-kept-link-yes').click()
      await expect(kept).toHaveCount(1)
      await student.page.reload()
      await expect(kept).toHaveCount(1)
      await expect(secondRow).toHaveCount(0)
      await write(tutor.page, 'One more thing')
      await expect(pillOf(code)).toHaveAttribute('data-count', '4')

      // From their own page: what Wei wrote to Ms Li and did not send goes with the link. Opened again from
      // the link, the page is Wei's as before, with an empty box; home keeps the link again.
      await student.page.getByTestId('open-my-lessons').click()
      await thread(student.page).getByTestId('chat-input').fill('Not for the next person to read')
      await student.page.getByTestId('forget-kept-link').click()
      await student.page.getByTestId('forget-kept-link-yes').click()
      await expect(student.page.getByTestId('start-form')).toBeVisible()
      await expect(kept).toHaveCount(0)
      await student.page.goto(link)
      await expect(thread(student.page).getByTestId('chat-input')).toHaveValue('')
      await expect(messages(student.page).last()).toContainText('One more thing')
    } finally {
      await closeAll(second)
    }
  } finally {
    await closeAll(tutor, student)
  }
})
