import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { expectRemoteVideoPlaying, expectVideoPlaying, chooseLanguage, lessonInProgress, tutorEndsLesson } from './lessonSteps'
import { expectIndicator, libraryKeys, stopAfter } from './recordingSteps'
import { expectAccessible } from './screenChecks'

/** Screenshots to look at (RECORDING_SCREENSHOTS picks the folder). */
const shot = (name: string): string => resolve(process.env.RECORDING_SCREENSHOTS ?? 'test-results/recording-screens', name)
/** The e2e session server's data directory (playwright.config.ts). */
const DATA_DIR = resolve('test-results/e2e-data')

test('recorded lesson in the library: indicator for both (en, zh-CN), thumbnail, player with markers, rename, damaged file listed and removed', async ({ browser }) => {
  test.setTimeout(180_000)
  const { tutor, student, close } = await lessonInProgress(browser, { tutorName: 'Ms Li', studentName: 'Wei' })
  await expectRemoteVideoPlaying(tutor.page)
  await chooseLanguage(student.page, 'zh-CN')

  await tutor.page.getByTestId('toggle-recording').click()
  await expectIndicator(student.page, true)
  await expect(student.page.getByTestId('recording-notice')).toContainText('Ms Li 开始录制本节课')
  await expect(tutor.page.getByTestId('recording-elapsed')).toHaveText(/0:0[1-9]/)
  // The tutor shares a screen a moment in: the recording follows (screen large, cameras beside it) and marks it.
  await tutor.page.getByTestId('toggle-share').click()
  await expectVideoPlaying(student.page, 'remote-screen-tile')
  await tutor.page.screenshot({ path: shot('indicator-tutor-en.png') })
  await student.page.screenshot({ path: shot('indicator-student-zh-CN.png') })
  await chooseLanguage(tutor.page, 'zh-CN')
  await chooseLanguage(student.page, 'en')
  await expect(student.page.getByTestId('recording-notice')).toContainText('Ms Li started recording this lesson')
  await tutor.page.screenshot({ path: shot('indicator-tutor-zh-CN.png') })
  await student.page.screenshot({ path: shot('indicator-student-en.png') })
  await chooseLanguage(tutor.page, 'en')

  await stopAfter(tutor.page, 8_000)
  await expectIndicator(student.page, false)
  await tutorEndsLesson(tutor.page)
  await tutor.page.getByTestId('summary-library').click()

  // The lesson is in the library with its thumbnail, date, people, duration.
  const item = tutor.page.getByTestId('library-item')
  await expect(item).toHaveCount(1)
  await expect(item.getByTestId('library-title')).toHaveText('Lesson with Wei')
  await expect(item).toContainText('Ms Li · Wei')
  await expect.poll(() => item.getByTestId('library-thumbnail').evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 15_000 }).toBe(320)
  await tutor.page.screenshot({ path: shot('library-en.png') })
  await expectAccessible(tutor.page, 'library-en')

  // Play, and jump to the moment the screen share started.
  await item.getByTestId('library-play').first().click()
  const player = tutor.page.getByTestId('library-player')
  await expect(player).toBeVisible()
  const video = player.getByTestId('player-video')
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.duration), { timeout: 15_000 }).toBeGreaterThan(7)
  const markers = player.getByTestId('timeline-marker')
  await expect(markers).toHaveCount(2) // recording started, screen sharing started
  const shareAt = Number(await markers.nth(1).getAttribute('data-time'))
  expect(shareAt).toBeGreaterThan(0.5)
  await markers.nth(1).click()
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThanOrEqual(shareAt - 0.1)
  await tutor.page.screenshot({ path: shot('library-player-en.png') })
  await expectAccessible(tutor.page, 'library-player-en')
  // Escape closes the player and the focus goes back to Play, as in any other app's dialog.
  await tutor.page.keyboard.press('Escape')
  await expect(player).toBeHidden()
  await expect(item.getByTestId('library-play').first()).toBeFocused()

  // The student finds the same recording in their own browser's library (no rename or delete for them).
  await student.page.goto('/library')
  await expect(student.page.getByTestId('library-item')).toHaveCount(1)
  await expect(student.page.getByTestId('library-title')).toHaveText('Lesson with Ms Li')
  await expect(student.page.getByTestId('library-delete')).toHaveCount(0)
  await expect(student.page.getByTestId('library-play')).toBeVisible()

  // Rename.
  await item.getByTestId('library-rename').click()
  await item.getByTestId('library-rename-input').fill('Quadratic equations')
  await item.getByTestId('library-rename-save').click()
  await expect(item.getByTestId('library-title')).toHaveText('Quadratic equations')
  await tutor.page.getByTestId('library-search').fill('quadratic')
  await expect(item).toHaveCount(1)
  await tutor.page.getByTestId('library-search').fill('nobody')
  await expect(item).toHaveCount(0)
  await tutor.page.getByTestId('library-search').fill('')

  // A file damaged on disk: listed with the reason, the screen keeps working, and it can be removed.
  const [key] = (await libraryKeys(tutor.page)).filter((k) => k.role === 'tutor')
  writeFileSync(resolve(DATA_DIR, 'recordings', key!.lessonId, 'recording.webm'), 'this is not a video any more')
  await tutor.page.reload()
  await chooseLanguage(tutor.page, 'zh-CN')
  await expect(item).toHaveAttribute('data-damaged', 'true')
  await expect(item.getByTestId('library-problem')).toContainText('录像文件不是视频')
  await tutor.page.screenshot({ path: shot('library-damaged-zh-CN.png') })
  await item.getByTestId('library-delete').click()
  await tutor.page.getByTestId('library-delete-yes').click()
  await expect(item).toHaveCount(0)
  await expect(tutor.page.getByTestId('library-empty')).toBeVisible()

  await close()
})
