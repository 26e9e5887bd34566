import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { aiEnvFor, startFakeModel, type FakeModel } from '../support/fakeModel'
import { drawPath, openBoard, pickTool } from './boardSteps'
import { expectRemoteVideoPlaying, lessonInProgress, tutorEndsLesson } from './lessonSteps'
import { startRecordingServer, type RecordingServer } from './recordingServer'
import { expectIndicator, frameColours, libraryKeys, recordedAtLeast, recordedSeconds, recordingUrl } from './recordingSteps'

/** Screenshots to look at (RECORDING_SCREENSHOTS picks the folder). */
const shot = (name: string): string => resolve(process.env.RECORDING_SCREENSHOTS ?? 'test-results/recording-screens', name)
/** The board's red (PALETTE[1]). */
const RED: [number, number, number] = [0xe0, 0x31, 0x31]

// The lesson record beyond the recording: the board in the composite, its
// pages as a PDF, the AI conversation and the markers that lead into the
// video. A session server of its own with a data directory and a local fake
// OpenAI-compatible model.
let fake: FakeModel
let server: RecordingServer

test.beforeAll(async () => {
  fake = await startFakeModel({ tokens: ['Divide', ' both sides', ' by 2.'] })
  server = await startRecordingServer(aiEnvFor(fake))
})
test.afterAll(async () => {
  await server?.stop()
  await fake?.close()
})

test('the board recorded as the main area, its pages as a PDF, the AI conversation and markers in the lesson record', async ({ browser }) => {
  test.setTimeout(420_000)
  const { tutor, student, close } = await lessonInProgress(browser, { origin: server.url, tutorName: 'Ms Li', studentName: 'Wei' })
  await expectRemoteVideoPlaying(tutor.page)

  // The tutor opens the board and writes in thick red ink.
  const board = await openBoard(tutor.page)
  await pickTool(tutor.page, 'pen')
  await tutor.page.locator('.tb-swatch[aria-label$="#e03131"]').click()
  await tutor.page.getByRole('button', { name: 'Thick' }).click()
  for (const y of [0.3, 0.45, 0.6]) await drawPath(tutor.page, [[0.25, y], [0.45, y + 0.06], [0.65, y], [0.75, y + 0.06]], { steps: 4 })
  await expect(board).toHaveAttribute('data-stroke-count', '3')

  // Recording: page 1 with the ink, the student asks the AI, page 2, the board closes, the camera again.
  await tutor.page.getByTestId('toggle-recording').click()
  await expectIndicator(student.page, true)
  await recordedAtLeast(tutor.page, 2)
  await student.page.keyboard.press('Control+Shift+A')
  await student.page.getByTestId('ai-input').fill('What is 2x = 6?')
  await student.page.getByTestId('ai-input').press('Enter')
  await expect(student.page.getByTestId('ai-msg-assistant').last()).toContainText('Divide both sides by 2.')
  await recordedAtLeast(tutor.page, 4)
  await tutor.page.getByTestId('add-blank').click()
  await expect(board).toHaveAttribute('data-page-index', '1')
  const pageTurnedAt = await recordedSeconds(tutor.page)
  await recordedAtLeast(tutor.page, pageTurnedAt + 3)
  await tutor.page.getByTestId('toggle-board').click()
  await expect(board).toBeHidden()
  await recordedAtLeast(tutor.page, pageTurnedAt + 6)
  // The lesson's files are made and stored in the background once recording stops (ending the lesson does not wait).
  const saved = (name: string) => tutor.page.waitForResponse((r) => r.url().endsWith(`/files/${name}`) && r.request().method() === 'POST' && r.ok(), { timeout: 120_000 })
  const filesSaved = Promise.all([saved('board.pdf'), saved('ai.md')])
  await tutor.page.getByTestId('toggle-recording').click()
  await expectIndicator(student.page, false)

  await tutorEndsLesson(tutor.page)
  await filesSaved
  await tutor.page.getByTestId('summary-library').click()

  const item = tutor.page.getByTestId('library-item')
  await expect(item).toHaveCount(1)
  await expect(item.getByTestId('library-board-pdf')).toBeVisible()
  await expect(item.getByTestId('library-ai')).toBeVisible()
  await tutor.page.screenshot({ path: shot('library-board-ai-en.png') })

  // The board's pages as a PDF: two pages.
  const pdfUrl = await item.getByTestId('library-board-pdf').getAttribute('href')
  const pdf = await tutor.page.evaluate(async (url) => {
    const text = new TextDecoder('latin1').decode(await (await fetch(url)).arrayBuffer())
    return { magic: text.slice(0, 5), pages: (text.match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length }
  }, pdfUrl!)
  expect(pdf).toEqual({ magic: '%PDF-', pages: 2 })

  // The player: markers for the AI question and the page change; the page marker jumps there.
  await item.getByTestId('library-play').first().click()
  const player = tutor.page.getByTestId('library-player')
  const video = player.getByTestId('player-video')
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.duration), { timeout: 15_000 }).toBeGreaterThan(9)
  const duration = await video.evaluate((v: HTMLVideoElement) => v.duration)
  await expect(player.locator('[data-testid=timeline-marker][data-kind=ai-question]')).toHaveCount(1)
  await expect(player.locator('[data-testid=timeline-marker][data-kind=ai-question]')).toHaveAttribute('aria-label', /Wei: What is 2x = 6\?/)
  const pageMarker = player.locator('[data-testid=timeline-marker][data-kind=page]')
  await expect(pageMarker).toHaveCount(1)
  const pageAt = Number(await pageMarker.getAttribute('data-time'))
  expect(pageAt).toBeGreaterThan(2)
  expect(pageAt).toBeLessThan(duration - 2)
  await pageMarker.click()
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThanOrEqual(pageAt - 0.1)
  await tutor.page.screenshot({ path: shot('library-player-board-markers-en.png') })
  await player.getByTestId('player-close').click()

  // What the recording shows: page 1 with the red ink before the page marker, blank page 2 after it, and at the end
  // (board closed) the student's camera, no paper.
  const [key] = (await libraryKeys(tutor.page)).filter((k) => k.role === 'tutor')
  const url = recordingUrl(server.url, key!)
  const beforePage = await frameColours(tutor.page, url, pageAt - 1, RED)
  const afterPage = await frameColours(tutor.page, url, pageAt + 1, RED)
  const atEnd = await frameColours(tutor.page, url, duration - 0.3, RED)
  console.log('frame colours', JSON.stringify({ playerDuration: duration, pageAt, beforePage, afterPage, atEnd }))
  expect(beforePage.ink).toBeGreaterThan(0.0008)
  expect(beforePage.white).toBeGreaterThan(0.15)
  expect(afterPage.ink).toBeLessThan(0.0001)
  expect(afterPage.white).toBeGreaterThan(0.15)
  expect(atEnd.white).toBeLessThan(0.02)

  // The AI conversation, read in the library as Markdown.
  await item.getByTestId('library-ai').click()
  const notes = tutor.page.getByTestId('library-notes-text')
  await expect(notes).toContainText('What is 2x = 6?')
  await expect(notes).toContainText('Divide both sides by 2.')
  await expect(notes.locator('h1')).toContainText('Wei')
  await tutor.page.screenshot({ path: shot('library-ai-conversation-en.png') })
  await tutor.page.getByTestId('library-notes-close').click()

  // The student's browser lists the same lesson with the same files.
  await student.page.goto('/library')
  await expect(student.page.getByTestId('library-item')).toHaveCount(1)
  await expect(student.page.getByTestId('library-board-pdf')).toBeVisible()
  await expect(student.page.getByTestId('library-ai')).toBeVisible()
  await close()
})

test('a lesson never recorded still leaves a record with its board pages, for both people', async ({ browser }) => {
  test.setTimeout(300_000)
  const { tutor, student, close } = await lessonInProgress(browser, { origin: server.url, tutorName: 'Ms Li', studentName: 'Ana' })
  const board = await openBoard(tutor.page)
  await pickTool(tutor.page, 'pen')
  await drawPath(tutor.page, [[0.3, 0.4], [0.5, 0.5], [0.7, 0.4]], { steps: 4 })
  await expect(board).toHaveAttribute('data-stroke-count', '1')

  const pdfSaved = tutor.page.waitForResponse((r) => r.url().endsWith('/files/board.pdf') && r.request().method() === 'POST' && r.ok(), { timeout: 120_000 })
  await tutorEndsLesson(tutor.page)
  await pdfSaved
  await tutor.page.getByTestId('summary-library').click()
  const item = tutor.page.getByTestId('library-item').filter({ hasText: 'Lesson with Ana' })
  await expect(item).toHaveCount(1)
  await expect(item).toContainText('Not recorded')
  await expect(item.getByTestId('library-board-pdf')).toBeVisible()
  await expect(item.getByTestId('library-play')).toHaveCount(0)
  await expect(item.getByTestId('library-ai')).toHaveCount(0)

  await student.page.goto('/library')
  const theirs = student.page.getByTestId('library-item').filter({ hasText: 'Lesson with Ms Li' })
  await expect(theirs).toHaveCount(1)
  await expect(theirs.getByTestId('library-board-pdf')).toBeVisible()
  await close()
})
