import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { expect, test } from '@playwright/test'
import { freePort, serverUrl, shiftedClockEnv, spawnSessionServer, stopProcess } from '../support/sessionServerProcess'
import { chooseLanguage, closeAll, newPerson, tutorEndsLesson, type Person } from './lessonSteps'
import { expectAccessible } from './screenChecks'

/**
 * The student record end to end, as a tutor and a student use it: the tutor
 * adds a student, starts a lesson from the record, the student joins with
 * their personal link, homework goes assigned -> handed in -> reviewed, both
 * see progress; then (the server started again nine days later) the student
 * is on the at-risk dashboard with evidence, the tutor sends a check-in and
 * the student reads it.
 */
const DAY = 86_400_000
const shot = (name: string): string => resolve('test-results', name)

let dataDir = ''
let port = 0
let server: ChildProcess | null = null

/** The server of this spec (its own data folder, no tutor keys: each tutor's device names its roster), `shiftMs` ahead of now. */
async function startServer(shiftMs = 0): Promise<void> {
  server = await spawnSessionServer({
    port,
    webRoot: 'dist/web',
    dataDir,
    clearEnvPrefix: 'DUET_',
    env: shiftedClockEnv(shiftMs),
  })
}

test.beforeAll(async () => {
  port = await freePort()
  dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-records-'))
  await startServer()
})
test.afterAll(async () => {
  if (server) await stopProcess(server)
  rmSync(dataDir, { recursive: true, force: true })
})

test('a tutor keeps a student’s record: personal link, attributed lesson, homework, progress, and an early warning with evidence', async ({ browser }) => {
  test.setTimeout(180_000)
  const url = serverUrl(port)
  const tutor: Person = await newPerson(browser, url)
  const student: Person = await newPerson(browser, url)
  try {
    // The tutor adds Wei (Tue and Thu) to an empty roster.
    await tutor.page.goto('/students')
    await expect(tutor.page.getByTestId('roster-empty')).toBeVisible()
    await tutor.page.getByTestId('student-name-input').fill('Wei')
    await tutor.page.getByTestId('student-subject-input').fill('Maths')
    await tutor.page.getByTestId('plan-day-2').check()
    await tutor.page.getByTestId('plan-day-4').check()
    await tutor.page.getByTestId('add-student').click()
    await expect(tutor.page.getByTestId('student-title')).toHaveText('Wei')
    const card = tutor.page.getByTestId('personal-link')
    const link = (await card.getAttribute('data-link')) ?? ''
    expect(link).toMatch(new RegExp(`^${url}/me/[2-9A-Z]{12}$`))
    const studentPage = tutor.page.url()

    // A lesson started from the record; Wei joins with the personal link (no invite).
    await tutor.page.getByTestId('record-tutor-name').fill('Ms Li')
    await tutor.page.getByTestId('record-start-lesson').click()
    await expect(tutor.page.getByTestId('join-now')).toBeEnabled()
    await tutor.page.getByTestId('join-now').click()
    await expect(tutor.page.getByTestId('room')).toBeVisible()
    // The room knows whom it waits for.
    await expect(tutor.page.getByTestId('peer-name')).toHaveText('Wei')
    await expect(tutor.page.getByTestId('room-banner')).toHaveText('Waiting for Wei to join…')

    await student.page.goto(link)
    await expect(student.page.getByTestId('my-title')).toHaveText('My lessons with Ms Li')
    await student.page.getByTestId('my-join').click()
    await expect(student.page.getByTestId('join-now')).toBeEnabled()
    await student.page.getByTestId('join-now').click()
    await expect(student.page.getByTestId('room')).toBeVisible()
    await expect(tutor.page.getByTestId('remote-tile')).toBeVisible()
    // A word in the chat: the lesson leaves a record, which Wei's browser keeps a key to (the library).
    await student.page.keyboard.press('Control+Shift+C')
    await student.page.getByTestId('chat-input').fill('Hello Ms Li')
    await student.page.getByTestId('chat-input').press('Enter')
    await expect(tutor.page.getByTestId('chat-unread')).toHaveText('1')
    await tutorEndsLesson(tutor.page)

    // The lesson is Wei's; the tutor assigns homework on the record.
    await tutor.page.goto(studentPage)
    await expect(tutor.page.getByTestId('record-lesson')).toHaveAttribute('data-attended', 'true')
    await tutor.page.getByTestId('homework-title').fill('Fractions, page 12')
    await tutor.page.getByTestId('homework-assign').click()
    await expect(tutor.page.getByTestId('homework')).toHaveAttribute('data-status', 'assigned')

    // Wei sees it (the device kept the link: home offers "My lessons"), hands in an answer, and sees the lesson counted.
    await student.page.goto('/')
    await student.page.getByTestId('open-my-lessons').click()
    await expect(student.page.getByTestId('progress-attended')).toContainText('1')
    await student.page.getByTestId('my-homework-answer').fill('3/4 and 5/6')
    await student.page.getByTestId('my-homework-hand-in').click()
    await expect(student.page.getByTestId('homework')).toHaveAttribute('data-status', 'submitted')

    // The tutor reviews it; Wei reads the comment and rates the lesson.
    await tutor.page.reload()
    await expect(tutor.page.getByTestId('homework-submission')).toContainText('3/4 and 5/6')
    await tutor.page.getByTestId('homework-review-text').fill('Well done')
    await tutor.page.getByTestId('homework-review-send').click()
    await expect(tutor.page.getByTestId('homework')).toHaveAttribute('data-status', 'reviewed')
    await student.page.reload()
    await expect(student.page.getByTestId('homework-review')).toContainText('Well done')
    await student.page.getByTestId('my-rate-5').click()
    await expect(student.page.getByTestId('my-rate')).toBeHidden()
    await student.page.screenshot({ path: shot('records-my-lessons-en.png') })
    await expectAccessible(student.page, 'records-my-lessons-en')
    await tutor.page.reload()
    await expect(tutor.page.getByTestId('record-lesson')).toContainText('5/5')
    await tutor.page.screenshot({ path: shot('records-student-en.png') })
    await expectAccessible(tutor.page, 'records-student-en')

    // Nine days later Wei has done nothing: flagged on the dashboard with the evidence.
    if (server) await stopProcess(server)
    await startServer(9 * DAY)
    // The tutor's home carries the daily digest too (and this device raises it as a notification once a day).
    await tutor.page.goto('/')
    await expect(tutor.page.getByTestId('home-digest')).toContainText('Wei (No activity)')
    await tutor.page.getByTestId('home-digest-open').click()
    await expect(tutor.page).toHaveURL(/\/students$/)
    // The digest names what is new since the tutor last looked, until they say they have seen it.
    await expect(tutor.page.getByTestId('digest')).toContainText('Wei (No activity)')
    await tutor.page.getByTestId('digest-seen').click()
    await expect(tutor.page.getByTestId('digest')).toBeHidden()
    const atRisk = tutor.page.getByTestId('at-risk-student').filter({ hasText: 'Wei' })
    await expect(atRisk.getByTestId('flag-evidence')).toContainText('No lesson or practice for 9 days')
    await expect(tutor.page.getByTestId('roster-flags')).toHaveText('1 warning')
    await tutor.page.screenshot({ path: shot('records-roster-en.png') })
    await expectAccessible(tutor.page, 'records-roster-en')

    // The tutor sends the suggested check-in; the record keeps it, and Wei reads it in the thread with the tutor.
    await atRisk.getByTestId('flag-message').click()
    await atRisk.getByTestId('flag-message-text').fill('We miss you! Shall we meet on Thursday?')
    await atRisk.getByTestId('flag-message-send').click()
    await expect(atRisk.getByTestId('flag-last-action')).toContainText('We miss you!')
    await student.page.reload()
    await expect(student.page.getByTestId('thread-chat').getByTestId('chat-message').last()).toContainText('We miss you!')

    await chooseLanguage(tutor.page, 'zh-CN')
    await expect(atRisk.getByTestId('flag-evidence')).toContainText('已 9 天没有上课或练习')
    await tutor.page.screenshot({ path: shot('records-roster-zh-CN.png') })
    await tutor.page.goto(studentPage)
    await expect(tutor.page.getByTestId('student-flags')).toBeVisible()
    await tutor.page.screenshot({ path: shot('records-student-zh-CN.png') })
    await chooseLanguage(student.page, 'zh-CN')
    await expect(student.page.getByTestId('my-title')).toHaveText('我和 Ms Li 的课程')
    await student.page.screenshot({ path: shot('records-my-lessons-zh-CN.png') })

    // On a shared computer Wei removes the link from this device, on their page: home no longer offers it, the
    // library no longer lists their lesson, and Back does not open the record again.
    await student.page.goto('/library')
    await expect(student.page.getByTestId('library-item')).toHaveCount(1)
    await student.page.goto(link)
    await student.page.getByTestId('forget-kept-link').click()
    await student.page.getByTestId('forget-kept-link-yes').click()
    await expect(student.page.getByTestId('start-form')).toBeVisible()
    await expect(student.page.getByTestId('open-my-lessons')).toHaveCount(0)
    await student.page.goto('/library')
    await expect(student.page.getByTestId('library-empty')).toBeVisible()

    // The tutor moves the next lesson (kept in the record), then archives Wei: off the roster and the dashboard, back with "show archived".
    await tutor.page.getByTestId('reschedule-to').fill('2031-01-09T17:00')
    await tutor.page.getByTestId('reschedule').click()
    await expect(tutor.page.getByTestId('record-action').first()).toContainText('课程改到 1月9日 17:00')
    await tutor.page.getByTestId('student-archive').click()
    await expect(tutor.page.getByTestId('student-archived')).toBeVisible()
    await tutor.page.goto('/students')
    await expect(tutor.page.getByTestId('roster-empty')).toBeVisible()
    await expect(tutor.page.getByTestId('at-risk-student')).toHaveCount(0)
    await tutor.page.getByTestId('show-archived').check()
    await expect(tutor.page.getByTestId('roster-entry')).toHaveAttribute('data-student', 'Wei')
  } finally {
    await closeAll(tutor, student)
  }
})
