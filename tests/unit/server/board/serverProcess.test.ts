import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { pageIds, readPage } from '../../../../src/shared/board/layout'
import { BOARD_PATH } from '../../../../src/shared/board/limits'
import { ensureFirstPage } from '../../../../src/shared/board/pageOps'
import { quantize } from '../../../../src/shared/board/points'
import { beginFreehand, finishStroke } from '../../../../src/shared/board/strokeOps'
import { killWhileDrawing } from '../../../support/boardCrash'
import { syncedClient, until } from '../../../support/boardClient'
import { preauthFlood } from '../../../support/boardFlood'
import { createLesson, joinLesson } from '../../../support/lessonApi'
import { RestartableServer } from '../../../support/restartableServer'

/**
 * The board against a real session server process, as a school runs it:
 * a crash (SIGKILL) in the middle of drawing, and a flood from a socket that
 * never authenticates.
 */

const MB = 1024 * 1024
let server: RestartableServer
beforeAll(async () => {
  server = new RestartableServer()
  await server.start()
}, 120_000)
afterAll(async () => {
  await server.dispose()
})

describe('board server process', () => {
  it('kill -9 while the tutor draws: a fresh client after the restart has every stroke the student saw', async () => {
    // A pause after 10 strokes lets the server save the board: the kill falls after a save, with strokes on both sides of it.
    const result = await killWhileDrawing(server, 25, { after: 10, ms: 3000 })
    expect(result.seen).toBeGreaterThanOrEqual(25)
    expect(result.missed).toBe(0)
    expect(result.holdsAll).toBe(true)
    expect(result.savedBeforeKill).toBe(true)
  }, 240_000)

  it('a socket that floods before authenticating is cut, memory stays bounded, the lesson goes on', async () => {
    const lesson = await createLesson(server)
    const join = await joinLesson(server, lesson.inviteCode)
    const tutor = await syncedClient(server, lesson.lessonId, lesson.tutorToken)
    const student = await syncedClient(server, lesson.lessonId, join.studentToken)
    try {
      ensureFirstPage(tutor.doc, 'tutor')
      await until(() => pageIds(student.doc).length === 1, 'the first page on the student side')

      // The outside review's attack: 96 frames of 8 MiB (it took this server from 217 MB to 984 MB).
      const flood = await preauthFlood(server, lesson.lessonId)
      expect(flood.closed).toBe(true)
      expect(flood.framesSent).toBeLessThan(4)
      // Tens of MB is allocator noise; the unbounded queue grew by hundreds.
      expect(flood.peakBytes - flood.baselineBytes).toBeLessThan(48 * MB)

      const page = pageIds(tutor.doc)[0] as string
      const id = beginFreehand(tutor.doc, 'tutor', page, { t: 'pen', c: '#1e1e1e', w: 3, by: 'tutor', z: 1 }, [...quantize(5, 5, 0.5), ...quantize(60, 40, 0.5)]) as string
      finishStroke(tutor.doc, 'tutor', page, id)
      await until(() => readPage(student.doc, page)?.strokes.has(id) === true, 'a stroke after the flood')
      // The stroke's finishing update may still be on its way; the student ends up with every update the tutor made.
      const sameState = (): boolean => Buffer.from(Y.encodeStateVector(student.doc)).equals(Buffer.from(Y.encodeStateVector(tutor.doc)))
      await until(sameState, 'the student has every update the tutor made')
    } finally {
      tutor.destroy()
      student.destroy()
    }
  }, 120_000)

  it('closes a socket that connects and never authenticates', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${BOARD_PATH}`)
    ws.on('error', () => {})
    const code = await new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)))
    expect(code).toBe(4408)
  }, 60_000)
})
