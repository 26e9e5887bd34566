import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChatFileSchema, chatFilePath, chatFileUploadPath } from '../../../../src/shared/chat/files'
import { CHAT_MESSAGES_PER_MINUTE, MAX_CHAT_FILE_BYTES } from '../../../../src/shared/chat/limits'
import { ApiErrorSchema } from '../../../../src/shared/errors'
import { TestClient, createLesson, fakeClock, joinLesson, pairUp, serversClosedAfterEach, type ServerAddress } from '../helpers'
import { FORBIDDEN, PDF, PNG, docx } from './fixtures'

const start = serversClosedAfterEach()

function upload(server: ServerAddress, lessonId: string, token: string, bytes: Uint8Array, name = 'file', type = 'application/octet-stream') {
  return fetch(`${server.url}${chatFileUploadPath(lessonId)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': type, 'X-File-Name': encodeURIComponent(name) },
    body: bytes as Uint8Array<ArrayBuffer>,
  })
}

const text = (t: string) => ({ kind: 'text', text: t })

describe('lesson chat on the lesson socket', () => {
  it('stores a message, acknowledges it to the sender with its client id and relays it to the other person', async () => {
    const clock = fakeClock()
    const server = await start({ now: clock.now })
    const { tutor, student, tutorWelcome } = await pairUp(server)
    tutor.send({ type: 'chat-send', clientId: 'c1', draft: text('  What is $\\frac{1}{2}+\\frac{1}{3}$?  ') })
    const ack = await tutor.next('chat-message')
    expect(ack.clientId).toBe('c1')
    expect(ack.message).toMatchObject({ seq: 1, at: clock.now(), from: tutorWelcome.self, text: 'What is $\\frac{1}{2}+\\frac{1}{3}$?' })
    const got = await student.next('chat-message')
    expect(got).toEqual({ type: 'chat-message', message: ack.message })

    student.send({ type: 'chat-send', clientId: 'c1', draft: text('5/6') })
    expect((await tutor.next('chat-message')).message).toMatchObject({ seq: 2, text: '5/6', from: { role: 'student' } })
  })

  it('keeps script and HTML as the text it is (the renderer shows it inert)', async () => {
    const server = await start()
    const { tutor, student } = await pairUp(server)
    tutor.send({ type: 'chat-send', clientId: 'x', draft: text('<script>alert(1)</script><img src=x onerror=alert(1)>') })
    expect((await student.next('chat-message')).message.text).toBe('<script>alert(1)</script><img src=x onerror=alert(1)>')
  })

  it('relays typing to the other person only, and never stores it', async () => {
    const server = await start()
    const { tutor, student, tutorWelcome, join } = await pairUp(server)
    tutor.send({ type: 'chat-typing', typing: true })
    expect(await student.next('chat-typing')).toEqual({ type: 'chat-typing', from: tutorWelcome.self.id, typing: true })
    expect((await tutor.drain(80)).filter((m) => m.type.startsWith('chat'))).toEqual([])
    // Nothing was stored: the student coming back gets no history at all.
    student.close()
    await student.closedWithin()
    const again = await TestClient.join(server, join.studentToken)
    await again.next('welcome')
    expect((await again.drain(150)).filter((m) => m.type.startsWith('chat'))).toEqual([])
  })

  it('keeps messages for someone who is away and gives them with an unread count when they come back; read marks stick', async () => {
    const server = await start()
    const lesson = await createLesson(server)
    const join = await joinLesson(server, lesson.inviteCode)
    const tutor = await TestClient.join(server, lesson.tutorToken)
    await tutor.next('welcome')
    // The student is not connected yet.
    for (const [i, t] of ['Hello', 'Read chapter 3', 'See you at 5'].entries()) {
      tutor.send({ type: 'chat-send', clientId: `t${i}`, draft: text(t) })
      await tutor.next('chat-message')
    }
    const student = await TestClient.join(server, join.studentToken)
    await student.next('welcome')
    const history = await student.next('chat-history')
    expect(history).toMatchObject({ reset: true, unread: 3, readSeq: 0 })
    expect(history.messages.map((m) => m.text)).toEqual(['Hello', 'Read chapter 3', 'See you at 5'])

    // The student reads two, goes away, comes back: one unread is left.
    student.send({ type: 'chat-read', seq: 2 })
    await student.drain(50)
    student.close()
    await student.closedWithin()
    const back = await TestClient.join(server, join.studentToken)
    await back.next('welcome')
    expect(await back.next('chat-history')).toMatchObject({ unread: 1, readSeq: 2 })
    // A read mark never moves back and never past the last message.
    back.send({ type: 'chat-read', seq: 1 })
    back.send({ type: 'chat-read', seq: 99 })
    await back.drain(50)
    back.close()
    const third = await TestClient.join(server, join.studentToken)
    await third.next('welcome')
    expect(await third.next('chat-history')).toMatchObject({ unread: 0, readSeq: 3 })
    // The tutor's own messages are never unread for the tutor.
    const tutorAgain = await TestClient.join(server, lesson.tutorToken)
    await tutorAgain.next('welcome')
    expect(await tutorAgain.next('chat-history')).toMatchObject({ unread: 0 })
  })

  it('refuses a flood with a clear, non-fatal message; the lesson goes on (signals, the other person, later messages)', async () => {
    const clock = fakeClock()
    const server = await start({ now: clock.now })
    const { tutor, student, tutorWelcome } = await pairUp(server)
    for (let i = 0; i < CHAT_MESSAGES_PER_MINUTE; i++) tutor.send({ type: 'chat-send', clientId: `m${i}`, draft: text(`message ${i}`) })
    tutor.send({ type: 'chat-send', clientId: 'flood', draft: text('one too many') })
    const refused = await tutor.next('chat-refused')
    expect(refused).toMatchObject({ clientId: 'flood', code: 'rate_limited' })
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1)
    expect(refused.message).toMatch(/Too many messages/)
    const delivered = (await student.drain(200)).filter((m) => m.type === 'chat-message')
    expect(delivered).toHaveLength(CHAT_MESSAGES_PER_MINUTE)
    expect(delivered.some((m) => m.type === 'chat-message' && m.message.text === 'one too many')).toBe(false)
    // Nothing else is disturbed: signaling still flows and the socket stays open.
    tutor.send({ type: 'signal', data: { kind: 'candidate', candidate: null } })
    expect((await student.next('signal')).from).toBe(tutorWelcome.self.id)
    // The student's own budget is separate.
    student.send({ type: 'chat-send', clientId: 's', draft: text('I can still write') })
    expect((await tutor.next('chat-message')).message.text).toBe('I can still write')
    // After the wait, the tutor can write again.
    clock.advance(refused.retryAfterSeconds! * 1000)
    tutor.send({ type: 'chat-send', clientId: 'later', draft: text('back') })
    expect((await tutor.next('chat-message')).clientId).toBe('later')
  })

  it('refuses unknown message kinds and oversized text as bad messages without closing the socket', async () => {
    const server = await start()
    const { tutor, student } = await pairUp(server)
    tutor.send({ type: 'chat-send', clientId: 'p', draft: { kind: 'poll', options: ['a', 'b'] } })
    expect((await tutor.next('error')).message).toMatch(/draft/)
    tutor.send({ type: 'chat-send', clientId: 'p', draft: text('x'.repeat(4001)) })
    expect(await tutor.next('error')).toMatchObject({ code: 'bad_request', fatal: false })
    tutor.send({ type: 'chat-shout', text: 'hi' })
    expect(await tutor.next('error')).toMatchObject({ code: 'bad_request', fatal: false })
    expect((await student.drain(100)).filter((m) => m.type === 'chat-message')).toEqual([])
    tutor.send({ type: 'chat-send', clientId: 'ok', draft: text('fine') })
    expect((await student.next('chat-message')).message.text).toBe('fine')
  })

  it('refuses a file message whose file was never uploaded to this lesson', async () => {
    const server = await start()
    const { tutor } = await pairUp(server)
    tutor.send({ type: 'chat-send', clientId: 'f', draft: { kind: 'file', fileId: 'a'.repeat(64) } })
    expect(await tutor.next('chat-refused')).toMatchObject({ clientId: 'f', code: 'not_found' })
  })

  it('sends a long history in frames under the socket limit', async () => {
    const clock = fakeClock()
    const server = await start({ now: clock.now })
    const { tutor, join } = await pairUp(server)
    for (let i = 0; i < 60; i++) {
      clock.advance(60_000)
      tutor.send({ type: 'chat-send', clientId: `m${i}`, draft: text(`${i} ${'long explanation '.repeat(200)}`.slice(0, 3000)) })
      await tutor.next('chat-message')
    }
    const student = await TestClient.join(server, join.studentToken)
    await student.next('welcome')
    const frames = (await student.drain(300)).filter((m) => m.type === 'chat-history')
    expect(frames.length).toBeGreaterThan(1)
    expect(frames.map((f) => f.type === 'chat-history' && f.reset)).toEqual([true, ...frames.slice(1).map(() => false)])
    expect(frames.flatMap((f) => (f.type === 'chat-history' ? f.messages.map((m) => m.seq) : []))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1))
  })

  it('keeps the chat across a server restart (data directory)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-chat-'))
    try {
      const first = await start({ dataDir })
      const { tutor, lesson, join } = await pairUp(first)
      tutor.send({ type: 'chat-send', clientId: 'a', draft: text('kept') })
      await tutor.next('chat-message')
      const file = ChatFileSchema.parse(await (await upload(first, lesson.lessonId, lesson.tutorToken, PNG, 'dot.png')).json())
      tutor.send({ type: 'chat-send', clientId: 'b', draft: { kind: 'file', fileId: file.id } })
      await tutor.next('chat-message')
      await first.close()
      const second = await start({ dataDir, port: first.port })
      const student = await TestClient.join(second, join.studentToken)
      await student.next('welcome')
      const history = await student.next('chat-history')
      expect(history.messages.map((m) => [m.seq, m.text, m.file?.name])).toEqual([
        [1, 'kept', undefined],
        [2, '', 'dot.png'],
      ])
      const res = await fetch(`${second.url}${chatFilePath(lesson.lessonId, file.id)}`, { headers: { Authorization: `Bearer ${join.studentToken}` } })
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG)
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

describe('chat files over HTTP', () => {
  it('takes a picture, a PDF and a Word document, judged by their bytes, and serves them to the people of the lesson', async () => {
    const server = await start()
    const { lesson, join, tutor, student } = await pairUp(server)
    for (const [name, bytes, mime, kind] of [
      ['dot.png', PNG, 'image/png', 'image'],
      // A wrong extension and declared type do not matter: the bytes do.
      ['scan.jpg', PDF, 'image/jpeg', 'pdf'],
      ['作业.docx', docx(), 'application/octet-stream', 'document'],
    ] as const) {
      const res = await upload(server, lesson.lessonId, join.studentToken, bytes, name, mime)
      expect(res.status, name).toBe(200)
      const file = ChatFileSchema.parse(await res.json())
      expect(file).toMatchObject({ name, kind, bytes: bytes.length })
      student.send({ type: 'chat-send', clientId: 'f', draft: { kind: 'file', fileId: file.id, text: 'look' } })
      expect((await tutor.next('chat-message')).message.file).toEqual(file)
      const back = await fetch(`${server.url}${chatFilePath(lesson.lessonId, file.id)}`, { headers: { Authorization: `Bearer ${lesson.tutorToken}` } })
      expect(back.status).toBe(200)
      expect(back.headers.get('content-type')).toBe(file.mime)
      expect(back.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`)
      expect(back.headers.get('content-security-policy')).toContain('sandbox')
      expect(new Uint8Array(await back.arrayBuffer())).toEqual(bytes)
    }
  })

  it.each(FORBIDDEN)('refuses %s with chat_file_unsupported', async (name, bytes) => {
    const server = await start()
    const lesson = await createLesson(server)
    const res = await upload(server, lesson.lessonId, lesson.tutorToken, bytes, name, 'application/pdf')
    expect(res.status).toBe(415)
    expect(ApiErrorSchema.parse(await res.json()).error.code).toBe('chat_file_unsupported')
  })

  it('refuses an oversized file before reading it all, and an empty one', async () => {
    const server = await start()
    const lesson = await createLesson(server)
    const big = new Uint8Array(MAX_CHAT_FILE_BYTES + 1)
    big.set(PDF)
    const res = await upload(server, lesson.lessonId, lesson.tutorToken, big, 'big.pdf').catch(() => null)
    // The server answers 413 and closes; fetch may see the answer or the cut connection.
    if (res) {
      expect(res.status).toBe(413)
      expect(ApiErrorSchema.parse(await res.json()).error.code).toBe('payload_too_large')
    }
    expect((await upload(server, lesson.lessonId, lesson.tutorToken, new Uint8Array(0))).status).toBe(400)
  })

  it('lets only the people of that lesson in: no token, another lesson, a student without the seat', async () => {
    const server = await start()
    const { lesson, join, student } = await pairUp(server)
    const other = await createLesson(server, 'Mr Other')
    const ok = ChatFileSchema.parse(await (await upload(server, lesson.lessonId, join.studentToken, PNG, 'dot.png')).json())
    const url = `${server.url}${chatFilePath(lesson.lessonId, ok.id)}`
    const as = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } })
    expect((await fetch(url, as(join.studentToken))).status).toBe(200)
    expect((await fetch(url)).status).toBe(401)
    expect((await fetch(url, as(other.tutorToken))).status).toBe(401)
    expect((await upload(server, lesson.lessonId, other.tutorToken, PNG)).status).toBe(401)
    // The student leaves and the seat moves on: the old token opens nothing, the new holder's does.
    student.send({ type: 'leave' })
    await student.closedWithin()
    const next = await joinLesson(server, lesson.inviteCode, 'Ana')
    const refused = await fetch(url, as(join.studentToken))
    expect(refused.status).toBe(403)
    expect(ApiErrorSchema.parse(await refused.json()).error.code).toBe('seat_taken')
    expect((await upload(server, lesson.lessonId, join.studentToken, PNG)).status).toBe(403)
    expect((await fetch(url, as(next.studentToken))).status).toBe(200)
    // The same file id asked for under another lesson is not there.
    expect((await fetch(`${server.url}${chatFilePath(other.lessonId, ok.id)}`, { headers: { Authorization: `Bearer ${other.tutorToken}` } })).status).toBe(404)
  })

  it('rate-limits uploads per person with Retry-After', async () => {
    const server = await start()
    const lesson = await createLesson(server)
    let last: Response | null = null
    for (let i = 0; i < 20; i++) {
      last = await upload(server, lesson.lessonId, lesson.tutorToken, PNG, 'dot.png')
      if (last.status === 429) break
    }
    expect(last?.status).toBe(429)
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(ApiErrorSchema.parse(await last!.json()).error.code).toBe('rate_limited')
  })
})
