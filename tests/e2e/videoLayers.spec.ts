import { expect, test, type Page } from '@playwright/test'
import { SECONDARY_TILE_FPS } from '../../src/renderer/media/frameCanvas/TrackCanvas'
import { chromiumArgs, chromiumExecutable } from '../support/chromium'
import { expectRemoteAudioLive, expectVideoPlaying, lessonInProgress, tileView, videoSize } from './lessonSteps'

// Cameras at 30 frames a second, as most webcams give: more than the self-view may paint (SECONDARY_TILE_FPS).
test.use({ launchOptions: { executablePath: chromiumExecutable(), args: chromiumArgs(30) } })

/** <video> elements laid out on the page: Chromium halves the frame rate of a page that shows more than one. */
function shownVideos(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('video')].filter((v) => v.checkVisibility()).map((v) => v.closest('[data-testid]')?.getAttribute('data-testid') ?? '?'),
  )
}

/**
 * The next report of a painted tile's frame count (the painter reports twice a second), with the
 * page's clock at the moment it showed: counts and times taken together, so a rate from two of them is exact.
 */
async function nextPaintReport(page: Page, tile: string): Promise<{ frames: number; at: number }> {
  const canvas = page.getByTestId(tile).locator('canvas')
  const now = Number(await canvas.getAttribute('data-frames'))
  const handle = await page.waitForFunction(
    ({ tile, now }) => {
      const frames = Number(document.querySelector(`[data-testid=${tile}] canvas`)?.getAttribute('data-frames'))
      return frames !== now ? { frames, at: performance.now() } : null
    },
    { tile, now },
    { polling: 'raf' },
  )
  return (await handle.jsonValue()) as { frames: number; at: number }
}

/** Two pictures of a tile a moment apart differ: it shows live video, not a still or a blank box. */
async function expectTileMoving(page: Page, tile: string): Promise<void> {
  const first = await page.getByTestId(tile).screenshot()
  await expect.poll(async () => Buffer.compare(first, await page.getByTestId(tile).screenshot()), { timeout: 10_000 }).not.toBe(0)
}

test('a lesson shows one video layer: the self-view and the camera beside a shared screen are painted live on canvases, with sound', async ({ browser }) => {
  const { tutor, student, close } = await lessonInProgress(browser)
  await expectVideoPlaying(tutor.page, 'remote-tile')

  // The other person is the one video; our own camera is a mirrored canvas that keeps moving.
  expect(await shownVideos(tutor.page)).toEqual(['remote-tile'])
  await expect(tutor.page.getByTestId('self-tile').locator('canvas')).toHaveClass(/mirrored/)
  await expectVideoPlaying(tutor.page, 'self-tile')
  await expectTileMoving(tutor.page, 'self-tile')
  const self = await tileView(tutor.page, 'self-tile')
  expect(self.deviceId).not.toBe('')
  expect(self.width).toBeGreaterThan(0)
  // It paints at most SECONDARY_TILE_FPS of the camera's 30 frames a second (a slow machine only paints fewer).
  const first = await nextPaintReport(tutor.page, 'self-tile')
  await tutor.page.waitForTimeout(4000)
  const last = await nextPaintReport(tutor.page, 'self-tile')
  const painted = last.frames - first.frames
  expect(painted).toBeGreaterThan(0)
  expect(painted).toBeLessThanOrEqual(SECONDARY_TILE_FPS * ((last.at - first.at) / 1000) + 2)

  // Camera off: the self-view is emptied, not frozen on its last picture; on again, it plays.
  await tutor.page.getByTestId('toggle-camera').click()
  await expect.poll(async () => (await tileView(tutor.page, 'self-tile')).width).toBe(0)
  await expect(tutor.page.getByTestId('self-tile')).toContainText('Camera off')
  await tutor.page.getByTestId('toggle-camera').click()
  await expectVideoPlaying(tutor.page, 'self-tile')

  // The student shares a screen: it becomes the one video, their camera a painted tile that still plays, and we still hear them.
  await student.page.getByTestId('toggle-share').click()
  await expectVideoPlaying(tutor.page, 'remote-screen-tile')
  await expect(tutor.page.getByTestId('remote-tile')).toHaveClass(/camera-tile/)
  expect(await shownVideos(tutor.page)).toEqual(['remote-screen-tile'])
  await expectVideoPlaying(tutor.page, 'remote-tile')
  await expectTileMoving(tutor.page, 'remote-tile')
  await expectRemoteAudioLive(tutor.page)
  // The sharer's own preview is painted too.
  await expectVideoPlaying(student.page, 'own-screen-tile')
  expect(await shownVideos(student.page)).toEqual(['remote-tile'])

  // Sharing stops: the camera is the large video again.
  await student.page.getByTestId('sharing-pill').getByRole('button').click()
  await expect(tutor.page.getByTestId('remote-tile')).toHaveClass(/remote/)
  await expectVideoPlaying(tutor.page, 'remote-tile')
  expect(await shownVideos(tutor.page)).toEqual(['remote-tile'])

  await close()
})

test('a camera shown as a small tile is sent small, and in HD again once it is large', async ({ browser }) => {
  const { tutor, student, close } = await lessonInProgress(browser)
  await expect.poll(async () => (await videoSize(tutor.page, 'remote-tile')).height, { timeout: 20_000 }).toBe(720)

  // The tutor opens the whiteboard: the student's camera becomes a small tile, and the student sends a quarter of HD.
  await tutor.page.getByTestId('toggle-board').click()
  await expect(tutor.page.getByTestId('board')).toBeVisible()
  await expect.poll(async () => (await videoSize(tutor.page, 'remote-tile')).height, { timeout: 20_000 }).toBe(180)
  await expectVideoPlaying(tutor.page, 'remote-tile')
  // The student was brought to the board too and hides it: seeing the tutor's camera large again,
  // the student gets HD from the tutor, while the tutor still shows the student small.
  await expect(student.page.getByTestId('board')).toBeVisible()
  await student.page.getByTestId('toggle-board').click()
  await expect(student.page.getByTestId('board')).toBeHidden()
  await expect.poll(async () => (await videoSize(student.page, 'remote-tile')).height, { timeout: 20_000 }).toBe(720)
  expect((await videoSize(tutor.page, 'remote-tile')).height).toBe(180)

  await tutor.page.getByTestId('toggle-board').click()
  await expect.poll(async () => (await videoSize(tutor.page, 'remote-tile')).height, { timeout: 20_000 }).toBe(720)

  await close()
})
