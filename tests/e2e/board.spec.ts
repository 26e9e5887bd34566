import { expect, test } from '@playwright/test'
import { drawPath, expectStrokes, openBoard, pickTool, squiggle, waitForFrame } from './boardSteps'
import { lessonInProgress } from './lessonSteps'

test('both draw live, each undoes only their own, every tool and shortcut works', async ({ browser }) => {
  // Two live video calls plus two boards on a small CI machine: pointer input is slow here.
  test.setTimeout(240_000)
  const { tutor, student, close } = await lessonInProgress(browser)
  await openBoard(tutor.page)
  // The tutor opening the board brings the student to it. B hides it (its button then says the
  // tutor is on the board) and shows it again.
  const studentBoard = student.page.getByTestId('board')
  await expect(studentBoard).toBeVisible()
  await student.page.keyboard.press('b')
  await expect(studentBoard).toBeHidden()
  await expect(student.page.getByTestId('board-tutor-on')).toBeVisible()
  await expect(student.page.getByTestId('toggle-board')).toHaveAttribute('title', 'Your tutor is on the whiteboard. Whiteboard (B)')
  await student.page.keyboard.press('b')
  await expect(student.page.getByTestId('board-tutor-on')).toHaveCount(0)
  await openBoard(student.page)
  // With the board taking the stage, the other person's camera is a small tile that still says who it is.
  await expect(student.page.getByTestId('remote-tile').locator('.video-label')).toHaveText('Ms Rivera')
  await expect(tutor.page.getByTestId('remote-tile').locator('.video-label')).toHaveText('Sam')

  // The student sees the tutor's stroke while the tutor's pen is still down.
  await drawPath(tutor.page, squiggle(0.15, 0.25), { keepDown: true })
  await expectStrokes(student.page, 1)
  await tutor.page.mouse.up()
  await drawPath(student.page, squiggle(0.45, 0.3))
  await expectStrokes(tutor.page, 2)
  await drawPath(tutor.page, squiggle(0.15, 0.45))
  await expectStrokes(student.page, 3)

  // The student's undo takes back only the student's stroke; redo brings it back.
  await student.page.keyboard.press('Control+z')
  await expectStrokes(tutor.page, 2)
  await expectStrokes(student.page, 2)
  await student.page.keyboard.press('Control+Shift+z')
  await expectStrokes(tutor.page, 3)
  await student.page.keyboard.press('Control+z')
  await expectStrokes(tutor.page, 2)
  await expect(student.page.getByTestId('board-redo')).toBeEnabled()

  // One key per tool, as in Excalidraw and tldraw (V selects, and leaves the camera alone);
  // the room's own keys (Ctrl+Shift+M mute) still work while the board is shown.
  for (const [key, tool] of [['h', 'hl'], ['l', 'line'], ['a', 'arrow'], ['r', 'rect'], ['o', 'ellipse'], ['t', 'text'], ['e', 'eraser'], ['k', 'laser'], ['v', 'select'], ['p', 'pen']] as const) {
    await tutor.page.keyboard.press(key)
    await expect(tutor.page.getByTestId('board')).toHaveAttribute('data-tool', tool)
  }
  await expect(tutor.page.getByTestId('toggle-camera')).toHaveAttribute('aria-pressed', 'false')
  await expect(student.page.getByTestId('remote-tile')).not.toHaveAttribute('data-cover', /.+/)
  await tutor.page.keyboard.press('m')
  await expect(tutor.page.getByTestId('toggle-mic')).toHaveAttribute('aria-pressed', 'false')
  await tutor.page.keyboard.press('Control+Shift+M')
  await expect(tutor.page.getByTestId('toggle-mic')).toHaveAttribute('aria-pressed', 'true')
  await tutor.page.keyboard.press('Control+Shift+M')
  await expect(tutor.page.getByTestId('toggle-mic')).toHaveAttribute('aria-pressed', 'false')

  // Highlighter, shapes and text all reach the other side.
  await pickTool(tutor.page, 'hl')
  await drawPath(tutor.page, [[0.55, 0.6], [0.75, 0.6]])
  await pickTool(tutor.page, 'rect')
  await drawPath(tutor.page, [[0.6, 0.15], [0.75, 0.35]])
  await pickTool(tutor.page, 'ellipse')
  await drawPath(tutor.page, [[0.78, 0.15], [0.92, 0.35]])
  await pickTool(tutor.page, 'arrow')
  await drawPath(tutor.page, [[0.3, 0.7], [0.45, 0.55]])
  await pickTool(tutor.page, 'line')
  await drawPath(tutor.page, [[0.3, 0.8], [0.5, 0.8]])
  await expectStrokes(student.page, 7)
  await pickTool(tutor.page, 'text')
  const canvas = tutor.page.getByTestId('board-canvas')
  const box = await canvas.boundingBox()
  if (!box) throw new Error('no canvas')
  await tutor.page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.75)
  await tutor.page.getByTestId('board-text').fill('x² + 2x + 1 = 0')
  await tutor.page.getByTestId('board-text').press('Control+Enter')
  await expectStrokes(student.page, 8)

  // The eraser removes whole strokes it passes over.
  await pickTool(tutor.page, 'eraser')
  await drawPath(tutor.page, [[0.54, 0.6], [0.56, 0.6]])
  await expectStrokes(student.page, 7)

  // Select and move: the stroke is still one stroke, and the other side follows along.
  await pickTool(tutor.page, 'select')
  await drawPath(tutor.page, [[0.3, 0.8], [0.35, 0.9]])
  await expectStrokes(student.page, 7)

  // Presence: the student sees the tutor's cursor and laser.
  await pickTool(tutor.page, 'laser')
  const laserSeen = waitForFrame(student.page, 'lasers', 1)
  await drawPath(tutor.page, [[0.4, 0.4], [0.5, 0.45], [0.55, 0.5]], { keepDown: true })
  expect((await laserSeen).lasers).toBeGreaterThanOrEqual(1)
  expect((await waitForFrame(student.page, 'cursors', 1)).cursors).toBeGreaterThanOrEqual(1)
  await tutor.page.screenshot({ path: 'test-results/board-shots/whiteboard-tutor.png' })
  await student.page.screenshot({ path: 'test-results/board-shots/whiteboard-student.png' })
  await tutor.page.mouse.up()

  // B hides the board and brings it back; a student who had hidden theirs is brought back with it.
  await student.page.keyboard.press('b')
  await expect(student.page.getByTestId('board')).toHaveCount(0)
  await tutor.page.keyboard.press('b')
  await expect(tutor.page.getByTestId('board')).toHaveCount(0)
  await expect(student.page.getByTestId('board-tutor-on')).toHaveCount(0)
  await tutor.page.keyboard.press('b')
  await expect(tutor.page.getByTestId('board')).toHaveAttribute('data-stroke-count', '7')
  await expect(student.page.getByTestId('board')).toHaveAttribute('data-stroke-count', '7')

  // The student's board paints the tutor's ink as it arrives, not at the page's next frame:
  // with the student's animation frames held back entirely, the new stroke is still painted.
  await student.page.evaluate(() => {
    const w = window as unknown as { heldRaf?: typeof requestAnimationFrame }
    w.heldRaf = window.requestAnimationFrame
    window.requestAnimationFrame = () => 0
  })
  const paintedWithoutFrames = waitForFrame(student.page, 'strokes', 8)
  await pickTool(tutor.page, 'pen')
  await drawPath(tutor.page, squiggle(0.7, 0.45))
  expect((await paintedWithoutFrames).strokes).toBe(8)
  await student.page.evaluate(() => {
    const w = window as unknown as { heldRaf?: typeof requestAnimationFrame }
    if (w.heldRaf) window.requestAnimationFrame = w.heldRaf
  })

  await close()
})
