import type { Browser, BrowserContext, Page } from '@playwright/test'

export const WAIT_MS = 20_000

/** A mark's time as epoch ms, comparable between two pages on one machine. */
export async function waitForMarkEpoch(page: Page, name: string, timeout = WAIT_MS): Promise<number> {
  const handle = await page.waitForFunction(
    (mark) => {
      const entry = performance.getEntriesByName(mark)[0]
      return entry ? performance.timeOrigin + entry.startTime : null
    },
    name,
    { timeout },
  )
  return (await handle.jsonValue()) as number
}

/** Tutor: home → Start lesson → device check → Join; returns the invite link. */
export async function openRoomAsTutor(page: Page, origin: string, name = 'Bench Tutor'): Promise<string> {
  await page.goto(origin)
  await page.getByTestId('tutor-name').fill(name)
  await page.getByTestId('start-lesson').click()
  const url = await page.getByTestId('invite-card').getAttribute('data-invite-url')
  await page.getByTestId('join-now').click({ timeout: WAIT_MS })
  await page.getByTestId('room').waitFor()
  if (!url) throw new Error('no invite link shown')
  return url
}

/** Student: invite link → name → device check (stops before pressing Join). */
export async function studentAtDeviceCheck(page: Page, inviteUrl: string, name = 'Bench Student'): Promise<void> {
  await page.goto(inviteUrl)
  await page.getByTestId('student-name').fill(name)
  await page.getByTestId('join-lesson').click()
  await page.getByTestId('join-now').waitFor({ state: 'visible', timeout: WAIT_MS })
}

/** Tutor opens a room, student follows the invite and joins: both lesson pages, in the room. */
export async function lessonInProgress(people: { tutor: BrowserContext; student: BrowserContext }, origin: string): Promise<{ tutor: Page; student: Page }> {
  const tutor = await people.tutor.newPage()
  const inviteUrl = await openRoomAsTutor(tutor, origin)
  const student = await people.student.newPage()
  await studentAtDeviceCheck(student, inviteUrl)
  await student.getByTestId('join-now').click({ timeout: WAIT_MS })
  return { tutor, student }
}

/** Two people in separate browser profiles, as on two machines. */
export async function twoPeople(browser: Browser): Promise<{ tutor: BrowserContext; student: BrowserContext; close(): Promise<void> }> {
  const tutor = await browser.newContext({ permissions: ['camera', 'microphone'] })
  const student = await browser.newContext({ permissions: ['camera', 'microphone'] })
  return {
    tutor,
    student,
    close: async () => {
      await tutor.close()
      await student.close()
    },
  }
}
