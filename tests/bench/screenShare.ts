import type { Browser, Page } from '@playwright/test'
import { lessonInProgress, twoPeople, waitForMarkEpoch } from './lessonPair'
import { metric, type Metric } from './stats'

const SAMPLE_SECONDS = 10

/**
 * Frames per second and picture height the receiver actually shows, second by
 * second. Sent as source text: tsx's name-keeping helpers do not exist in the page.
 */
async function sampleScreen(page: Page, seconds: number): Promise<{ fps: number[]; heights: number[] }> {
  await page.getByTestId('remote-screen-tile').locator('video').waitFor()
  return page.evaluate(`(async () => {
    const video = document.querySelector('[data-testid=remote-screen-tile] video')
    const fps = []
    const heights = []
    for (let s = 0; s < ${seconds}; s += 1) {
      let frames = 0
      const start = performance.now()
      await new Promise((resolve) => {
        const onFrame = () => {
          frames += 1
          if (performance.now() - start < 1000) video.requestVideoFrameCallback(onFrame)
          else resolve()
        }
        video.requestVideoFrameCallback(onFrame)
      })
      fps.push((frames * 1000) / (performance.now() - start))
      heights.push(video.videoHeight)
    }
    return { fps, heights }
  })()`)
}

/**
 * The student shares their screen (Chromium's fake 1920x1080 capture) while
 * both cameras run: time from the source being chosen to the tutor seeing the
 * first screen frame, then what the tutor receives.
 */
async function oneShare(browser: Browser, origin: string, sample: boolean) {
  const people = await twoPeople(browser)
  try {
    const { tutor, student } = await lessonInProgress(people, origin)
    await waitForMarkEpoch(tutor, 'duet:remote-first-frame')
    await student.getByTestId('toggle-share').click()
    const chosen = await waitForMarkEpoch(student, 'duet:share-source-chosen')
    const shown = await waitForMarkEpoch(tutor, 'duet:remote-screen-first-frame')
    const received = sample ? await sampleScreen(tutor, SAMPLE_SECONDS) : null
    return { toFirstFrame: shown - chosen, received }
  } finally {
    await people.close()
  }
}

export async function benchScreenShare(browser: Browser, origin: string, runs: number): Promise<Record<string, Metric>> {
  const toFirst: number[] = []
  let fps: number[] = []
  let heights: number[] = []
  await oneShare(browser, origin, false)
  for (let i = 0; i < runs; i += 1) {
    // Sample the received picture in the last run only: it takes SAMPLE_SECONDS.
    const result = await oneShare(browser, origin, i === runs - 1)
    toFirst.push(result.toFirstFrame)
    if (result.received) ({ fps, heights } = result.received)
    console.log(`  share ${i + 1}/${runs}: first screen frame ${result.toFirstFrame.toFixed(0)} ms after choosing`)
  }
  return {
    share_to_first_frame_ms: metric(toFirst, 'ms'),
    screen_receive_fps: metric(fps, 'fps'),
    screen_receive_height: metric(heights, 'px'),
  }
}
