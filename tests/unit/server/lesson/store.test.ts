import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CloseCode } from '../../../../src/shared/lesson/signaling'
import { openDatabase } from '../../../../src/server/db/database'
import { silentLogger } from '../../../../src/server/logger'
import type { SessionServer } from '../../../../src/server/index'
import { TestClient, createLesson, fakeClock, joinLesson, startServer } from '../helpers'

let dataDir: string
let servers: SessionServer[] = []
async function start(...args: Parameters<typeof startServer>): Promise<SessionServer> {
  const server = await startServer({ dataDir, ...args[0] })
  servers.push(server)
  return server
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-data-'))
})
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('persistence with dataDir', { timeout: 60_000 }, () => {
  it('keeps the secret (mode 0600), lessons and tokens across a restart', async () => {
    const first = await start()
    const lesson = await createLesson(first, 'Ms Li')
    const join = await joinLesson(first, lesson.inviteCode, 'Wei')
    const tutor = await TestClient.join(first, lesson.tutorToken)
    await tutor.next('welcome')
    await first.close()

    const secret = path.join(dataDir, 'secret.key')
    expect(fs.statSync(secret).size).toBe(32)
    expect(fs.statSync(secret).mode & 0o777).toBe(0o600)
    // The lesson is in the embedded database in the data folder, the tutor's leaving written before it closed.
    const database = await openDatabase({ kind: 'pglite', dir: path.join(dataDir, 'db') }, silentLogger)
    const attendance = await database.db.selectFrom('attendance').selectAll().where('lesson_id', '=', lesson.lessonId).execute()
    await database.close()
    expect(attendance.map((a) => [a.role, a.left_at !== null])).toEqual([['tutor', true]])

    const second = await start()
    const preview = await fetch(`${second.url}/api/invites/${lesson.inviteCode}`)
    expect(preview.status).toBe(200)
    expect((await preview.json()).tutorName).toBe('Ms Li')
    const t2 = await TestClient.join(second, lesson.tutorToken)
    expect((await t2.next('welcome')).lesson.id).toBe(lesson.lessonId)
    const s2 = await TestClient.join(second, join.studentToken)
    expect((await s2.next('welcome')).self.name).toBe('Wei')
  })

  it('remembers that a lesson ended', async () => {
    const first = await start()
    const lesson = await createLesson(first)
    const tutor = await TestClient.join(first, lesson.tutorToken)
    await tutor.next('welcome')
    tutor.send({ type: 'end-lesson' })
    await tutor.next('lesson-ended')
    await first.close()

    const second = await start()
    expect((await fetch(`${second.url}/api/invites/${lesson.inviteCode}`)).status).toBe(410)
    const again = await TestClient.join(second, lesson.tutorToken)
    expect((await again.closedWithin()).code).toBe(CloseCode.lessonEnded)
  })

  it('replaces a damaged secret (old tokens stop working) instead of crashing', async () => {
    const first = await start()
    const lesson = await createLesson(first)
    await first.close()
    fs.writeFileSync(path.join(dataDir, 'secret.key'), 'short')
    const second = await start()
    expect(fs.statSync(path.join(dataDir, 'secret.key')).size).toBe(32)
    const tutor = await TestClient.join(second, lesson.tutorToken)
    expect((await tutor.next('error')).code).toBe('unauthorized')
  })

  it('expires lessons whose tutor never came, once the invite runs out', async () => {
    const clock = fakeClock()
    const first = await start({ now: clock.now, inviteTtlMs: 60_000, tokenTtlMs: 60_000 })
    const lesson = await createLesson(first)
    const join = await joinLesson(first, lesson.inviteCode)
    const student = await TestClient.join(first, join.studentToken)
    await student.next('welcome')
    clock.advance(61_000)
    await createLesson(first) // creating sweeps old lessons
    const ended = await student.next('lesson-ended')
    expect(ended.summary.endedBy).toBe('expired')
    expect((await student.closedWithin()).code).toBe(CloseCode.lessonEnded)
    expect((await fetch(`${first.url}/api/invites/${lesson.inviteCode}`)).status).toBe(410)
  })
})
