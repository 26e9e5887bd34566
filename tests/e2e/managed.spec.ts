import { mkdirSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { DesktopMain } from './desktopMain'

/**
 * A school manages Duet: the desktop window (the web client with the real
 * main-process services behind window.duet, see desktopMain.ts) shows what
 * the school locks and who to ask, follows an admin's policy change without
 * a reload, and shows an update from check to "ready".
 */

const SHOTS = 'test-results/managed'
mkdirSync(SHOTS, { recursive: true })

/** A new "AppImage" for the update feed. */
function release(version: string): Buffer {
  const script = Buffer.from(`#!/bin/sh\n# Duet ${version}\nexit 0\n`)
  return Buffer.concat([script, Buffer.alloc(256 * 1024 - script.length, 0x23)])
}

let main: DesktopMain
test.beforeEach(async () => {
  main = await DesktopMain.start()
})
test.afterEach(async () => {
  await main.close()
})

test('what the school locks shows locked with who to ask; a broken value is listed; an admin change applies without a reload; main refuses a locked setting whatever the window sends', async ({ page }) => {
  main.writePolicy({
    Language: 'zh-CN',
    UpdateChannel: 'stable',
    AdminContact: '信息中心 王老师，分机 1234',
    AskAiOutsideLessons: false,
    UpdateMode: 'sometimes',
    Recommended: { AllowLanJoin: true },
  })
  await main.policy.refresh()
  await main.attach(page)
  await page.goto('/')

  // Home in Chinese (the school's language), no Ask AI (turned off), a way to Settings.
  await expect(page.getByRole('heading', { name: '开始上课' })).toBeVisible()
  await expect(page.getByTestId('open-ai-practice')).toHaveCount(0)
  await expect(page.getByTestId('language')).toBeDisabled()
  await page.goto('/practice')
  await expect(page).toHaveURL(/\/$/)

  await page.getByTestId('open-settings').click()
  await expect(page.getByTestId('settings')).toBeVisible()
  const language = page.getByTestId('settings-language')
  await expect(language).toBeDisabled()
  await expect(page.locator('label', { has: language }).getByTestId('locked-badge')).toHaveText('由学校设置 · 请联系：信息中心 王老师，分机 1234')
  await expect(page.getByTestId('update-channel')).toBeDisabled()
  await expect(page.getByTestId('policy-problems')).toContainText('UpdateMode')
  await expect(page.getByTestId('policy-problems')).toContainText('must be one of: auto, manual, none, not text "sometimes"; ignored')
  // Recommended, not enforced: on, and the tutor may still turn it off.
  await expect(page.getByTestId('settings-lan')).toBeChecked()
  await expect(page.getByTestId('settings-lan')).toBeEnabled()
  await page.screenshot({ path: `${SHOTS}/settings-locked-zh.png`, fullPage: true })

  // Whatever the window sends, a locked setting does not change.
  const refused = await page.evaluate(() =>
    (window as unknown as { duet: { settings: { update(p: unknown): Promise<unknown> } } }).duet.settings.update({ locale: 'en' }).then(
      () => 'saved',
      (e: Error) => e.message,
    ),
  )
  expect(refused).toMatch(/locale is set by your school/)
  expect(main.settings.get().locale).toBe('zh-CN')

  // The admin changes the policy: English, Ask AI back, the broken value gone. No reload.
  main.writePolicy({ Language: 'en', AdminContact: 'IT desk, ext. 1234' })
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible({ timeout: 10_000 })
  await expect(page.getByTestId('policy-problems')).toHaveCount(0)
  await expect(page.getByTestId('update-channel')).toBeEnabled()
  await page.getByRole('link', { name: /Back/ }).click()
  await expect(page.getByTestId('open-ai-practice')).toBeVisible()
})

test('a lab computer (KeepStudentLinks off) forgets students’ links when the policy arrives and each time Duet starts', async ({ page }) => {
  await main.attach(page)
  await page.goto('/')
  // A student opened their personal link on this computer earlier (the link page keeps it so).
  const keptByAStudent = () =>
    page.evaluate(() => localStorage.setItem('duet.myCodes', JSON.stringify([{ server: location.origin, code: 'K7P2QXMAH3JD', tutorName: 'Ms Li', studentName: 'Wei' }])))
  const home = page.getByRole('heading', { name: 'Start a lesson' })
  await keptByAStudent()
  await page.reload()
  await expect(home).toBeVisible()
  await expect(page.getByTestId('kept-link')).toHaveCount(1)
  await expect(page.getByTestId('kept-links-forgotten-at-start')).toHaveCount(0)

  // The school turns the policy off: the link goes at once, without a reload.
  main.writePolicy({ KeepStudentLinks: false })
  await expect(page.getByTestId('kept-link')).toHaveCount(0, { timeout: 10_000 })
  expect(await page.evaluate(() => localStorage.getItem('duet.myCodes'))).toBeNull()

  // The next student opens theirs during this run: home offers it, and says it goes when Duet starts again.
  await keptByAStudent()
  await page.getByTestId('open-settings').click()
  await page.getByRole('link', { name: /Back/ }).click()
  await expect(page.getByTestId('kept-link')).toHaveCount(1)
  await expect(page.getByTestId('kept-links-forgotten-at-start')).toHaveText('This computer forgets personal links each time Duet starts (your school’s setting).')
  await page.screenshot({ path: `${SHOTS}/home-lab-computer.png` })

  // Duet starts again: gone before home shows.
  await page.reload()
  await expect(home).toBeVisible()
  await expect(page.getByTestId('kept-link')).toHaveCount(0)
  expect(await page.evaluate(() => localStorage.getItem('duet.myCodes'))).toBeNull()
})

test('an update from "check" to "ready, installs when you quit", with progress and release notes; no restart offered during a lesson', async ({ page }) => {
  main.feed.serve('latest-linux.yml', { version: '0.2.0', file: release('0.2.0'), releaseNotes: 'Faster whiteboard.\nSchool policy support.' })
  main.feed.paceDownloads(250)
  await main.attach(page)
  await page.goto('/settings')
  await expect(page.getByTestId('update-version')).toHaveText('Duet 0.1.0')
  await expect(page.getByTestId('update-phase')).toHaveText('Duet checks for updates by itself.')

  await page.getByTestId('update-check').click()
  await expect(page.getByTestId('update-phase')).toContainText(/Downloading Duet 0\.2\.0… [1-9]\d? %/, { timeout: 15_000 })
  await expect(page.getByTestId('update-progress')).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/update-downloading.png` })

  await expect(page.getByTestId('update-phase')).toHaveText('Duet 0.2.0 is ready. It will install when you quit Duet.', { timeout: 20_000 })
  await expect(page.getByTestId('update-restart')).toBeVisible()
  await page.getByTestId('update-notes').locator('summary').click()
  await expect(page.getByTestId('update-notes')).toContainText('School policy support.')
  await page.screenshot({ path: `${SHOTS}/update-ready.png`, fullPage: true })

  // A lesson starts: no "restart to update" until it ends.
  main.lesson.set(true)
  await expect(page.getByTestId('update-restart')).toHaveCount(0)
  await expect(page.getByText('A lesson is running: Duet does not restart or install until it ends.')).toBeVisible()
  main.lesson.set(false)
  await expect(page.getByTestId('update-restart')).toBeVisible()
  await page.goto('/')
  await expect(page.getByTestId('home-update-ready')).toContainText('Duet 0.2.0 is ready to install.')
})

test('an update feed that answers with a web page: said in plain words, Duet keeps working', async ({ page }) => {
  main.feed.serve('latest-linux.yml', '<!doctype html><html><body>Sign in to the school Wi-Fi</body></html>', 'text/html')
  await main.attach(page)
  await page.goto('/settings')
  await page.getByTestId('update-check').click()
  await expect(page.getByTestId('update-error')).toHaveText('The update server did not answer with update information (it may be set up wrongly, or behind a login page).')
  await page.screenshot({ path: `${SHOTS}/update-error.png` })
})

test('UpdateMode none from the school: no update screens at all', async ({ page }) => {
  main.writePolicy({ UpdateMode: 'none' })
  await main.policy.refresh()
  main.updates.reconfigure()
  await main.attach(page)
  await page.goto('/settings')
  await expect(page.getByTestId('settings')).toBeVisible()
  await expect(page.getByTestId('update-panel')).toHaveCount(0)
  expect(main.feed.requests).toEqual([])
})

test('the tutor lets students on this network join from the invite card; the LAN address appears', async ({ page }) => {
  await main.attach(page)
  await page.goto('/')
  await page.getByTestId('tutor-name').fill('Ms Li')
  await page.getByTestId('start-lesson').click()
  const card = page.getByTestId('invite-card')
  await expect(card).toBeVisible()
  await expect(page.getByTestId('invite-lan-off')).toHaveText('Only this computer can join. Students on your network can join once you let them.')
  await expect(page.getByTestId('invite-lan-url')).toHaveCount(0)
  await page.getByTestId('invite-lan-toggle').check()
  await expect(page.getByTestId('invite-lan-url')).toContainText(/http:\/\/192\.0\.2\.10:\d+\/join\/[A-Z0-9]{8}/)
  expect(main.settings.get().lanAccess).toBe(true)
  await card.screenshot({ path: `${SHOTS}/invite-lan.png` })
})

test("a policy pointing at a school server that cannot be reached: the message names it and who to ask", async ({ page }) => {
  main.writePolicy({ ServerUrl: 'http://127.0.0.1:9', AdminContact: 'IT desk, ext. 1234' })
  await main.policy.refresh()
  await main.attach(page)
  await page.goto('/')
  await page.getByTestId('tutor-name').fill('Ms Li')
  await page.getByTestId('start-lesson').click()
  await expect(page.getByTestId('start-error')).toHaveText("Your school’s server (http://127.0.0.1:9) cannot be reached. Ask: IT desk, ext. 1234")
  // The app keeps working: Settings shows the pinned server, locked.
  await page.getByTestId('open-settings').click()
  await expect(page.getByTestId('settings-server')).toHaveValue('http://127.0.0.1:9')
  await expect(page.getByTestId('settings-server')).toBeDisabled()
})

test('no keychain on this computer: the AI key is kept only after the tutor agrees to store it unencrypted', async ({ page }) => {
  await main.attach(page)
  await page.goto('/settings/ai')
  await page.getByTestId('ai-settings-baseUrl').fill('https://api.deepseek.com/v1')
  await page.getByTestId('ai-settings-model').fill('deepseek-chat')
  await page.getByTestId('ai-settings-apiKey').fill('sk-typed-by-tutor-123')
  await expect(page.getByTestId('ai-settings-unencrypted')).toBeVisible()
  await page.getByTestId('ai-settings-save').click()
  await expect(page.getByTestId('ai-settings-error')).toContainText('no keychain to encrypt the API key')
  await page.getByTestId('ai-settings-unencrypted-agree').check()
  await page.getByTestId('ai-settings-save').click()
  await expect(page.getByTestId('ai-settings-saved')).toBeVisible()
  await expect(page.getByTestId('ai-settings-key-note')).toContainText('stored without encryption')
  await page.screenshot({ path: `${SHOTS}/ai-key-unencrypted.png`, fullPage: true })
})

test('AI settings open while the school sets the AI model: the fields lock with its values, no reload', async ({ page }) => {
  await main.attach(page)
  await page.goto('/settings/ai')
  await page.getByTestId('ai-settings-apiKey').fill('sk-being-typed')
  await expect(page.getByTestId('ai-settings-model')).toBeEnabled()
  main.writePolicy({ AiBaseUrl: 'https://llm.school.example/v1', AiModel: 'qwen2.5-14b', AdminContact: 'IT desk' })
  await expect(page.getByTestId('ai-settings-model')).toBeDisabled({ timeout: 10_000 })
  await expect(page.getByTestId('ai-settings-model')).toHaveValue('qwen2.5-14b')
  await expect(page.getByTestId('lock-baseUrl')).toHaveText('Set by your school · Ask: IT desk')
  await expect(page.getByTestId('ai-settings-apiKey')).toHaveValue('sk-being-typed')
})
