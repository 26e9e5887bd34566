import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { expect, test, type Page } from '@playwright/test'
import { freePort, serverUrl, shiftedClockEnv, spawnSessionServer, stopProcess } from '../support/sessionServerProcess'
import { aiEnvFor, startFakeModel, type FakeModel } from '../support/fakeModel'
import { menuItem, openBoard } from './boardSteps'
import { chooseLanguage, closeAll, newPerson, studentJoins, tutorEndsLesson, tutorStartsLesson, type Person } from './lessonSteps'
import { expectAccessible } from './screenChecks'

/**
 * The rest of a student's record as people use it (beside records.spec):
 * a lesson held through a one-off invite attached to a student afterwards
 * (from their page, and from the tutor's summary), a board page given as
 * homework in a lesson, homework assigned as a PDF and handed in as a photo (the app and the
 * server each refusing what they must, in words), the tutor opening the
 * student's photo, thresholds changed and what is flagged changing with
 * them, and Ask AI opened on a homework item.
 */
const DAY = 86_400_000
const shot = (name: string): string => resolve('test-results', name)
// A 2x2 PNG (red, green / blue, white) and a one-page PDF's first bytes: the server judges files by their bytes.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAAMIM/4EAAB/uBfsL2WiLAAAAAElFTkSuQmCC', 'base64')
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

let dataDir = ''
let port = 0
let server: ChildProcess | null = null
let fake: FakeModel

/** The server of this spec (its own data folder, a fake model, students may practise), `shiftMs` ahead of now. */
async function startServer(shiftMs = 0): Promise<void> {
  server = await spawnSessionServer({ port, webRoot: 'dist/web', dataDir, clearEnvPrefix: 'DUET_', env: { ...aiEnvFor(fake), DUET_AI_STUDENT_PRACTICE: 'true', ...shiftedClockEnv(shiftMs) } })
}

test.beforeAll(async () => {
  fake = await startFakeModel({ tokens: ['What', ' do', ' you', ' notice', '?'] })
  port = await freePort()
  dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-records-paths-'))
  await startServer()
})
test.afterAll(async () => {
  if (server) await stopProcess(server)
  await fake?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

/** Tutor: adds a student with no plan on the Students screen; the student's page opens. */
async function addStudent(page: Page, name: string): Promise<string> {
  await page.goto('/students')
  await page.getByTestId('student-name-input').fill(name)
  await page.getByTestId('add-student').click()
  await expect(page.getByTestId('student-title')).toHaveText(name)
  return page.url()
}

test('an invite lesson attached and counted; homework out as a PDF and back as a photo the tutor opens; Ask AI on it; a threshold changed changes what is flagged', async ({ browser }) => {
  test.setTimeout(240_000)
  const url = serverUrl(port)
  const tutor: Person = await newPerson(browser, url)
  const student: Person = await newPerson(browser, url)
  try {
    const linPage = await addStudent(tutor.page, 'Lin')
    const link = (await tutor.page.getByTestId('personal-link').getAttribute('data-link')) ?? ''

    // A lesson through a one-off invite (today's flow): Lin types her name at the door.
    const invite = await tutorStartsLesson(tutor.page, 'Ms Li')
    await studentJoins(student.page, invite.url, 'Lin')
    await expect(tutor.page.getByTestId('remote-tile')).toBeVisible()
    await tutorEndsLesson(tutor.page)

    // On Lin's page the tutor attaches it: it counts in her record and is offered no more.
    await tutor.page.goto(linPage)
    await expect(tutor.page.getByTestId('record-lesson')).toHaveCount(0)
    await expect(tutor.page.getByTestId('invite-lesson')).toHaveAttribute('data-name', 'Lin')
    await tutor.page.getByTestId('invite-lessons').scrollIntoViewIfNeeded()
    await tutor.page.screenshot({ path: shot('records-invite-attach-en.png') })
    await expectAccessible(tutor.page, 'records-invite-attach-en')
    await chooseLanguage(tutor.page, 'zh-CN')
    await expect(tutor.page.getByTestId('invite-lesson-attach')).toHaveText('这是 Lin 的课')
    await tutor.page.screenshot({ path: shot('records-invite-attach-zh-CN.png') })
    await chooseLanguage(tutor.page, 'en')
    await tutor.page.getByTestId('invite-lesson-attach').click()
    await expect(tutor.page.getByTestId('record-lesson')).toHaveAttribute('data-attended', 'true')
    await expect(tutor.page.getByTestId('progress-attended')).toContainText('1')
    await expect(tutor.page.getByTestId('invite-lessons')).toHaveCount(0)

    // Another invite lesson, attached right from the tutor's summary after it.
    const again = await tutorStartsLesson(tutor.page, 'Ms Li')
    await studentJoins(student.page, again.url, 'Lin')
    await expect(tutor.page.getByTestId('remote-tile')).toBeVisible()
    await tutorEndsLesson(tutor.page)
    await chooseLanguage(tutor.page, 'zh-CN')
    await expect(tutor.page.getByTestId('lesson-owner')).toContainText('这是哪位学生的课？')
    await tutor.page.screenshot({ path: shot('records-summary-owner-zh-CN.png') })
    await chooseLanguage(tutor.page, 'en')
    await tutor.page.getByTestId('lesson-owner-student').selectOption({ label: 'Lin' })
    await tutor.page.getByTestId('lesson-owner-attach').click()
    await expect(tutor.page.getByTestId('lesson-owner-done')).toContainText('This lesson counts in the record of Lin')
    await tutor.page.screenshot({ path: shot('records-summary-owner-en.png') })
    await expectAccessible(tutor.page, 'records-summary-owner-en')
    await tutor.page.goto(linPage)
    await expect(tutor.page.getByTestId('record-lesson')).toHaveCount(2)
    await expect(tutor.page.getByTestId('progress-attended')).toContainText('2')

    // In a lesson of Lin's (started from her page), the tutor gives the board page shown as homework.
    if (await tutor.page.getByTestId('record-tutor-name').isVisible()) await tutor.page.getByTestId('record-tutor-name').fill('Ms Li')
    await tutor.page.getByTestId('record-start-lesson').click()
    await tutor.page.getByTestId('join-now').click()
    await expect(tutor.page.getByTestId('room')).toBeVisible()
    await openBoard(tutor.page)
    // Lin has not joined: beside the board there is no tile named for someone who is not there.
    await expect(tutor.page.getByTestId('room-banner')).toBeVisible()
    await expect(tutor.page.getByTestId('remote-tile').locator('.video-label')).toHaveCount(0)
    // The invite card makes room for the board; the waiting line beside it still copies the link.
    await tutor.context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const copyInvite = tutor.page.getByTestId('banner-copy-invite')
    await copyInvite.click()
    await expect(copyInvite).toHaveText('Copied')
    expect(await tutor.page.evaluate(() => navigator.clipboard.readText())).toMatch(/\/join\/[2-9A-Z]{8}$/)
    await menuItem(tutor.page, 'give-page-homework')
    await expect(tutor.page.getByTestId('give-page')).toContainText('For Lin, with this board page attached')
    // The title has the focus, selected: typing replaces it.
    await expect(tutor.page.getByTestId('give-page-title')).toBeFocused()
    await tutor.page.keyboard.type('Finish the board problem')
    await expect(tutor.page.getByTestId('give-page-title')).toHaveValue('Finish the board problem')
    await tutor.page.screenshot({ path: shot('records-give-page-en.png') })
    await expectAccessible(tutor.page, 'records-give-page-en')
    await tutor.page.getByTestId('give-page-send').click()
    await expect(tutor.page.getByTestId('give-page-done')).toContainText('Given to Lin')
    // Escape closes it and the focus is back on the More button it came from.
    await tutor.page.keyboard.press('Escape')
    await expect(tutor.page.getByTestId('give-page')).toHaveCount(0)
    await expect(tutor.page.getByTestId('board-menu')).toBeFocused()
    await chooseLanguage(tutor.page, 'zh-CN')
    await menuItem(tutor.page, 'give-page-homework')
    await expect(tutor.page.getByRole('dialog', { name: '把这页布置为作业' })).toContainText('布置给 Lin，附上这一页白板')
    await tutor.page.screenshot({ path: shot('records-give-page-zh-CN.png') })
    // A click beside it closes it too.
    await tutor.page.mouse.click(10, 400)
    await expect(tutor.page.getByTestId('give-page')).toHaveCount(0)
    await chooseLanguage(tutor.page, 'en')
    await tutorEndsLesson(tutor.page)
    await tutor.page.goto(linPage)
    const boardPage = tutor.page.getByTestId('homework').filter({ hasText: 'Finish the board problem' })
    await expect(boardPage.getByTestId('homework-attached').getByTestId('homework-file')).toHaveAttribute('data-name', 'duet-board-page-1.png')
    await expect(boardPage.getByTestId('homework-file-preview')).toBeVisible()

    // Homework as a PDF: a text file is refused before it is sent; the worksheet goes with the homework.
    await tutor.page.getByTestId('homework-title').fill('Worksheet 3')
    await tutor.page.getByTestId('homework-body').fill('Add the fractions in exercises 1 to 4.')
    await tutor.page.getByTestId('homework-assign-files-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') })
    await expect(tutor.page.getByTestId('homework-assign-files-problem')).toHaveText('“notes.txt” is not a PDF or a picture (PNG, JPEG or WebP).')
    await tutor.page.getByTestId('homework-assign-files-input').setInputFiles({ name: 'worksheet-3.pdf', mimeType: 'application/pdf', buffer: PDF })
    await expect(tutor.page.getByTestId('homework-assign-picked')).toContainText('worksheet-3.pdf')
    await tutor.page.getByTestId('homework-assign').click()
    const worksheet = tutor.page.getByTestId('homework').filter({ hasText: 'Worksheet 3' })
    await expect(worksheet.getByTestId('homework-attached').getByTestId('homework-file')).toHaveAttribute('data-name', 'worksheet-3.pdf')

    // Lin opens her personal link: the worksheet is there and opens with her code.
    await student.page.goto(link)
    const mine = student.page.getByTestId('homework').filter({ hasText: 'Worksheet 3' })
    const [sheet] = await Promise.all([student.page.waitForEvent('download'), mine.getByTestId('homework-attached').getByTestId('homework-file-open').click()])
    expect(sheet.suggestedFilename()).toBe('worksheet-3.pdf')
    expect((await readFile(await sheet.path())).equals(PDF)).toBe(true)

    // Too big for the app, and a "photo" whose bytes are not one (the server says so): both in words, nothing handed in.
    const picker = mine.getByTestId('my-homework-files-input')
    await picker.setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(11 * 1024 * 1024, 0xff) })
    await expect(mine.getByTestId('my-homework-files-problem')).toContainText('“huge.jpg” is too large (12 MB): the limit is 10 MB.')
    await picker.setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not really a picture') })
    await expect(mine.getByTestId('my-homework-files-problem')).toHaveText('“fake.png” is not a PDF or a picture (PNG, JPEG or WebP).')
    await expect(mine.getByTestId('my-homework-hand-in')).toBeDisabled()

    // The photo of her work goes up; she hands it in.
    await picker.setInputFiles({ name: 'my-work.png', mimeType: 'image/png', buffer: PNG })
    await expect(mine.getByTestId('homework-handed-in').getByTestId('homework-file')).toHaveAttribute('data-name', 'my-work.png')
    await expect(mine.getByTestId('my-homework-files-problem')).toHaveCount(0)
    await student.page.screenshot({ path: shot('records-hand-in-en.png') })
    await expectAccessible(student.page, 'records-hand-in-en')
    await mine.getByTestId('my-homework-hand-in').click()
    await expect(mine).toHaveAttribute('data-status', 'submitted')

    // The tutor sees the photo on review and opens it (with their key).
    await tutor.page.reload()
    const handedIn = worksheet.getByTestId('homework-handed-in')
    await expect(handedIn.getByTestId('homework-file-preview')).toBeVisible()
    expect(await handedIn.getByTestId('homework-file-preview').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2)
    const [photo] = await Promise.all([tutor.page.waitForEvent('download'), handedIn.getByTestId('homework-file-open').click()])
    expect(photo.suggestedFilename()).toBe('my-work.png')
    expect((await readFile(await photo.path())).equals(PNG)).toBe(true)
    await tutor.page.screenshot({ path: shot('records-review-files-en.png') })
    await expectAccessible(tutor.page, 'records-review-files-en')
    await chooseLanguage(tutor.page, 'zh-CN')
    await expect(handedIn).toContainText('已提交')
    await tutor.page.screenshot({ path: shot('records-review-files-zh-CN.png') })
    await chooseLanguage(tutor.page, 'en')

    // Ask AI on the homework item: the practice page, hints first, with the homework as the question's context.
    await mine.getByTestId('my-homework-ask-ai').click()
    await expect(student.page).toHaveURL(/\/practice$/)
    await expect(student.page.getByTestId('ai-input')).toHaveValue('I’m working on my homework “Worksheet 3”. Where should I start?\n\nAdd the fractions in exercises 1 to 4.')
    await expect(student.page.getByTestId('ai-mode-hint-first')).toHaveAttribute('aria-pressed', 'true')
    await student.page.screenshot({ path: shot('records-ask-ai-en.png') })
    await expectAccessible(student.page, 'records-ask-ai-en')
    fake.requests.length = 0
    await student.page.getByTestId('ai-send').click()
    await expect(student.page.getByTestId('ai-msg-assistant').last()).toContainText('What do you notice?')
    const sent = JSON.stringify(fake.requests.at(-1)?.body.messages)
    expect(sent).toContain('Add the fractions in exercises 1 to 4.')
    // Back and again in Chinese.
    await student.page.goto(link)
    await chooseLanguage(student.page, 'zh-CN')
    const sheetZh = student.page.getByTestId('homework').filter({ hasText: 'Worksheet 3' })
    await expect(sheetZh.getByTestId('homework-handed-in')).toContainText('已提交')
    await expect(sheetZh.getByTestId('my-homework-ask-ai')).toContainText('问问 AI')
    await student.page.screenshot({ path: shot('records-hand-in-zh-CN.png') })
    await sheetZh.getByTestId('my-homework-ask-ai').click()
    await expect(student.page.getByTestId('ai-input')).toHaveValue('我在做作业“Worksheet 3”，应该从哪里开始？\n\nAdd the fractions in exercises 1 to 4.')
    await student.page.screenshot({ path: shot('records-ask-ai-zh-CN.png') })

    // Three days later Lin is not flagged at the default 7 days; the tutor lowers it to 2 and she is, with the evidence; reset takes it back.
    if (server) await stopProcess(server)
    await startServer(3 * DAY)
    await tutor.page.goto('/students')
    await expect(tutor.page.getByTestId('at-risk')).toContainText('0 of 1 students flagged')
    await tutor.page.getByTestId('open-thresholds').click()
    await expect(tutor.page.getByTestId('threshold-inactiveDays')).toHaveValue('7')
    await expect(tutor.page.getByTestId('warning-settings-scope')).toContainText('Your own thresholds')
    await tutor.page.getByTestId('threshold-inactiveDays').fill('0')
    await expect(tutor.page.getByTestId('threshold-inactiveDays-problem')).toHaveText('A whole number from 1 to 90')
    await expect(tutor.page.getByTestId('warning-settings-save')).toBeDisabled()
    await tutor.page.getByTestId('threshold-inactiveDays').fill('2')
    await tutor.page.screenshot({ path: shot('records-thresholds-en.png') })
    await expectAccessible(tutor.page, 'records-thresholds-en')
    await tutor.page.getByTestId('warning-settings-save').scrollIntoViewIfNeeded()
    await tutor.page.screenshot({ path: shot('records-thresholds-bottom-en.png') })
    await tutor.page.getByTestId('warning-settings-save').click()
    await expect(tutor.page.getByTestId('warning-settings-saved')).toBeVisible()
    await tutor.page.getByTestId('roster-back').click()
    const flagged = tutor.page.getByTestId('at-risk-student').filter({ hasText: 'Lin' })
    await expect(flagged.getByTestId('flag-evidence')).toContainText('No lesson or practice for 3 days')
    await chooseLanguage(tutor.page, 'zh-CN')
    await tutor.page.getByTestId('open-thresholds').click()
    await expect(tutor.page.getByTestId('threshold-inactiveDays')).toHaveValue('2')
    await expect(tutor.page.getByTestId('warning-settings')).toContainText('默认：7')
    await tutor.page.screenshot({ path: shot('records-thresholds-zh-CN.png') })
    await tutor.page.getByTestId('warning-settings-reset').click()
    await expect(tutor.page.getByTestId('threshold-inactiveDays')).toHaveValue('7')
    await tutor.page.getByTestId('roster-back').click()
    await expect(tutor.page.getByTestId('at-risk-student')).toHaveCount(0)
  } finally {
    await closeAll(tutor, student)
  }
})
