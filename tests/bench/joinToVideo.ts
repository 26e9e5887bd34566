import type { Browser } from '@playwright/test'
import { openRoomAsTutor, studentAtDeviceCheck, twoPeople, waitForMarkEpoch, WAIT_MS } from './lessonPair'
import { metric, type Metric } from './stats'

/**
 * One join as a student would do it: the tutor waits in the room, the student
 * opens the invite, passes the device check and presses Join. The page marks
 * the press, the first remote frame and the first 1280x720 remote frame.
 */
async function oneJoin(browser: Browser, origin: string): Promise<{ firstFrame: number; toHd: number }> {
  const people = await twoPeople(browser)
  try {
    const inviteUrl = await openRoomAsTutor(await people.tutor.newPage(), origin)
    const page = await people.student.newPage()
    await studentAtDeviceCheck(page, inviteUrl)
    await page.getByTestId('join-now').click({ timeout: WAIT_MS })
    const pressed = await waitForMarkEpoch(page, 'duet:join-pressed')
    const first = await waitForMarkEpoch(page, 'duet:remote-first-frame')
    const hd = await waitForMarkEpoch(page, 'duet:remote-hd')
    if (process.env.BENCH_TRACE) {
      const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => `${m.name}=${m.startTime.toFixed(0)}`))
      console.log('   ', marks.join(' '))
    }
    return { firstFrame: first - pressed, toHd: hd - first }
  } finally {
    await people.close()
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
