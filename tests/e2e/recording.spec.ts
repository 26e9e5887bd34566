import { expect, test } from '@playwright/test'
import { E2E_ORIGIN } from '../../playwright.config'
import { expectRemoteVideoPlaying, lessonInProgress } from './lessonSteps'
import { expectIndicator, libraryKeys, loadRecording, recordingUrl, stopAfter } from './recordingSteps'

test.describe('recording a lesson from the browser', () => {
  test('ten seconds recorded: the student is told, the file has the right length and seeks', async ({ browser }) => {
    const { tutor, student, close } = await lessonInProgress(browser, { tutorName: 'Ms Li', studentName: 'Wei' })
    await expectRemoteVideoPlaying(tutor.page)
    await expectRemoteVideoPlaying(student.page)

    await tutor.page.getByTestId('toggle-recording').click()
    await expectIndicator(tutor.page, true)
    // The student sees it too, and is told in words.
    await expectIndicator(student.page, true)
    await expect(student.page.getByTestId('recording-notice')).toHaveAttribute('data-notice', 'started')
    await expect(student.page.getByTestId('recording-notice')).toContainText('Ms Li')

    // How long the app itself says it encoded (its own marks): the test's timer may run late on a busy machine.
    const recorded = await stopAfter(tutor.page, 10_000)
    expect(recorded).toBeGreaterThan(9_000)
    await expectIndicator(student.page, false)
    await expect(tutor.page.getByTestId('recording-notice')).toHaveAttribute('data-notice', 'saved', { timeout: 20_000 })

    const [key] = (await libraryKeys(tutor.page)).filter((k) => k.role === 'tutor')
    expect(key).toBeTruthy()
    const video = await loadRecording(tutor.page, recordingUrl(E2E_ORIGIN, key!), 5)
    expect(video.width).toBe(1280)
    expect(video.height).toBe(720)
    // The file is as long as what was recorded.
    expect(Math.abs(video.duration * 1000 - recorded)).toBeLessThan(500)
    expect(Math.abs(video.seekedTo - 5)).toBeLessThan(0.1)
    expect(video.frameHasPicture).toBe(true)
    // The student's browser got a key to the same recording.
    expect((await libraryKeys(student.page)).map((k) => k.lessonId)).toContain(key!.lessonId)

    await close()
  })

  test('a recording cut off by closing the tutor’s page is repaired and plays', async ({ browser }) => {
    const { tutor, student, close } = await lessonInProgress(browser, { tutorName: 'Ms Li', studentName: 'Wei' })
    await expectRemoteVideoPlaying(student.page)
    await tutor.page.getByTestId('toggle-recording').click()
    await expectIndicator(student.page, true)
    await tutor.page.waitForTimeout(6_000)
    const [key] = await libraryKeys(tutor.page)
    // The tutor's laptop dies: no stop, no close, the upload just ends.
    await tutor.page.close()
    // The server gives the tutor time to come back, then switches recording off for the student and repairs the file.
    await expectIndicator(student.page, false)
    const page = await tutor.context.newPage()
    await page.goto('/')
    await expect
      .poll(async () => (await page.request.post(`${E2E_ORIGIN}/api/library/list`, { data: { keys: [key!.key] } }).then((r) => r.json())).entries[0]?.recordings[0]?.status, { timeout: 20_000 })
      .toBe('repaired')
    const video = await loadRecording(page, recordingUrl(E2E_ORIGIN, key!), 2)
    // About six seconds were recorded; at most the last two may be lost.
    expect(video.duration).toBeGreaterThan(3.5)
    expect(video.duration).toBeLessThan(7)
    expect(video.frameHasPicture).toBe(true)
    await close()
  })
})
