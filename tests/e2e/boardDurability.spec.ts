import { expect, test } from '@playwright/test'
import { boardSnapshot } from './boardRogue'
import { RestartableServer } from '../support/restartableServer'
import { bothOnBoard, drawPath, expectStrokes, openBoard, passOf, reopenRoom, squiggle } from './boardSteps'
import { lessonInProgress } from './lessonSteps'
import { TcpProxy } from './tcpProxy'

test('the board survives a crash of the session server', async ({ browser }) => {
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
    expect(await boardSnapshot(pass)).toEqual({ pages: 2, strokes: [2, 1] })

    // Both windows go away, then the server dies without a chance to save.
    await close()
    await new Promise((r) => setTimeout(r, 2500)) // longer than the save debounce
    await server.crash()
    await server.start()

    // What the restarted server holds comes from its disk alone (no client is connected).
    expect(await boardSnapshot(pass)).toEqual({ pages: 2, strokes: [2, 1] })
    const back = await reopenRoom(browser, pass)
    await openBoard(back.page)
    await expect(back.page.getByTestId('board')).toHaveAttribute('data-page-count', '2')
    await expectStrokes(back.page, 2)
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
