import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { pictureFile } from './chatSteps'
import { closeAll, expectRemoteVideoPlaying, chooseLanguage, lessonInProgress, tutorEndsLesson } from './lessonSteps'
import { openBoard, passOf, reopenRoom } from './boardSteps'
import { expectIndicator, stopAfter } from './recordingSteps'
import { expectAccessible } from './screenChecks'

/** Screenshots to look at (CHAT_SCREENSHOTS picks the folder). */
const shot = (name: string): string => resolve(process.env.CHAT_SCREENSHOTS ?? 'test-results/chat-screens', name)

async function openChat(page: Page): Promise<void> {
  await page.keyboard.press('Control+Shift+C')
  await expect(page.getByTestId('chat-panel')).toBeVisible()
}

/** A file dropped on the chat panel, the way a person drags one from their files. */
async function dropFile(page: Page, name: string, content: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(([n, c]) => {
    const data = new DataTransfer()
    data.items.add(new File([c], n, { type: 'image/png' }))
    return data
  }, [name, content] as const)
  await page.getByTestId('chat-panel').dispatchEvent('drop', { dataTransfer })
}

async function write(page: Page, text: string): Promise<void> {
  await page.getByTestId('chat-input').fill(text)
  await page.getByTestId('chat-input').press('Enter')
}

test('chat in a lesson: text, a formula and a picture both ways, the picture on the board, an absent student catches up with an unread count, the chat in the lesson record', async ({ browser }) => {
  test.setTimeout(240_000)
  const lesson = await lessonInProgress(browser, { tutorName: 'Ms Li', studentName: 'Wei' })
  const tutor = lesson.tutor
  let student = lesson.student
  await expectRemoteVideoPlaying(tutor.page)
  await expectRemoteVideoPlaying(student.page)

  // The tutor records a few seconds, so chat messages land on the recording's timeline too.
  await tutor.page.getByTestId('toggle-recording').click()
  await expectIndicator(student.page, true)

  // Tutor opens the chat with the keyboard and writes text with Markdown; Shift+Enter is a new line, Enter sends.
  await openChat(tutor.page)
  const input = tutor.page.getByTestId('chat-input')
  await input.fill('Welcome! Read **page 4**')
  await input.press('Shift+Enter')
  await input.pressSequentially('then try [the notes](https://example.com/notes)')
  await expect(input).toHaveValue('Welcome! Read **page 4**\nthen try [the notes](https://example.com/notes)')
  // A lesson action works from the chat box, as in Teams: Ctrl+Shift+M mutes and unmutes mid-sentence, typing nothing.
  await input.press('Control+Shift+M')
  await expect(student.page.getByTestId('peer-muted')).toBeVisible()
  await input.press('Control+Shift+M')
  await expect(student.page.getByTestId('peer-muted')).toHaveCount(0)
  await expect(input).toBeFocused()
  await expect(input).toHaveValue('Welcome! Read **page 4**\nthen try [the notes](https://example.com/notes)')
  await input.press('Enter')
  await expect(input).toHaveValue('')

  // The student, with the chat closed, gets a badge; opening it shows the message, rendered.
  await expect(student.page.getByTestId('chat-unread')).toHaveText('1')
  await expect(student.page.getByTestId('toggle-chat')).toHaveAccessibleName('Chat, 1 unread message')
  await student.page.getByTestId('toggle-chat').click()
  await expect(student.page.getByTestId('chat-unread')).toHaveCount(0)
  const first = student.page.getByTestId('chat-message').first()
  await expect(first.locator('strong', { hasText: 'page 4' })).toBeVisible()
  const link = first.locator('a', { hasText: 'the notes' })
  await expect(link).toHaveAttribute('href', 'https://example.com/notes')
  await expect(link).toHaveAttribute('target', '_blank')

  // The student starts typing: the tutor sees it. Then a formula, typeset on both sides.
  await student.page.getByTestId('chat-input').pressSequentially('Is it ')
  await expect(tutor.page.getByTestId('chat-typing')).toHaveAttribute('data-typing', 'true')
  await expect(tutor.page.getByTestId('chat-typing')).toContainText('Wei')
  await student.page.getByTestId('chat-input').fill('Is it $\\frac{1}{2}+\\frac{1}{3}=\\frac{5}{6}$?')
  await student.page.getByTestId('chat-input').press('Enter')
  const formula = tutor.page.getByTestId('chat-message').nth(1)
  await expect(formula.locator('.katex')).toBeVisible()
  await expect(formula.locator('.katex-html .mfrac')).toHaveCount(3)
  await expect(tutor.page.getByTestId('chat-typing')).toHaveAttribute('data-typing', 'false')
  await expect(student.page.getByTestId('chat-message').nth(1).locator('.katex')).toBeVisible()

  // Script in a message stays text.
  await write(tutor.page, '<img src=x onerror="document.title=\'owned\'"> is just text')
  await expect(student.page.getByTestId('chat-message').nth(2)).toContainText('<img src=x onerror=')
  expect(await student.page.title()).not.toBe('owned')
  await expect(student.page.getByTestId('chat-message').nth(2).locator('img')).toHaveCount(0)

  // Closing the panel (to look at the board) keeps what was written and not sent.
  await tutor.page.getByTestId('chat-input').fill('Half a thought about $x^2$')
  await tutor.page.getByTestId('toggle-chat').click()
  await expect(tutor.page.getByTestId('chat-panel')).toHaveCount(0)
  await openChat(tutor.page)
  await expect(tutor.page.getByTestId('chat-input')).toHaveValue('Half a thought about $x^2$')
  await tutor.page.getByTestId('chat-input').fill('')

  // A page saved as .png is not a picture: dropped on the panel, it is refused in words, with no Try again; nothing reaches the student.
  await dropFile(tutor.page, 'answers.png', '<html><script>document.title="owned"</script></html>')
  await expect(tutor.page.getByTestId('chat-problem')).toHaveAttribute('data-code', 'chat_file_unsupported')
  await expect(tutor.page.getByTestId('chat-pending').getByTestId('chat-retry')).toHaveCount(0)
  await tutor.page.getByTestId('chat-discard').click()
  await expect(tutor.page.getByTestId('chat-pending')).toHaveCount(0)
  await expect(tutor.page.getByTestId('chat-problem')).toHaveCount(0)

  // The student sends a picture of their work; the tutor sees it and puts it on the board with one click.
  const sentPicture = await pictureFile(student.page)
  await student.page.getByTestId('chat-file-input').setInputFiles(sentPicture)
  const picture = tutor.page.getByTestId('chat-message').nth(3).getByTestId('chat-picture')
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 15_000 }).toBe(64)
  await expect(tutor.page.getByTestId('chat-message').nth(3)).toContainText('作业-题3.png')
  await expect.poll(() => student.page.getByTestId('chat-picture').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64)
  await tutor.page.screenshot({ path: shot('chat-tutor-en.png') })
  await expectAccessible(tutor.page, 'chat-tutor-en')
  // A click shows the picture large, as chat apps do; Escape closes it and the focus is back on it.
  const openPicture = tutor.page.getByTestId('chat-message').nth(3).getByTestId('chat-picture-open')
  await openPicture.click()
  const large = tutor.page.getByTestId('chat-picture-view')
  await expect(large).toBeVisible()
  await expect.poll(() => large.getByTestId('chat-picture-large').evaluate((img: HTMLImageElement) => img.getBoundingClientRect().width)).toBeGreaterThan(400)
  await tutor.page.screenshot({ path: shot('chat-picture-large-en.png') })
  await tutor.page.keyboard.press('Escape')
  await expect(large).toBeHidden()
  await expect(openPicture).toBeFocused()
  await expect(tutor.page.getByTestId('chat-panel')).toBeVisible()
  await chooseLanguage(student.page, 'zh-CN')
  await student.page.screenshot({ path: shot('chat-student-zh-CN.png') })
  await expectAccessible(student.page, 'chat-student-zh-CN')

  const studentBoard = await openBoard(student.page)
  const pagesBefore = Number(await studentBoard.getAttribute('data-page-count'))
  await tutor.page.getByTestId('chat-message').nth(3).getByTestId('chat-to-board').click()
  const tutorBoard = tutor.page.getByTestId('board')
  await expect(tutorBoard).toBeVisible()
  await expect(tutorBoard).toHaveAttribute('data-page-count', String(pagesBefore + 1))
  await expect(studentBoard).toHaveAttribute('data-page-count', String(pagesBefore + 1))
  await expect(tutorBoard).toHaveAttribute('data-page-index', String(pagesBefore))
  await tutor.page.screenshot({ path: shot('chat-picture-on-board-en.png') })

  await stopAfter(tutor.page, 1_000)
  await expectIndicator(student.page, false)

  // The student goes away (the window closes); the tutor writes meanwhile.
  const pass = await passOf(student.page)
  await student.context.close()
  await expect(tutor.page.getByTestId('room')).toHaveAttribute('data-peer-presence', /reconnecting|left/)
  await write(tutor.page, 'When you are back: exercise 5')
  await write(tutor.page, 'and $x^2-1=(x-1)(x+1)$')
  await expect(tutor.page.getByTestId('chat-message')).toHaveCount(6)

  // The student comes back: two unread on the badge, and the messages are there when the chat opens.
  student = await reopenRoom(browser, pass)
  await expect(student.page.getByTestId('chat-unread')).toHaveText('2')
  await expect(student.page.getByTestId('toggle-chat')).toHaveAccessibleName('Chat, 2 unread messages')
  await student.page.screenshot({ path: shot('chat-unread-badge-en.png') })
  await expectAccessible(student.page, 'chat-unread-badge-en')
  await student.page.getByTestId('toggle-chat').click()
  await expect(student.page.getByTestId('chat-message')).toHaveCount(6)
  await expect(student.page.getByTestId('chat-message').nth(4)).toContainText('exercise 5')
  await expect(student.page.getByTestId('chat-message').nth(5).locator('.katex')).toBeVisible()
  // The newest message is in view, though the picture above it arrived (and grew the list) after the panel opened.
  await expect(student.page.getByTestId('chat-message').nth(5)).toBeInViewport({ ratio: 1 })
  await expect(student.page.getByTestId('chat-unread')).toHaveCount(0)
  await chooseLanguage(student.page, 'zh-CN')
  await student.page.screenshot({ path: shot('chat-back-zh-CN.png') })

  // The tutor ends the lesson: the chat is part of the lesson record in the library.
  await tutorEndsLesson(tutor.page)
  await tutor.page.getByTestId('summary-library').click()
  const item = tutor.page.getByTestId('library-item')
  await expect(item).toHaveCount(1)
  await expect(item.getByTestId('library-chat')).toBeVisible({ timeout: 20_000 })
  await item.getByTestId('library-chat').click()
  const notes = tutor.page.getByTestId('library-notes-text')
  await expect(notes).toContainText('exercise 5')
  await expect(notes).toContainText('作业-题3.png')
  await expect(notes.locator('.katex').first()).toBeVisible()
  await expect(notes).toContainText('<img src=x onerror=')
  await expect(notes.locator('img')).toHaveCount(0)
  await tutor.page.screenshot({ path: shot('chat-in-library-en.png') })
  await expectAccessible(tutor.page, 'chat-in-library-en')
  await tutor.page.getByTestId('library-notes-close').click()
  // The picture the student sent is kept with the record under its own name, and downloads as it was sent.
  const kept = item.getByTestId('library-chat-file')
  await expect(kept).toHaveCount(1)
  await expect(kept).toHaveText('作业-题3.png')
  await tutor.page.screenshot({ path: shot('chat-files-in-library-en.png') })
  await expectAccessible(tutor.page, 'chat-files-in-library-en')
  const [download] = await Promise.all([tutor.page.waitForEvent('download'), kept.click()])
  expect(download.suggestedFilename()).toBe('作业-题3.png')
  expect(readFileSync(await download.path())).toEqual(sentPicture.buffer)
  // The student finds it in their own browser's library too (in Chinese, as they chose).
  await student.page.goto('/library')
  const theirs = student.page.getByTestId('library-item').getByTestId('library-chat-file')
  await expect(theirs).toHaveText('作业-题3.png')
  await expect(student.page.getByTestId('library-chat-files')).toContainText('聊天中发送的文件')
  await student.page.screenshot({ path: shot('chat-files-in-library-zh-CN.png') })
  const [theirDownload] = await Promise.all([student.page.waitForEvent('download'), theirs.click()])
  expect(readFileSync(await theirDownload.path())).toEqual(sentPicture.buffer)
  // A marker per message sent while recording, on the player's timeline.
  await item.getByTestId('library-play').first().click()
  await expect(tutor.page.getByTestId('library-player').locator('[data-kind="chat-message"]').first()).toBeAttached()

  await closeAll(tutor, student)
})
