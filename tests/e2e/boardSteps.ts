import { expect, type Browser, type Locator, type Page } from '@playwright/test'
import { newPerson, type Person } from './lessonSteps'

/** The tutor opens the board, which brings the student to it: the usual start of a board test. */
export async function bothOnBoard(lesson: { tutor: Person; student: Person }): Promise<{ tutorBoard: Locator; studentBoard: Locator }> {
  const tutorBoard = await openBoard(lesson.tutor.page)
  await expect(lesson.student.page.getByTestId('board')).toBeVisible()
  return { tutorBoard, studentBoard: await openBoard(lesson.student.page) }
}

/** Opens the whiteboard in the lesson room (its toggle) unless it is open, and waits until it is connected. */
export async function openBoard(page: Page): Promise<Locator> {
  const board = page.getByTestId('board')
  // A student's board can open by itself (the tutor opened theirs) between the look and the click,
  // which the click would close again: the next round opens it.
  await expect(async () => {
    if (!(await board.isVisible())) await page.getByTestId('toggle-board').click()
    await expect(board).toBeVisible({ timeout: 2000 })
  }).toPass({ timeout: 15_000 })
  await expect(board).toHaveAttribute('data-link', 'online')
  await expect(board).toHaveAttribute('data-page-count', /^[1-9]/)
  return board
}

export async function strokeCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('board').getAttribute('data-stroke-count'))
}

export async function expectStrokes(page: Page, n: number, timeout = 10_000): Promise<void> {
  await expect(page.getByTestId('board')).toHaveAttribute('data-stroke-count', String(n), { timeout })
}

/** Canvas position (fractions of its size) → page coordinates. */
async function at(page: Page, fx: number, fy: number): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId('board-canvas').boundingBox()
  if (!box) throw new Error('no board canvas')
  return { x: box.x + box.width * fx, y: box.y + box.height * fy }
}

export interface DrawOptions {
  /** Mouse moves between points. */
  steps?: number
  /** Leave the button down at the end (to check the other side sees a stroke being drawn). */
  keepDown?: boolean
}

/** Draws through the given canvas fractions with the mouse (the active tool decides what it makes). */
export async function drawPath(page: Page, points: [number, number][], opts: DrawOptions = {}): Promise<void> {
  const [first, ...rest] = points
  if (!first) return
  const start = await at(page, first[0], first[1])
  await page.mouse.move(start.x, start.y)
  await page.mouse.down()
  for (const [fx, fy] of rest) {
    const p = await at(page, fx, fy)
    await page.mouse.move(p.x, p.y, { steps: opts.steps ?? 2 })
  }
  if (!opts.keepDown) await page.mouse.up()
}

/** A short wavy stroke around (fx, fy). */
export function squiggle(fx: number, fy: number, size = 0.08): [number, number][] {
  return Array.from({ length: 7 }, (_, i) => [fx + (i / 6) * size, fy + (i % 2 ? size / 3 : 0)] as [number, number])
}

export async function pickTool(page: Page, tool: string): Promise<void> {
  await page.getByTestId(`tool-${tool}`).click()
  await expect(page.getByTestId('board')).toHaveAttribute('data-tool', tool)
}

/** Opens the board's "More" menu and clicks one of its items. */
export async function menuItem(page: Page, testId: string): Promise<void> {
  const menu = page.getByTestId('board-menu')
  if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.click()
  await page.getByTestId(testId).click()
}

export interface StoredPass {
  server: string
  lessonId: string
  token: string
  role: 'tutor' | 'student'
}

/** The lesson pass a window keeps in sessionStorage (server, lesson id, token). */
export async function passOf(page: Page): Promise<StoredPass> {
  const raw = await page.evaluate(() => sessionStorage.getItem('duet.lessonPass'))
  if (!raw) throw new Error('no lesson pass in this window')
  return JSON.parse(raw) as StoredPass
}

/** Resolves with the detail of the next painted board frame where `detail[key] >= min`. */
export async function waitForFrame(page: Page, key: 'strokes' | 'lasers' | 'cursors', min: number, timeoutMs = 10_000): Promise<Record<string, number>> {
  return page.evaluate(
    ([k, least, timeout]) =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const canvas = document.querySelector('[data-testid=board-canvas]')
        if (!canvas) return reject(new Error('no board canvas'))
        const timer = setTimeout(() => reject(new Error(`no frame with ${k} >= ${least}`)), timeout)
        canvas.addEventListener('board:frame', function on(e) {
          const detail = (e as CustomEvent<Record<string, number>>).detail
          if ((detail[k] ?? 0) < least) return
          clearTimeout(timer)
          canvas.removeEventListener('board:frame', on)
          resolve(detail)
        })
      }),
    [key, min, timeoutMs] as const,
  )
}

/** A person whose relative URLs go to `baseURL` (a session server started by the test itself). */
/** Reopens a lesson room in a fresh window from a saved pass (as a reload would). */
export async function reopenRoom(browser: Browser, pass: StoredPass): Promise<Person> {
  const person = await newPerson(browser, pass.server)
  await person.context.addInitScript((raw) => sessionStorage.setItem('duet.lessonPass', raw), JSON.stringify(pass))
  await person.page.goto('/lesson/room')
  await expect(person.page.getByTestId('room')).toBeVisible()
  return person
}
