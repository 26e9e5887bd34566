import { expect, test } from '@playwright/test'
import { boardSnapshot } from './boardRogue'
import { RestartableServer } from '../support/restartableServer'
import { bothOnBoard, drawPath, expectStrokes, openBoard, passOf, reopenRoom, squiggle } from './boardSteps'
import { lessonInProgress } from './lessonSteps'
import { TcpProxy } from './tcpProxy'

test('a crash of the session server mid-drawing loses nothing the student saw', async ({ browser }) => {
  test.setTimeout(240_000)
  const server = new RestartableServer()
  await server.start()
  try {
    const lesson = await lessonInProgress(browser, { origin: server.url })
    const { tutor, student, close } = lesson
    await bothOnBoard(lesson)
    await drawPath(tutor.page, squiggle(0.2, 0.3))
    await drawPath(student.page, squiggle(0.5, 0.5))
    await tutor.page.getByTestId('add-grid').click()
    await drawPath(tutor.page, squiggle(0.3, 0.6))
    await expect(student.page.getByTestId('page-count')).toContainText('2')
    const pass = await passOf(tutor.page)
    // The student watches page 2 while the tutor keeps writing there: a finished stroke, then one still under the pen.
    await student.page.getByTestId('page-thumb-2').getByRole('button').first().click()
    await expectStrokes(student.page, 1)
    await drawPath(tutor.page, squiggle(0.6, 0.6))
    await drawPath(tutor.page, squiggle(0.6, 0.3), { keepDown: true })
    await student.page.waitForFunction(() => document.querySelector('[data-testid=board]')?.getAttribute('data-stroke-count') === '3', null, { polling: 10 })

    // The server dies the moment the student sees it (no time for a save); then both windows go away, so neither sends the board back.
    await server.crash()
    await close()
    await server.start()

    // What the restarted server holds comes from its disk alone (no client is connected).
    expect(await boardSnapshot(pass)).toEqual({ pages: 2, strokes: [2, 3] })
    const back = await reopenRoom(browser, pass)
    await openBoard(back.page)
    await expect(back.page.getByTestId('board')).toHaveAttribute('data-page-count', '2')
    await expectStrokes(back.page, 2)
    await back.page.getByTestId('page-thumb-2').getByRole('button').first().click()
    await expectStrokes(back.page, 3)
    await back.page.screenshot({ path: 'test-results/board-shots/after-restart.png' })
    await back.context.close()
  } finally {
    await server.dispose()
  }
})

test('a student who loses the connection keeps drawing; it merges on reconnect, nothing doubled', async ({ browser, baseURL }) => {
  test.setTimeout(240_000)
  const proxy = new TcpProxy(Number(new URL(baseURL ?? '').port))
  const viaProxy = await proxy.start()
  const { tutor, student, close } = await lessonInProgress(browser, { tutorName: 'Dr Okafor', studentName: 'Lin', studentVia: viaProxy })
  const { studentBoard } = await bothOnBoard({ tutor, student })
  await drawPath(tutor.page, squiggle(0.2, 0.2))
  await expectStrokes(student.page, 1)

  proxy.drop()
  await expect(studentBoard).toHaveAttribute('data-link', 'offline')
  await drawPath(student.page, squiggle(0.4, 0.4))
  await drawPath(student.page, squiggle(0.4, 0.6))
  await drawPath(tutor.page, squiggle(0.2, 0.7))
  await expectStrokes(student.page, 3)
  await expectStrokes(tutor.page, 2)
  await student.page.screenshot({ path: 'test-results/board-shots/offline-student.png' })

  proxy.restore()
  await expect(studentBoard).toHaveAttribute('data-link', 'online', { timeout: 30_000 })
  await expectStrokes(tutor.page, 4, 30_000)
  await expectStrokes(student.page, 4)
  // Give a duplicate every chance to show up: there is none.
  await new Promise((r) => setTimeout(r, 2000))
  await expectStrokes(tutor.page, 4)
  await expectStrokes(student.page, 4)

  await close()
  await proxy.stop()
})
