import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { CloseCode } from '../../../../src/shared/lesson/signaling'
import { SEAT_GRACE_MS } from '../../../../src/server/lesson/registry'
import { TestClient, createLesson, fakeClock, joinLesson, pairUp, postJson, serversClosedAfterEach } from '../helpers'

const start = serversClosedAfterEach()

const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } } as const

describe('lesson WebSocket: authentication', () => {
  it('refuses a forged token with unauthorized + 4001', async () => {
    const server = await start()
    const lesson = await createLesson(server)
    const [head = '', body = ''] = lesson.tutorToken.split('.')
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>
    const tampered = Buffer.from(JSON.stringify({ ...claims, role: 'tutor', name: 'Mallory' })).toString('base64url')
    const client = await TestClient.join(server, `${head}.${tampered}.${lesson.tutorToken.split('.')[2]}`)
    expect(await client.next('error')).toEqual({ type: 'error', code: 'unauthorized', message: expect.any(String), fatal: true })
    expect((await client.closedWithin()).code).toBe(CloseCode.unauthorized)
  })

  it('refuses a token signed with another secret', async () => {
    const server = await start()
    const lesson = await createLesson(server)
    const token = await new SignJWT({ lid: lesson.lessonId, role: 'student', name: 'Eve' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('eve')
      .setIssuer('duet')
      .setExpirationTime('1h')
      .sign(new Uint8Array(32).fill(7))
    const client = await TestClient.join(server, token)
    expect((await client.next('error')).code).toBe('unauthorized')
    expect((await client.closedWithin()).code).toBe(CloseCode.unauthorized)
  })

  it('refuses an expired token (injected clock)', async () => {
    const clock = fakeClock()
    const server = await start({ now: clock.now, tokenTtlMs: 3_600_000, inviteTtlMs: 24 * 3_600_000 })
    const lesson = await createLesson(server)
    const join = await joinLesson(server, lesson.inviteCode)
    clock.advance(3_600_000 + 1000)
    const client = await TestClient.join(server, join.studentToken)
    expect((await client.next('error')).code).toBe('unauthorized')
    expect((await client.closedWithin()).code).toBe(CloseCode.unauthorized)
  })

  it("binds a token to its own lesson: another lesson's tutor never sees that student", async () => {
    const server = await start()
    const a = await createLesson(server, 'Tutor A')
    const b = await createLesson(server, 'Tutor B')
    const tutorA = await TestClient.join(server, a.tutorToken)
    expect((await tutorA.next('welcome')).lesson.id).toBe(a.lessonId)
    const joinB = await joinLesson(server, b.inviteCode)
    const studentB = await TestClient.join(server, joinB.studentToken)
    const welcome = await studentB.next('welcome')
    expect(welcome.lesson).toEqual({ id: b.lessonId, tutorName: 'Tutor B', startedAt: null })
    expect(welcome.peer).toBeNull()
    studentB.send({ type: 'signal', data: offer })
    expect(await tutorA.drain(150)).toEqual([])
  })

  it('requires hello first, and within the hello timeout', async () => {
    const server = await start({ helloTimeoutMs: 150 })
    const silent = await TestClient.connect(server)
    expect((await silent.next('error')).code).toBe('unauthorized')
    expect((await silent.closedWithin()).code).toBe(CloseCode.helloTimeout)

    const rude = await TestClient.connect(server)
    rude.send({ type: 'ping', t: 1 })
    expect((await rude.next('error')).fatal).toBe(true)
    expect((await rude.closedWithin()).code).toBe(CloseCode.unauthorized)
  })

  it('refuses WebSocket upgrades on other paths', async () => {
    const server = await start()
    await expect(TestClient.connect(server, {}, '/not-ws')).rejects.toThrow(/404/)
  })
})

describe('lesson WebSocket: capacity and reconnect', () => {
  it('refuses a student token whose seat has gone to someone else with seat_taken + 4009', async () => {
    const server = await start()
    const lesson = await createLesson(server)
    const a = await joinLesson(server, lesson.inviteCode, 'Wei')
    const first = await TestClient.join(server, a.studentToken)
    await first.next('welcome')
    first.send({ type: 'leave' })
    await first.closedWithin()
    // Wei left; Ana takes the seat with the invite, and Wei's token is worth nothing now.
    const b = await joinLesson(server, lesson.inviteCode, 'Ana')
    const second = await TestClient.join(server, b.studentToken)
    await second.next('welcome')
    const back = await TestClient.join(server, a.studentToken)
    expect((await back.next('error')).code).toBe('seat_taken')
    expect((await back.closedWithin()).code).toBe(CloseCode.lessonFull)
    second.send({ type: 'ping', t: 1 })
    expect((await second.next('pong')).t).toBe(1)
  })

  it('keeps the seat for a student who dropped off, for the grace period only', async () => {
    const clock = fakeClock()
    const server = await start({ now: clock.now })
    const lesson = await createLesson(server)
    const a = await joinLesson(server, lesson.inviteCode, 'Wei')
    const first = await TestClient.join(server, a.studentToken)
    await first.next('welcome')
    first.ws.terminate() // the network went, no Leave
    await first.closedWithin()
    await new Promise((r) => setTimeout(r, 50))
    const during = await postJson(server, `/api/invites/${lesson.inviteCode}/join`, { studentName: 'Ana' })
    expect(during.status).toBe(409)
    clock.advance(SEAT_GRACE_MS)
    const after = await postJson(server, `/api/invites/${lesson.inviteCode}/join`, { studentName: 'Ana' })
    expect(after.status).toBe(200)
  })

  it('lets the same participant reconnect: the old socket closes 4011, the peer sees no peer-left', async () => {
    const server = await start()
    const { tutor, student, join, studentWelcome } = await pairUp(server)
    const again = await TestClient.join(server, join.studentToken)
    const w = await again.next('welcome')
    expect(w.self).toEqual(studentWelcome.self)
    const old = await student.closedWithin()
    expect(old).toEqual({ code: CloseCode.replaced, reason: 'replaced' })
    // Exactly one message for the tutor: the peer is back (renegotiate); no peer-left.
    const seen = await tutor.drain(150)
    expect(seen.map((m) => m.type)).toEqual(['peer-joined'])
    expect(seen[0]?.type === 'peer-joined' && seen[0].peer.id).toBe(studentWelcome.self.id)
    tutor.send({ type: 'signal', data: offer })
    expect((await again.next('signal')).from).toBe(w.peer?.id)
  })

  it('lets the tutor reconnect the same way', async () => {
    const server = await start()
    const { tutor, student, lesson, tutorWelcome } = await pairUp(server)
    const tutor2 = await TestClient.join(server, lesson.tutorToken)
    expect((await tutor2.next('welcome')).peer?.role).toBe('student')
    expect((await tutor.closedWithin()).code).toBe(CloseCode.replaced)
    const seen = await student.drain(150)
    expect(seen.map((m) => m.type)).toEqual(['peer-joined'])
    expect(seen[0]?.type === 'peer-joined' && seen[0].peer.id).toBe(tutorWelcome.self.id)
  })
})
