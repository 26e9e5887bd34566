import { expect, test } from '@playwright/test'
import { expectVideoPlaying, lessonInProgress, videoSize } from './lessonSteps'

test('either side shares a screen: the other sees it large at full size, cameras stay live, stopping restores the layout', async ({ browser }) => {
  const { tutor, student, close } = await lessonInProgress(browser)
  await expectVideoPlaying(tutor.page, 'remote-tile')

  // The student shows their homework screen (Chromium's fake screen capture).
  await student.page.getByTestId('toggle-share').click()
  await expect(student.page.getByTestId('sharing-pill')).toBeVisible()
  await expect(student.page.getByTestId('own-screen-tile')).toBeVisible()
  await expectVideoPlaying(tutor.page, 'remote-screen-tile')
  // Sent at its real size (1920x1080 capture), not scaled down to a thumbnail.
  await expect.poll(async () => (await videoSize(tutor.page, 'remote-screen-tile')).height, { timeout: 15_000 }).toBeGreaterThanOrEqual(1080)
  // The student's camera keeps playing, moved to a small tile.
  await expect(tutor.page.getByTestId('remote-tile')).toHaveClass(/camera-tile/)
  await expectVideoPlaying(tutor.page, 'remote-tile')
  await expectVideoPlaying(student.page, 'remote-tile')

  // Stopping returns the layout; the camera is still live.
  await student.page.getByTestId('sharing-pill').getByRole('button').click()
  await expect(tutor.page.getByTestId('remote-screen-tile')).toHaveCount(0)
  await expect(tutor.page.getByTestId('remote-tile')).toHaveClass(/remote/)
  await expect(student.page.getByTestId('own-screen-tile')).toHaveCount(0)
  await expectVideoPlaying(tutor.page, 'remote-tile')

  // The tutor shares next (keyboard shortcut), the student sees it.
  await tutor.page.keyboard.press('Control+Shift+S')
  await expectVideoPlaying(student.page, 'remote-screen-tile')
  await tutor.page.getByTestId('toggle-share').click()
  await expect(student.page.getByTestId('remote-screen-tile')).toHaveCount(0)
  await expectVideoPlaying(student.page, 'remote-tile')

  await close()
})
