import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiErrorSchema } from '../../../../src/shared/errors'
import { CloseCode } from '../../../../src/shared/lesson/signaling'
import { boardClient, until } from '../../../support/boardClient'
import { freePort, serverUrl, spawnSessionServer, stopProcess } from '../../../support/sessionServerProcess'
import { TestClient, createLesson, joinLesson, postJson, type ServerAddress } from '../helpers'

/**
 * The student seat, against a real server process: one student identity per
 * lesson, and a token that does not hold the seat opens nothing on any route
 * (lesson socket, board, AI, recording record, library keys).
 */
let child: ChildProcess
let server: ServerAddress
const dataDir = mkdtempSync(join(tmpdir(), 'duet-seat-'))

beforeAll(async () => {
  const port = await freePort()
  child = await spawnSessionServer({ port, webRoot: '', dataDir, clearEnvPrefix: 'DUET_' })
  server = { port, url: serverUrl(port) }
}, 90_000)
afterAll(async () => {
  await stopProcess(child)
  rmSync(dataDir, { recursive: true, force: true })
})

const authed = (token: string): RequestInit => ({ headers: { Authorization: `Bearer ${token}` } })
async function errorCode(res: Response): Promise<string> {
  return ApiErrorSchema.parse(await res.json()).error.code
}

describe('the student seat', () => {
  it('a second join with the invite gets no token while the student holds the seat, connected or not yet', async () => {
    const lesson = await createLesson(server)
    // Joined, not connected yet: the seat is already theirs.
    const first = await joinLesson(server, lesson.inviteCode, 'Wei')
    const early = await postJson(server, `/api/invites/${lesson.inviteCode}/join`, { studentName: 'Mallory' })
    expect(early.status).toBe(409)
    expect(await errorCode(early)).toBe('lesson_full')
    const student = await TestClient.join(server, first.studentToken)
    await student.next('welcome')
    const late = await postJson(server, `/api/invites/${lesson.inviteCode}/join`, { studentName: 'Mallory' })
    expect(late.status).toBe(409)
    student.close()
  })

  it('once the seat moves on, the previous student token opens nothing: socket, board, AI, library', async () => {
    const lesson = await createLesson(server)
    const old = await joinLesson(server, lesson.inviteCode, 'Wei')
    const student = await TestClient.join(server, old.studentToken)
    await student.next('welcome')
    // The old holder's board is open when the seat moves on.
    const oldBoard = boardClient(server, lesson.lessonId, old.studentToken)
    await until(() => oldBoard.provider.isSynced, 'old holder board sync')
    student.send({ type: 'leave' })
    await student.closedWithin()
    const next = await joinLesson(server, lesson.inviteCode, 'Ana')

    // Lesson socket: refused with seat_taken.
    const again = await TestClient.join(server, old.studentToken)
    expect((await again.next('error')).code).toBe('seat_taken')
    expect((await again.closedWithin()).code).toBe(CloseCode.lessonFull)
    // Board: the open connection is cut, and a new one is refused.
    await until(() => oldBoard.closed, 'old holder board closed')
    oldBoard.destroy()
    const refused = boardClient(server, lesson.lessonId, old.studentToken)
    await until(() => refused.denied !== null, 'board refusal')
    refused.destroy()
    // AI: neither the conversation nor the quota.
    const status = await fetch(`${server.url}/api/ai/status`, authed(old.studentToken))
    expect(status.status).toBe(403)
    expect(await errorCode(status)).toBe('seat_taken')
    const conversation = await fetch(`${server.url}/api/ai/conversation`, authed(old.studentToken))
    expect(conversation.status).toBe(403)
    // Library: no year-long key.
    const key = await fetch(`${server.url}/api/library/keys`, { method: 'POST', ...authed(old.studentToken) })
    expect(key.status).toBe(403)
    // The new holder has all of it.
    const holder = await TestClient.join(server, next.studentToken)
    expect((await holder.next('welcome')).self.id).toBe(next.participantId)
    expect((await fetch(`${server.url}/api/ai/status`, authed(next.studentToken))).status).toBe(200)
    expect((await fetch(`${server.url}/api/library/keys`, { method: 'POST', ...authed(next.studentToken) })).status).toBe(200)
    const board = boardClient(server, lesson.lessonId, next.studentToken)
    await until(() => board.provider.isSynced, 'new holder board sync')
    board.destroy()
    holder.close()
  })

  it('the student may not write the recording timeline; the tutor may', async () => {
    const lesson = await createLesson(server)
    const join = await joinLesson(server, lesson.inviteCode)
    const marker = { at: Date.now(), kind: 'page', label: '2' }
    const post = (token: string) =>
      fetch(`${server.url}/api/library/${lesson.lessonId}/markers`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(marker),
      })
    const byStudent = await post(join.studentToken)
    expect(byStudent.status).toBe(403)
    expect(await errorCode(byStudent)).toBe('forbidden')
    expect((await post(lesson.tutorToken)).status).toBe(200)
  })
})
