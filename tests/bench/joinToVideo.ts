import type { Browser, Page } from '@playwright/test'
import { metric, type Metric } from './stats'

const WAIT_MS = 20_000

async function waitForMark(page: Page, name: string): Promise<number> {
  const handle = await page.waitForFunction((mark) => performance.getEntriesByName(mark)[0]?.startTime ?? null, name, { timeout: WAIT_MS })
  return (await handle.jsonValue()) as number
}

async function openRoomAsTutor(page: Page, origin: string): Promise<string> {
  await page.goto(origin)
  await page.getByTestId('tutor-name').fill('Bench Tutor')
  await page.getByTestId('start-lesson').click()
  const url = await page.getByTestId('invite-card').getAttribute('data-invite-url')
  await page.getByTestId('join-now').click({ timeout: WAIT_MS })
  await page.getByTestId('room').waitFor()
  if (!url) throw new Error('no invite link shown')
  return url
}

/**
 * One join as a student would do it: the tutor waits in the room, the student
 * opens the invite, passes the device check and presses Join. The page marks
 * the press, the first remote frame and the first 1280x720 remote frame.
 */
async function oneJoin(browser: Browser, origin: string): Promise<{ firstFrame: number; toHd: number }> {
  const tutor = await browser.newContext({ permissions: ['camera', 'microphone'] })
  const student = await browser.newContext({ permissions: ['camera', 'microphone'] })
  try {
    const inviteUrl = await openRoomAsTutor(await tutor.newPage(), origin)
    const page = await student.newPage()
    await page.goto(inviteUrl)
    await page.getByTestId('student-name').fill('Bench Student')
    await page.getByTestId('join-lesson').click()
    await page.getByTestId('join-now').click({ timeout: WAIT_MS })
    const pressed = await waitForMark(page, 'duet:join-pressed')
    const first = await waitForMark(page, 'duet:remote-first-frame')
    const hd = await waitForMark(page, 'duet:remote-hd')
    if (process.env.BENCH_TRACE) {
      const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => `${m.name}=${m.startTime.toFixed(0)}`))
      console.log('   ', marks.join(' '))
    }
    return { firstFrame: first - pressed, toHd: hd - first }
  } finally {
    await tutor.close()
    await student.close()
  }
}

export async function benchJoinToVideo(browser: Browser, origin: string, runs: number): Promise<Record<string, Metric>> {
  const firstFrames: number[] = []
  const toHd: number[] = []
  // One untimed warm-up: the first page load compiles the app's code.
  await oneJoin(browser, origin)
  for (let i = 0; i < runs; i += 1) {
    const result = await oneJoin(browser, origin)
    firstFrames.push(result.firstFrame)
    toHd.push(result.toHd)
    console.log(`  join ${i + 1}/${runs}: first frame ${result.firstFrame.toFixed(0)} ms, HD ${result.toHd.toFixed(0)} ms later`)
  }
  return {
    join_to_first_frame_ms: metric(firstFrames, 'ms'),
    first_frame_to_hd_ms: metric(toHd, 'ms'),
  }
}
