import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { RestartableServer } from '../support/restartableServer'
import { expectRemoteVideoPlaying, lessonInProgress } from './lessonSteps'
import { expectIndicator, libraryKeys, loadRecording, recordingUrl, storedAtLeast } from './recordingSteps'

test('the session server crashes while a browser tutor records: recording goes on in a new part, the tutor is told, both parts play', async ({ browser }) => {
  test.setTimeout(300_000)
  const server = new RestartableServer()
  await server.start()
  try {
    const { tutor, student, close } = await lessonInProgress(browser, { origin: server.url, tutorName: 'Ms Li', studentName: 'Wei' })
    await expectRemoteVideoPlaying(tutor.page)

    await tutor.page.getByTestId('toggle-recording').click()
    await expectIndicator(tutor.page, true)
    await expectIndicator(student.page, true)
    await expect.poll(async () => (await libraryKeys(tutor.page)).some((k) => k.role === 'tutor')).toBe(true)
    const [key] = (await libraryKeys(tutor.page)).filter((k) => k.role === 'tutor')
    const lessonDir = join(server.dataDir, 'recordings', key!.lessonId)
    await storedAtLeast(join(lessonDir, 'recording.webm'), 3000)

    // The server dies without a word and comes back on the same data folder.
    await server.crash()
    await server.start()

    // The tutor's page records on into a new part by itself and says so plainly; the student was told "recording" all along.
    const notice = tutor.page.getByTestId('recording-notice')
    await expect(notice).toHaveAttribute('data-notice', 'resumed', { timeout: 90_000 })
    await expect(notice).toContainText('new part')
    await expect(tutor.page.getByTestId('recording-problem')).toHaveCount(0)
    await expectIndicator(student.page, true)
    await tutor.page.screenshot({ path: 'test-results/recording-shots/resumed-after-restart.png' })
    await storedAtLeast(join(lessonDir, 'recording-2.webm'), 3000)

    await tutor.page.getByTestId('toggle-recording').click()
    await expectIndicator(student.page, false)
    await expect(notice).toHaveAttribute('data-notice', 'saved', { timeout: 30_000 })

    // The lesson record holds both parts: the one cut off by the crash (repaired at the restart) and the one after it.
    const record = JSON.parse(readFileSync(join(lessonDir, 'lesson.json'), 'utf8')) as { recordings: { file: string; status: string; problem: { code: string } | null }[] }
    expect(record.recordings.map((r) => [r.file, r.status, r.problem?.code ?? null])).toEqual([
      ['recording.webm', 'repaired', 'interrupted'],
      ['recording-2.webm', 'ready', null],
    ])
    for (const file of ['recording.webm', 'recording-2.webm']) {
      const video = await loadRecording(tutor.page, recordingUrl(server.url, key!, file), 1)
      expect(video.duration).toBeGreaterThan(2)
      expect(video.frameHasPicture).toBe(true)
    }

    await close()
  } finally {
    await server.dispose()
  }
})
