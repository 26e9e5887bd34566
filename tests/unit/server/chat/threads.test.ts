import { describe, expect, it } from 'vitest'
import type { SessionServer, SessionServerOptions } from '../../../../src/server/index'
import { threadRoleOf, type ThreadPerson, type ThreadStudent } from '../../../../src/server/chat/threadAccess'
import { ChatFileSchema } from '../../../../src/shared/chat/files'
import { CHAT_MESSAGES_PER_MINUTE } from '../../../../src/shared/chat/limits'
import { THREAD_WS_PATH, ThreadServerMessageSchema, ThreadsResponseSchema, threadFileUploadPath, threadIdOf, type ThreadServerMessage } from '../../../../src/shared/chat/thread'
import { CloseCode } from '../../../../src/shared/lesson/signaling'
import type { Student } from '../../../../src/shared/students/roster'
import { BACKENDS, suiteDatabase } from '../../../support/databases'
import { LI, OFFICE, SCHOOL_KEYS, ZHANG, addStudent, bearer, getAs, postAs } from '../students/helpers'
import { TestClient, fakeClock, serversClosedAfterEach } from '../helpers'
import { FORBIDDEN, PNG } from './fixtures'

type ThreadClient = TestClient<ThreadServerMessage>

async function signIn(server: SessionServer, token: string): Promise<ThreadClient> {
  const client = await TestClient.connect(server, {}, THREAD_WS_PATH, ThreadServerMessageSchema)
  client.send({ type: 'hello', token })
  return client
}

async function upload(server: SessionServer, studentId: string, token: string, bytes: Uint8Array, name = 'dot.png'): Promise<Response> {
  return fetch(`${server.url}${threadFileUploadPath(studentId)}`, { method: 'POST', headers: { ...bearer(token), 'X-File-Name': encodeURIComponent(name) }, body: bytes as Uint8Array<ArrayBuffer> })
}

const threads = async (server: SessionServer, token: string) => ThreadsResponseSchema.parse(await (await getAs(server, '/api/threads', token)).json())

describe('who may read a thread (the rule)', () => {
  const wei: ThreadStudent = { id: 'w', name: 'Wei', accountId: 'li', tutorName: 'Ms Li', code: 'ABCDEFGHJKMN' }
  const cases: [string, ThreadPerson, boolean, string | null][] = [
    ['the student', { kind: 'student', student: wei }, false, 'student'],
    ['another student', { kind: 'student', student: { ...wei, id: 'a' } }, false, null],
    ['the student with a code the tutor has renewed since', { kind: 'student', student: { ...wei, code: 'PQRSTUVWXYZ2' } }, false, null],
    ['their tutor', { kind: 'account', accountId: 'li', name: 'Ms Li', staff: false }, false, 'tutor'],
    ['another tutor', { kind: 'account', accountId: 'zhang', name: 'Mr Zhang', staff: false }, true, null],
    ['staff, not allowed (the default)', { kind: 'account', accountId: 'office', name: 'Office', staff: true }, false, null],
    ['staff, allowed by the server', { kind: 'account', accountId: 'office', name: 'Office', staff: true }, true, 'staff'],
  ]
  it.each(cases)('%s', (_name, person, staffReadsThreads, role) => {
    expect(threadRoleOf(person, wei, staffReadsThreads)).toBe(role)
  })
})

describe.each(BACKENDS)('threads between lessons (%s)', (backend) => {
  const database = suiteDatabase(backend)
  const started = serversClosedAfterEach()
  const clock = fakeClock(Date.UTC(2030, 0, 7, 8, 0))
  const school = (extra: Partial<SessionServerOptions> = {}): Promise<SessionServer> => started({ database, tutorKeys: SCHOOL_KEYS, now: clock.now, ...extra })

  async function roster(server: SessionServer): Promise<{ wei: Student; ana: Student }> {
    return { wei: await addStudent(server, LI, { name: 'Wei' }), ana: await addStudent(server, LI, { name: 'Ana' }) }
  }

  it('the tutor writes while the student is away; the student comes back to an unread count, reads, replies, and the tutor gets it live', async () => {
    const server = await school()
    const { wei } = await roster(server)
    const thread = threadIdOf(wei.id)

    const tutor = await signIn(server, LI)
    expect(await tutor.next('thread-welcome')).toMatchObject({ role: 'tutor', self: { id: 'li', role: 'tutor' }, threads: [] })
    tutor.send({ type: 'thread-open', thread })
    expect(await tutor.next('chat-history')).toMatchObject({ thread, reset: true, messages: [], unread: 0 })
    tutor.send({ type: 'chat-send', thread, clientId: 'c1', draft: { kind: 'text', text: 'How did question 3 go? $x^2$' } })
    expect(await tutor.next('chat-message')).toMatchObject({ thread, clientId: 'c1', message: { seq: 1, from: { role: 'tutor', name: 'Ms Li' } } })

    expect((await threads(server, wei.code)).threads).toEqual([{ thread, studentId: wei.id, studentName: 'Wei', tutorName: 'Ms Li', unread: 1, lastAt: clock.now() }])
    const student = await signIn(server, wei.code)
    const welcome = await student.next('thread-welcome')
    expect(welcome).toMatchObject({ role: 'student', self: { id: wei.id, name: 'Wei', role: 'student' }, threads: [{ thread, unread: 1 }] })
    student.send({ type: 'thread-open', thread })
    const history = await student.next('chat-history')
    expect(history).toMatchObject({ thread, unread: 1, readSeq: 0 })
    expect(history.messages.map((m) => m.text)).toEqual(['How did question 3 go? $x^2$'])
    student.send({ type: 'chat-read', thread, seq: 1 })

    student.send({ type: 'chat-typing', thread, typing: true })
    expect(await tutor.next('chat-typing')).toMatchObject({ thread, from: wei.id, typing: true })
    student.send({ type: 'chat-send', thread, clientId: 's1', draft: { kind: 'text', text: 'I got stuck', quote: { source: 'ai-answer', text: 'Try factoring' } } })
    expect(await student.next('chat-message')).toMatchObject({ clientId: 's1' })
    const live = await tutor.next('chat-message')
    expect(live).toMatchObject({ thread, message: { seq: 2, text: 'I got stuck', quote: { text: 'Try factoring' }, from: { role: 'student' } } })
    expect(live.clientId).toBeUndefined()

    await expect.poll(async () => (await threads(server, wei.code)).threads[0]?.unread).toBe(0)
    expect((await threads(server, LI)).threads.map((t) => [t.studentName, t.unread])).toEqual([['Wei', 1]])
    tutor.close()
    student.close()
  })

  it('a thread read on one device clears its unread count on the same person\'s other devices, and only there', async () => {
    const server = await school()
    const { wei } = await roster(server)
    const thread = threadIdOf(wei.id)
    const tutor = await signIn(server, LI)
    await tutor.next('thread-welcome')
    for (const text of ['one', 'two']) {
      tutor.send({ type: 'chat-send', thread, clientId: text, draft: { kind: 'text', text } })
      await tutor.next('chat-message')
    }
    const desktop = await signIn(server, wei.code)
    const browser = await signIn(server, wei.code)
    expect((await desktop.next('thread-welcome')).threads).toMatchObject([{ thread, unread: 2 }])
    expect((await browser.next('thread-welcome')).threads).toMatchObject([{ thread, unread: 2 }])

    desktop.send({ type: 'chat-read', thread, seq: 1 })
    expect(await browser.next('chat-read')).toEqual({ type: 'chat-read', thread, readSeq: 1, unread: 1 })
    desktop.send({ type: 'chat-read', thread, seq: 99 })
    expect(await browser.next('chat-read')).toEqual({ type: 'chat-read', thread, readSeq: 2, unread: 0 })
    // A mark that does not move says nothing: the next word the browser gets is the next real move.
    desktop.send({ type: 'chat-read', thread, seq: 2 })
    tutor.send({ type: 'chat-send', thread, clientId: 'three', draft: { kind: 'text', text: 'three' } })
    expect(await browser.next('chat-message')).toMatchObject({ message: { seq: 3 } })
    desktop.send({ type: 'chat-read', thread, seq: 3 })
    expect(await browser.next('chat-read')).toEqual({ type: 'chat-read', thread, readSeq: 3, unread: 0 })
    // The reading device and the other person hear nothing of it.
    browser.send({ type: 'ping', t: 1 })
    await browser.next('pong')
    expect([...desktop.messages, ...tutor.messages].filter((m) => m.type === 'chat-read')).toEqual([])
    for (const client of [browser, desktop, tutor]) client.close()
  })

  it('refuses everyone else on every route: other tutors, other students, staff (unless the server allows reading), no or wrong credentials', async () => {
    const server = await school()
    const { wei, ana } = await roster(server)
    const thread = threadIdOf(wei.id)
    const file = ChatFileSchema.parse(await (await upload(server, wei.id, LI, PNG)).json())
    const tutor = await signIn(server, LI)
    await tutor.next('thread-welcome')
    tutor.send({ type: 'chat-send', thread, clientId: 'c1', draft: { kind: 'file', fileId: file.id, text: '' } })
    await tutor.next('chat-message')

    for (const token of [ZHANG, ana.code, OFFICE]) {
      const other = await signIn(server, token)
      await other.next('thread-welcome')
      other.send({ type: 'thread-open', thread })
      expect(await other.next('error')).toMatchObject({ code: 'not_found', fatal: false })
      other.send({ type: 'chat-send', thread, clientId: 'x1', draft: { kind: 'text', text: 'let me in' } })
      expect(await other.next('chat-refused')).toMatchObject({ thread, clientId: 'x1', code: 'not_found' })
      other.send({ type: 'chat-read', thread, seq: 1 })
      expect(await other.next('error')).toMatchObject({ code: 'not_found' })
      expect((await threads(server, token)).threads.map((t) => t.thread)).not.toContain(thread)
      expect((await upload(server, wei.id, token, PNG)).status).toBe(404)
      expect((await getAs(server, `${threadFileUploadPath(wei.id)}/${file.id}`, token)).status).toBe(404)
      other.close()
    }
    // Nothing reached the thread.
    expect((await threads(server, LI)).threads[0]?.lastAt).toBe(clock.now())

    expect((await fetch(`${server.url}/api/threads`)).status).toBe(401)
    expect((await getAs(server, `${threadFileUploadPath(wei.id)}/${file.id}`, 'A'.repeat(12))).status).toBe(401)
    const stranger = await signIn(server, 'BCDEFGHJKMNP')
    expect(await stranger.next('error')).toMatchObject({ code: 'student_code_invalid', fatal: true })
    expect((await stranger.closedWithin()).code).toBe(CloseCode.unauthorized)
    // The student and the tutor themselves get the file.
    for (const token of [wei.code, LI]) expect(new Uint8Array(await (await getAs(server, `${threadFileUploadPath(wei.id)}/${file.id}`, token)).arrayBuffer())).toEqual(PNG)
  })

  it('a school that allows it lets staff read a thread, never write in it', async () => {
    const server = await school({ staffReadsThreads: true })
    const { wei } = await roster(server)
    const thread = threadIdOf(wei.id)
    const tutor = await signIn(server, LI)
    await tutor.next('thread-welcome')
    tutor.send({ type: 'chat-send', thread, clientId: 'c1', draft: { kind: 'text', text: 'hello' } })
    await tutor.next('chat-message')

    const office = await signIn(server, OFFICE)
    expect(await office.next('thread-welcome')).toMatchObject({ role: 'staff', threads: [{ thread, studentName: 'Wei', tutorName: 'Ms Li', unread: 0 }] })
    office.send({ type: 'thread-open', thread })
    expect((await office.next('chat-history')).messages.map((m) => m.text)).toEqual(['hello'])
    office.send({ type: 'chat-send', thread, clientId: 'o1', draft: { kind: 'text', text: 'from the office' } })
    expect(await office.next('chat-refused')).toMatchObject({ code: 'forbidden' })
    expect((await upload(server, wei.id, OFFICE, PNG)).status).toBe(403)
    // Following the thread, staff see new messages live.
    tutor.send({ type: 'chat-send', thread, clientId: 'c2', draft: { kind: 'text', text: 'again' } })
    expect(await office.next('chat-message')).toMatchObject({ message: { text: 'again' } })
    // Reading leaves the two people's unread counts alone.
    office.send({ type: 'chat-read', thread, seq: 2 })
    await office.drain(100)
    expect((await threads(server, wei.code)).threads[0]?.unread).toBe(2)
  })

  it('refuses bad input with a clear error and keeps the socket: unknown kinds, floods, forbidden files', async () => {
    const server = await school()
    const { wei } = await roster(server)
    const thread = threadIdOf(wei.id)
    const student = await signIn(server, wei.code)
    await student.next('thread-welcome')

    student.send({ type: 'chat-send', thread, clientId: 'b1', draft: { kind: 'html', text: '<script>' } })
    expect(await student.next('error')).toMatchObject({ code: 'bad_request', fatal: false })
    student.send({ type: 'chat-send', thread: 'thread-../../etc', clientId: 'b2', draft: { kind: 'text', text: 'x' } })
    expect(await student.next('error')).toMatchObject({ code: 'bad_request', fatal: false })

    for (let i = 0; i < CHAT_MESSAGES_PER_MINUTE + 1; i++) student.send({ type: 'chat-send', thread, clientId: `m${i}`, draft: { kind: 'text', text: `m${i}` } })
    const answered = (): ThreadServerMessage[] => student.messages.filter((m) => m.type === 'chat-message' || m.type === 'chat-refused')
    await expect.poll(() => answered().length).toBe(CHAT_MESSAGES_PER_MINUTE + 1)
    const refused = answered().filter((a) => a.type === 'chat-refused')
    expect(refused).toEqual([expect.objectContaining({ clientId: `m${CHAT_MESSAGES_PER_MINUTE}`, code: 'rate_limited', retryAfterSeconds: expect.any(Number) })])

    for (const [name, bytes] of FORBIDDEN) {
      const res = await upload(server, wei.id, wei.code, bytes, name)
      expect(res.status, name).toBe(415)
      expect(await res.json()).toMatchObject({ error: { code: 'chat_file_unsupported' } })
    }
    // Still open and answering.
    student.send({ type: 'ping', t: 7 })
    expect(await student.next('pong')).toEqual({ type: 'pong', t: 7 })
  })

  it('a renewed personal code shuts out a socket opened with the old one, at its next message', async () => {
    const server = await school()
    const { wei } = await roster(server)
    const thread = threadIdOf(wei.id)
    const student = await signIn(server, wei.code)
    await student.next('thread-welcome')
    student.send({ type: 'chat-send', thread, clientId: 's1', draft: { kind: 'text', text: 'before' } })
    await student.next('chat-message')
    expect((await postAs(server, `/api/roster/${wei.id}/code`, LI)).status).toBe(200)
    student.send({ type: 'chat-send', thread, clientId: 's2', draft: { kind: 'text', text: 'after' } })
    expect(await student.next('chat-refused')).toMatchObject({ clientId: 's2', code: 'not_found' })
    student.send({ type: 'thread-open', thread })
    expect(await student.next('error')).toMatchObject({ code: 'not_found' })
  })

  it('refuses more than 32 sockets from one address waiting for hello', async () => {
    const server = await school()
    const waiting = await Promise.all(Array.from({ length: 32 }, () => TestClient.connect(server, {}, THREAD_WS_PATH, ThreadServerMessageSchema)))
    await expect(TestClient.connect(server, {}, THREAD_WS_PATH, ThreadServerMessageSchema)).rejects.toThrow(/429/)
    // Signing in frees the slot.
    waiting[0]?.send({ type: 'hello', token: LI })
    await waiting[0]?.next('thread-welcome')
    const next = await TestClient.connect(server, {}, THREAD_WS_PATH, ThreadServerMessageSchema)
    for (const client of [...waiting, next]) client.close()
  })

  it('holds a socket that has not signed in to the lesson socket’s caps: hello first, within the time', async () => {
    const server = await school({ helloTimeoutMs: 200 })
    const { wei } = await roster(server)
    const early = await TestClient.connect(server, {}, THREAD_WS_PATH, ThreadServerMessageSchema)
    early.send({ type: 'thread-open', thread: threadIdOf(wei.id) })
    expect(await early.next('error')).toMatchObject({ code: 'unauthorized', fatal: true })
    expect((await early.closedWithin()).code).toBe(CloseCode.unauthorized)
    const silent = await TestClient.connect(server, {}, THREAD_WS_PATH, ThreadServerMessageSchema)
    expect((await silent.closedWithin()).code).toBe(CloseCode.helloTimeout)
  })
})
