import { describe, expect, it } from 'vitest'
import { CloseCode, MAX_WS_MESSAGE_BYTES } from '../../../../src/shared/lesson/signaling'
import { TestClient, createLesson, fakeClock, joinLesson, pairUp, rawRequest, serversClosedAfterEach } from '../helpers'

const start = serversClosedAfterEach()

const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } } as const

describe('lesson WebSocket: lesson flow', () => {
  it('welcomes both sides, announces the peer and starts the lesson clock when both are in', async () => {
    const clock = fakeClock()
    const server = await start({ now: clock.now, iceServers: [{ urls: ['turn:turn.example.org:3478'], username: 'u', credential: 'p' }] })
    const lesson = await createLesson(server, 'Ms Li')
    const tutor = await TestClient.join(server, lesson.tutorToken)
    const tw = await tutor.next('welcome')
    expect(tw.self).toMatchObject({ name: 'Ms Li', role: 'tutor' })
    expect(tw.peer).toBeNull()
    expect(tw.lesson.startedAt).toBeNull()
    expect(tw.iceServers).toEqual([{ urls: ['turn:turn.example.org:3478'], username: 'u', credential: 'p' }])
    expect(tw.engine).toBe('builtin')
    expect(tw.iceTransportPolicy).toBe('all')
    expect(tw.mediaTuning).toBe(true)
    tutor.send({ type: 'media-state', state: { audio: true, video: false } })
    await tutor.drain(50)

    clock.advance(5000)
    const join = await joinLesson(server, lesson.inviteCode, 'Wei')
    const student = await TestClient.join(server, join.studentToken)
    const sw = await student.next('welcome')
    expect(sw.self).toMatchObject({ name: 'Wei', role: 'student' })
    expect(sw.peer).toEqual(tw.self)
    expect(sw.peerMedia).toEqual({ audio: true, video: false, screen: false })
    expect(sw.lesson.startedAt).toBe(clock.now())
    const joined = await tutor.next('peer-joined')
    expect(joined.peer).toEqual(sw.self)
    expect(joined.lesson.startedAt).toBe(clock.now())
  })

  it('hands clients the configured ICE transport policy and media tuning switch', async () => {
    const server = await start({ iceServers: [{ urls: 'turn:127.0.0.1:3478?transport=udp', username: 'u', credential: 'p' }], iceTransportPolicy: 'relay', mediaTuning: false })
    const { tutorWelcome, studentWelcome } = await pairUp(server)
    for (const welcome of [tutorWelcome, studentWelcome]) {
      expect(welcome.iceTransportPolicy).toBe('relay')
      expect(welcome.mediaTuning).toBe(false)
    }
  })

  it('relays signals and media state both ways, with the sender id', async () => {
    const server = await start()
    const { tutor, student, tutorWelcome, studentWelcome } = await pairUp(server)
    tutor.send({ type: 'signal', data: offer })
    expect(await student.next('signal')).toEqual({ type: 'signal', from: tutorWelcome.self.id, data: offer })
    const candidate = { kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.2 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } }
    student.send({ type: 'signal', data: candidate })
    expect(await tutor.next('signal')).toEqual({ type: 'signal', from: studentWelcome.self.id, data: candidate })
    student.send({ type: 'media-state', state: { audio: false, video: true, screen: true } })
    expect(await tutor.next('peer-media-state')).toEqual({
      type: 'peer-media-state',
      peerId: studentWelcome.self.id,
      state: { audio: false, video: true, screen: true },
    })
    const report = { quality: 'poor', lossPct: 20, rttMs: 150, sendKbps: 300, action: 'video-lowered' } as const
    student.send({ type: 'link-report', report })
    expect(await tutor.next('peer-link')).toEqual({ type: 'peer-link', peerId: studentWelcome.self.id, report })
    // The sender never gets its own signal back.
    expect((await student.drain(100)).filter((m) => m.type === 'signal')).toEqual([])
    tutor.send({ type: 'ping', t: 42 })
    expect(await tutor.next('pong')).toEqual({ type: 'pong', t: 42 })
  })

  it('drops a signal silently when nobody else is there', async () => {
    const server = await start()
    const lesson = await createLesson(server)
    const tutor = await TestClient.join(server, lesson.tutorToken)
    await tutor.next('welcome')
    tutor.send({ type: 'signal', data: offer })
    expect(await tutor.drain(100)).toEqual([])
  })

  it('tells the peer "left" on leave and "disconnected" on an abrupt close', async () => {
    const server = await start()
    const { tutor, student, studentWelcome, lesson } = await pairUp(server)
    student.send({ type: 'leave' })
    expect(await tutor.next('peer-left')).toEqual({ type: 'peer-left', peerId: studentWelcome.self.id, reason: 'left' })
    expect((await student.closedWithin()).code).toBe(1000)

    const join2 = await joinLesson(server, lesson.inviteCode, 'Ana')
    const student2 = await TestClient.join(server, join2.studentToken)
    const w2 = await student2.next('welcome')
    await tutor.next('peer-joined')
    student2.ws.terminate() // no close frame, like a crashed tab
    expect(await tutor.next('peer-left')).toEqual({ type: 'peer-left', peerId: w2.self.id, reason: 'disconnected' })
  })

  it('Leave as the app does it (leave, then close at once): the peer is told "left", not "disconnected"', async () => {
    const server = await start()
    for (let round = 0; round < 5; round++) {
      const { tutor, student, studentWelcome } = await pairUp(server)
      // Both frames go out back to back; the server usually reads them in one chunk.
      student.send({ type: 'leave' })
      student.ws.close(1000)
      expect(await tutor.next('peer-left')).toEqual({ type: 'peer-left', peerId: studentWelcome.self.id, reason: 'left' })
      tutor.ws.close()
    }
  })

  it('Leave over HTTP while the socket is down: the peer, told "disconnected", now hears "left" and the seat is free', async () => {
    const server = await start()
    const { tutor, student, studentWelcome, lesson, join } = await pairUp(server)
    student.ws.terminate() // the student's network dropped; their app is reconnecting
    expect(await tutor.next('peer-left')).toEqual({ type: 'peer-left', peerId: studentWelcome.self.id, reason: 'disconnected' })
    const leave = (token: string) => rawRequest(server, { method: 'POST', path: `/api/lessons/${lesson.lessonId}/leave`, headers: { Authorization: `Bearer ${token}` } })

    expect((await leave('not-a-token')).status).toBe(401)
    expect((await leave(join.studentToken)).status).toBe(200)
    expect(await tutor.next('peer-left')).toEqual({ type: 'peer-left', peerId: studentWelcome.self.id, reason: 'left' })
    // Left, not dropped: another student may take the seat at once (no grace period).
    const join2 = await joinLesson(server, lesson.inviteCode, 'Ana')
    expect(join2.studentToken).toBeTruthy()
  })

  it('Leave over HTTP while the server still holds the socket (half-open): that socket departs as "left"', async () => {
    const server = await start()
    const { tutor, student, studentWelcome, lesson, join } = await pairUp(server)
    const res = await rawRequest(server, { method: 'POST', path: `/api/lessons/${lesson.lessonId}/leave`, headers: { Authorization: `Bearer ${join.studentToken}` } })
    expect(res.status).toBe(200)
    expect(await tutor.next('peer-left')).toEqual({ type: 'peer-left', peerId: studentWelcome.self.id, reason: 'left' })
    expect((await student.closedWithin()).code).toBe(1000)
    // A token for another lesson opens nothing here.
    const other = await createLesson(server)
    const refused = await rawRequest(server, { method: 'POST', path: `/api/lessons/${lesson.lessonId}/leave`, headers: { Authorization: `Bearer ${other.tutorToken}` } })
    expect(refused.status).toBe(401)
    expect(await tutor.drain(100)).toEqual([])
  })

  it('terminates a client that stops answering pings and tells the peer', async () => {
    const server = await start({ heartbeatMs: 60 })
    const lesson = await createLesson(server)
    const tutor = await TestClient.join(server, lesson.tutorToken)
    await tutor.next('welcome')
    const join = await joinLesson(server, lesson.inviteCode)
    const ws = await TestClient.connect(server, { autoPong: false })
    ws.send({ type: 'hello', token: join.studentToken })
    const w = await ws.next('welcome')
    await tutor.next('peer-joined')
    expect(await tutor.next('peer-left', 2000)).toEqual({ type: 'peer-left', peerId: w.self.id, reason: 'disconnected' })
    expect((await ws.closedWithin()).code).toBe(1006)
    // A client that does answer pings stays.
    expect(tutor.ws.readyState).toBe(tutor.ws.OPEN)
  })
})

describe('lesson WebSocket: ending', () => {
  it('ends the lesson for both with a summary when the tutor says so', async () => {
    const clock = fakeClock()
    const server = await start({ now: clock.now })
    const lesson = await createLesson(server, 'Ms Li')
    const tutor = await TestClient.join(server, lesson.tutorToken)
    const tw = await tutor.next('welcome')
    const tutorJoinedAt = clock.now()
    clock.advance(60_000)
    const firstJoin = await joinLesson(server, lesson.inviteCode, 'Wei')
    const student = await TestClient.join(server, firstJoin.studentToken)
    const sw = await student.next('welcome')
    const startedAt = clock.now()
    await tutor.next('peer-joined')
    clock.advance(10 * 60_000)
    student.ws.terminate()
    await tutor.next('peer-left')
    const droppedAt = clock.now()
    clock.advance(60_000)
    const back = await TestClient.join(server, firstJoin.studentToken)
    await back.next('welcome')
    await tutor.next('peer-joined')
    clock.advance(20 * 60_000)

    tutor.send({ type: 'end-lesson' })
    const endedAt = clock.now()
    const toTutor = await tutor.next('lesson-ended')
    const toStudent = await back.next('lesson-ended')
    expect(toStudent).toEqual(toTutor)
    expect(toTutor.summary).toEqual({
      lessonId: lesson.lessonId,
      tutorName: 'Ms Li',
      startedAt,
      endedAt,
      durationMs: 31 * 60_000,
      endedBy: 'tutor',
      attendance: [
        { ...tw.self, joinedAt: tutorJoinedAt, leftAt: null },
        { ...sw.self, joinedAt: startedAt, leftAt: null },
      ],
    })
    expect(droppedAt).toBeLessThan(endedAt)
    expect((await tutor.closedWithin()).code).toBe(CloseCode.lessonEnded)
    expect((await back.closedWithin()).code).toBe(CloseCode.lessonEnded)

    // Tokens are refused afterwards.
    const late = await TestClient.join(server, lesson.tutorToken)
    expect((await late.next('error')).code).toBe('lesson_ended')
    expect((await late.closedWithin()).code).toBe(CloseCode.lessonEnded)
  })

  it('records leftAt for someone who left before the end; duration 0 if never together', async () => {
    const clock = fakeClock()
    const server = await start({ now: clock.now })
    const lesson = await createLesson(server)
    const tutor = await TestClient.join(server, lesson.tutorToken)
    await tutor.next('welcome')
    clock.advance(1000)
    tutor.send({ type: 'end-lesson' })
    const { summary } = await tutor.next('lesson-ended')
    expect(summary.startedAt).toBeNull()
    expect(summary.durationMs).toBe(0)
    expect(summary.attendance).toHaveLength(1)

    const l2 = await createLesson(server)
    const { tutor: t2, student: s2 } = await (async () => {
      const t = await TestClient.join(server, l2.tutorToken)
      await t.next('welcome')
      const j = await joinLesson(server, l2.inviteCode)
      const s = await TestClient.join(server, j.studentToken)
      await s.next('welcome')
      return { tutor: t, student: s }
    })()
    clock.advance(5000)
    s2.send({ type: 'leave' })
    await t2.next('peer-left')
    const leftAt = clock.now()
    clock.advance(5000)
    t2.send({ type: 'end-lesson' })
    const ended = await t2.next('lesson-ended')
    expect(ended.summary.durationMs).toBe(10_000)
    expect(ended.summary.attendance.find((a) => a.role === 'student')?.leftAt).toBe(leftAt)
    expect(ended.summary.attendance.find((a) => a.role === 'tutor')?.leftAt).toBeNull()
  })

  it('refuses end-lesson from a student (non-fatal) and changes nothing', async () => {
    const server = await start()
    const { tutor, student, lesson } = await pairUp(server)
    student.send({ type: 'end-lesson' })
    expect(await student.next('error')).toEqual({ type: 'error', code: 'forbidden', message: expect.any(String), fatal: false })
    expect((await tutor.drain(100)).filter((m) => m.type === 'lesson-ended')).toEqual([])
    student.send({ type: 'ping', t: 7 })
    expect((await student.next('pong')).t).toBe(7)
    expect((await fetch(`${server.url}/api/invites/${lesson.inviteCode}`)).status).toBe(200)
  })
})

describe('lesson WebSocket: malformed input', () => {
  it('answers bad frames with a non-fatal bad_request and keeps the lesson going', async () => {
    const server = await start()
    const { tutor, student, tutorWelcome } = await pairUp(server)
    const bad = [
      'not json',
      JSON.stringify({ type: 'teleport' }),
      JSON.stringify({ type: 'signal', data: { kind: 'description', description: { type: 'bogus' } } }),
      JSON.stringify({ type: 'ping', t: 1, pad: 'x'.repeat(MAX_WS_MESSAGE_BYTES) }),
    ]
    for (const frame of bad) {
      tutor.send(frame)
      const err = await tutor.next('error')
      expect(err.code).toBe('bad_request')
      expect(err.fatal).toBe(false)
    }
    tutor.ws.send(Buffer.from([1, 2, 3]), { binary: true })
    expect((await tutor.next('error')).message).toMatch(/Binary/)
    // Nothing reached the student, and relaying still works.
    expect(await student.drain(100)).toEqual([])
    tutor.send({ type: 'signal', data: offer })
    expect((await student.next('signal')).from).toBe(tutorWelcome.self.id)
  })

  it('closes a socket after too many bad messages (4000) while other lessons keep running', async () => {
    const server = await start()
    const other = await pairUp(server)
    const abuser = await pairUp(server)
    for (let i = 0; i < 21; i++) abuser.student.send(`garbage ${i}`)
    expect((await abuser.student.closedWithin()).code).toBe(CloseCode.badMessage)
    expect((await abuser.tutor.next('peer-left')).reason).toBe('disconnected')
    other.student.send({ type: 'signal', data: offer })
    expect((await other.tutor.next('signal')).from).toBe(other.studentWelcome.self.id)
  })

  it('closes frames far beyond the limit at the protocol level (ws maxPayload)', async () => {
    const server = await start()
    const { tutor, student } = await pairUp(server)
    tutor.send('x'.repeat(MAX_WS_MESSAGE_BYTES * 8))
    expect((await tutor.closedWithin()).code).toBe(1009)
    expect((await student.next('peer-left')).reason).toBe('disconnected')
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  })
})

describe('lesson WebSocket: a flooding sender', () => {
  it('is throttled itself; the peer who reads slowly stays in the lesson', async () => {
    const server = await start()
    const { tutor, student } = await pairUp(server)
    // The student's app stops reading (a busy page, a slow link): its socket buffer fills up on the server.
    const studentSocket = (student.ws as unknown as { _socket: import('node:net').Socket })._socket
    studentSocket.pause()
    const sdp = `v=0\r\n${'a=x-filler:'.padEnd(40 * 1024, 'x')}\r\n`
    for (let i = 0; i < 400; i++) tutor.send({ type: 'signal', data: { kind: 'description', description: { type: 'offer', sdp } } })
    // The sender hears "slow down" and, as it keeps pushing, is closed; it is not the reader who is dropped.
    expect((await tutor.next('error', 10_000)).code).toBe('rate_limited')
    expect((await tutor.closedWithin(10_000)).code).toBe(CloseCode.badMessage)
    studentSocket.resume()
    await student.drain(300)
    student.send({ type: 'ping', t: 7 })
    expect((await student.next('pong', 5000)).t).toBe(7)
  }, 30_000)

  it('link reports count as relayed messages: a flood is told to slow down', async () => {
    const server = await start()
    const { tutor, student } = await pairUp(server)
    const report = { quality: 'good', lossPct: 0, rttMs: 20, sendKbps: 2000, action: 'none' } as const
    for (let i = 0; i < 1300; i++) student.send({ type: 'link-report', report })
    expect((await student.next('error', 10_000)).code).toBe('rate_limited')
    expect((await tutor.drain(500)).filter((m) => m.type === 'peer-link').length).toBeLessThan(1300)
  }, 30_000)
})
