import { expect, test } from '@playwright/test'
import { studentEditsDirectly } from './boardRogue'
import { bothOnBoard, drawPath, expectStrokes, menuItem, passOf, squiggle } from './boardSteps'
import { lessonInProgress } from './lessonSteps'

test('view-only is enforced by the server; follow mode; clear page is undoable', async ({ browser }) => {
  test.setTimeout(240_000)
  const { tutor, student, close } = await lessonInProgress(browser)
  const { tutorBoard, studentBoard } = await bothOnBoard({ tutor, student })
  await drawPath(tutor.page, squiggle(0.3, 0.3))
  await expectStrokes(student.page, 1)

  // The tutor makes the board view-only: the student is told and cannot draw.
  await menuItem(tutor.page, 'lock-board')
  // A toggle leaves the menu open, checked.
  await expect(tutor.page.getByTestId('lock-board')).toBeChecked()
  await expect(studentBoard).toHaveAttribute('data-locked', 'true')
  await expect(student.page.getByTestId('board-locked')).toBeVisible()
  await expect(student.page.getByTestId('tool-pen')).toBeDisabled()
  await drawPath(student.page, squiggle(0.5, 0.5))
  // Even a modified client with the student's real token changes nothing.
  const scope = await studentEditsDirectly(await passOf(student.page))
  expect(scope).toBe('readonly')
  await expect(tutorBoard).toHaveAttribute('data-stroke-count', '1')
  await expect(tutorBoard).toHaveAttribute('data-page-count', '1')
  await expect(studentBoard).toHaveAttribute('data-stroke-count', '1')

  // Unlocked, the student draws again.
  await menuItem(tutor.page, 'lock-board')
  await expect(studentBoard).toHaveAttribute('data-locked', 'false')
  await drawPath(student.page, squiggle(0.5, 0.5))
  await expectStrokes(tutor.page, 2)

  // Follow mode: the student's view goes where the tutor goes, until the student looks around.
  await menuItem(tutor.page, 'follow-me')
  await tutor.page.getByTestId('board-menu').click()
  await tutor.page.getByTestId('add-grid').click()
  await expect(tutorBoard).toHaveAttribute('data-page-index', '1')
  await expect(studentBoard).toHaveAttribute('data-page-index', '1')
  await expect(student.page.getByTestId('board-following')).toContainText('Ms Rivera')
  // Looking around, the student is told where the tutor is; on the tutor's page, that they look on their own.
  await student.page.keyboard.press('PageUp')
  await expect(studentBoard).toHaveAttribute('data-page-index', '0')
  await expect(student.page.getByTestId('board-tutor-elsewhere')).toContainText('Ms Rivera is on page 2')
  await tutor.page.getByTestId('page-thumb-1').getByRole('button').first().click()
  await expect(student.page.getByTestId('board-follow-paused')).toBeVisible()
  await expect(student.page.getByTestId('board-tutor-elsewhere')).toHaveCount(0)
  await tutor.page.getByTestId('page-thumb-2').getByRole('button').first().click()
  await expect(student.page.getByTestId('board-tutor-elsewhere')).toContainText('Ms Rivera is on page 2')
  await expect(studentBoard).toHaveAttribute('data-page-index', '0')
  await student.page.getByTestId('follow-tutor').click()
  await expect(studentBoard).toHaveAttribute('data-page-index', '1')
  await expect(student.page.getByTestId('board-following')).toContainText('Ms Rivera')

  // Clearing a page (tutor only) is one undo step.
  await tutor.page.getByTestId('page-thumb-1').getByRole('button').first().click()
  await expect(tutorBoard).toHaveAttribute('data-stroke-count', '2')
  // Asked first: Space on the focused Cancel keeps the page (the board's Space, to pan, is not taken inside a question).
  await menuItem(tutor.page, 'clear-page')
  await expect(tutor.page.getByTestId('clear-confirm')).toBeVisible()
  await tutor.page.keyboard.press('Space')
  await expect(tutor.page.getByTestId('clear-confirm')).toHaveCount(0)
  await expect(tutorBoard).toHaveAttribute('data-stroke-count', '2')
  await menuItem(tutor.page, 'clear-page')
  await tutor.page.getByTestId('clear-confirm-yes').click()
  await expect(tutorBoard).toHaveAttribute('data-stroke-count', '0')
  await expect(studentBoard).toHaveAttribute('data-stroke-count', '0')
  await tutor.page.keyboard.press('Control+z')
  await expect(studentBoard).toHaveAttribute('data-stroke-count', '2')
  await expect(student.page.getByTestId('board-menu')).toBeVisible()
  await student.page.getByTestId('board-menu').click()
  await expect(student.page.getByTestId('clear-page')).toHaveCount(0)
  await student.page.screenshot({ path: 'test-results/board-shots/control-student.png' })

  await close()
})
