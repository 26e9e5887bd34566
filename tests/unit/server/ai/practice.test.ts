import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { AiConversationResponseSchema } from '../../../../src/shared/ai/conversation'
import { PracticePassResponseSchema } from '../../../../src/shared/ai/practice'
import { AiStatusSchema } from '../../../../src/shared/ai/schema'
import type { AiConfigInput } from '../../../../src/shared/ai/config'
import { PassIssuance, PRACTICE_PASS_TTL_MS, PracticePassService } from '../../../../src/server/ai/practicePass'
import type { SessionServer } from '../../../../src/server/index'
import { TokenService } from '../../../../src/server/lesson/tokens'
import { fakeClock, serversClosedAfterEach } from '../helpers'
import { fakeModelPerTest, startFakeModel } from '../../../support/fakeModel'
import { ask, getJson, lessonPair, postAi } from './helpers'

const startServer = serversClosedAfterEach()
const fake = fakeModelPerTest()

/** The tutor's own app holds this key (the desktop app gives one to its embedded server). */
const TUTOR_KEY = 't'.repeat(32)
const asTutorApp = { Authorization: `Bearer ${TUTOR_KEY}` }

/** Students may practise here (the tutor turned it on), and the tutor's app has its key. */
async function setup(ai: Partial<AiConfigInput> = {}, now?: () => number) {
  return startServer({ ai: { baseUrl: fake().baseUrl, model: 'fake-model', ollamaUrl: null, studentPractice: true, ...ai }, now, tutorKeys: [TUTOR_KEY] })
}

async function getPass(server: SessionServer, body: unknown = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/api/ai/practice/pass`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) })
  const raw = await res.text()
  return { status: res.status, body: raw ? (JSON.parse(raw) as unknown) : null }
}

async function studentPass(server: SessionServer, name = 'Wei'): Promise<string> {
  const res = await getPass(server, { role: 'student', name })
  expect(res.status).toBe(200)
  return PracticePassResponseSchema.parse(res.body).pass
}

const systemOf = (i: number) => String((fake().requests[i]?.body.messages as { content: unknown }[])[0]?.content)

describe('practice passes', () => {
  it('a student pass asks outside any lesson: streamed answer, hint-first, saved conversation, quota shown', async () => {
    const server = await setup()
    const pass = await studentPass(server)
    const status = AiStatusSchema.parse((await getJson(server, '/api/ai/status', pass)).body)
    expect(status).toMatchObject({ role: 'student', scope: 'practice', mode: 'hint-first', settings: { modeLocked: false }, quota: { used: 0, limit: 100 }, lessonEnded: false })
    const answer = await ask(server, pass, { question: 'What is 2+2?' })
    expect(answer.status).toBe(200)
    expect(answer.text).toBe('Hello there!')
    expect(systemOf(0)).toMatch(/Teach, do not solve/)
    const saved = AiConversationResponseSchema.parse((await getJson(server, '/api/ai/conversation', pass)).body)
    expect(saved.conversation?.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'What is 2+2?'],
      ['assistant', 'Hello there!'],
    ])
    expect(AiStatusSchema.parse((await getJson(server, '/api/ai/status', pass)).body).quota?.used).toBe(1)
  })

  it('the person chooses their mode; a locked student mode cannot be changed by a student', async () => {
    const server = await setup()
    const pass = await studentPass(server)
    expect((await postAi(server, '/api/ai/settings', pass, { studentMode: 'direct' })).status).toBe(200)
    expect(AiStatusSchema.parse((await getJson(server, '/api/ai/status', pass)).body).mode).toBe('direct')
    await ask(server, pass, { question: 'x' })
    expect(systemOf(0)).toMatch(/Answer the question directly/)

    const locked = await setup({ lockMode: true, studentMode: 'hint-first' })
    const lockedPass = await studentPass(locked)
    const refused = await postAi(locked, '/api/ai/settings', lockedPass, { studentMode: 'direct' })
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({ error: { code: 'ai_mode_locked' } })
    expect(AiStatusSchema.parse((await getJson(locked, '/api/ai/status', lockedPass)).body)).toMatchObject({ mode: 'hint-first', settings: { modeLocked: true } })
  })

  it('tutor passes only for the tutor’s own app (it holds the tutor key), not for any caller on this machine', async () => {
    const server = await setup()
    const local = PracticePassResponseSchema.parse((await getPass(server, { role: 'tutor', name: 'Ms Li' }, asTutorApp)).body)
    expect(local.role).toBe('tutor')
    // Any page in the tutor's browser reaches loopback too; without the key it is a student.
    const loopback = PracticePassResponseSchema.parse((await getPass(server, { role: 'tutor' })).body)
    expect(loopback.role).toBe('student')
    const wrongKey = PracticePassResponseSchema.parse((await getPass(server, { role: 'tutor' }, { Authorization: `Bearer ${'x'.repeat(32)}` })).body)
    expect(wrongKey.role).toBe('student')
    const managed = await setup({ practiceLocalTutor: false })
    expect(PracticePassResponseSchema.parse((await getPass(managed, { role: 'tutor' }, asTutorApp)).body).role).toBe('student')
    // A tutor practising starts with direct answers, has no quota, and may try hint-first.
    const status = AiStatusSchema.parse((await getJson(server, '/api/ai/status', local.pass)).body)
    expect(status).toMatchObject({ role: 'tutor', scope: 'practice', mode: 'direct', quota: null })
    expect((await postAi(server, '/api/ai/settings', local.pass, { studentMode: 'hint-first' })).status).toBe(200)
    await ask(server, local.pass, { question: 'y' })
    expect(systemOf(0)).toMatch(/Teach, do not solve/)
  })

  it('counts the daily limit per pass subject, not per server or per lesson', async () => {
    const clock = fakeClock(new Date(2030, 0, 1, 9, 0, 0).getTime())
    const server = await setup({ questionsPerStudentPerDay: 2 }, clock.now)
    const first = await studentPass(server, 'A')
    const second = await studentPass(server, 'B')
    expect((await ask(server, first, { question: '1' })).status).toBe(200)
    expect((await ask(server, first, { question: '2' })).status).toBe(200)
    const refused = await ask(server, first, { question: '3' })
    expect(refused.status).toBe(429)
    expect(JSON.parse(refused.raw)).toMatchObject({ error: { code: 'ai_daily_limit' } })
    expect(Number(refused.headers.get('retry-after'))).toBe(15 * 3600)
    // Another person's pass has its own count, and a lesson's student too.
    expect((await ask(server, second, { question: '1' })).status).toBe(200)
    const { student } = await lessonPair(server, TUTOR_KEY)
    expect((await ask(server, student, { question: '1' })).status).toBe(200)
    // A new day starts the count again.
    clock.advance(15 * 3_600_000)
    expect((await ask(server, first, { question: '4' })).status).toBe(200)
  })

  it('refuses forged, expired and lesson-scoped tokens, and the pass cannot open a lesson', async () => {
    const clock = fakeClock()
    const server = await setup({}, clock.now)
    const pass = await studentPass(server)
    // Signed with another secret:
    const forged = await new PracticePassService(new Uint8Array(32).fill(7), clock.now).issue('tutor', 'Mallory')
    const bad = await getJson(server, '/api/ai/status', forged.pass)
    expect(bad.status).toBe(401)
    // A changed signature:
    const tampered = `${pass.slice(0, -4)}AAAA`
    expect((await getJson(server, '/api/ai/status', tampered)).status).toBe(401)
    clock.advance(PRACTICE_PASS_TTL_MS + 1000)
    expect((await getJson(server, '/api/ai/status', pass)).status).toBe(401)
  })

  it('a lesson token is not a pass and a pass is not a lesson token, even with the same secret', async () => {
    const secret = new Uint8Array(32).fill(1)
    const now = () => Date.now()
    const service = new PracticePassService(secret, now)
    const good = await service.issue('student', 'Wei')
    expect(await service.verify(good.pass)).toMatchObject({ role: 'student', name: 'Wei' })
    const lessonLike = await new SignJWT({ role: 'tutor', name: 'X', lid: 'l' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(good.claims.sub)
      .setIssuer('duet')
      .setExpirationTime('1h')
      .sign(secret)
    expect(await service.verify(lessonLike)).toBeNull()
    expect(await new TokenService(secret, now).verify(good.pass)).toBeNull()
    const lessonToken = await new TokenService(secret, now).sign({ sub: good.claims.sub, lid: 'l1', role: 'tutor', name: 'X' }, Date.now() + 60_000)
    expect(await service.verify(lessonToken)).toBeNull()
  })

  it('students practise only when the tutor or a policy turns it on; the tutor’s app always may', async () => {
    const server = await startServer({ ai: { baseUrl: fake().baseUrl, model: 'fake-model', ollamaUrl: null }, tutorKeys: [TUTOR_KEY] })
    expect(await getPass(server, { role: 'student' })).toMatchObject({ status: 403, body: { error: { code: 'ai_practice_disabled' } } })
    expect((await getPass(server, { role: 'tutor' }, asTutorApp)).status).toBe(200)
    server.updateAi({ baseUrl: fake().baseUrl, model: 'fake-model', ollamaUrl: null, studentPractice: true })
    const pass = await studentPass(server)
    expect((await getJson(server, '/api/ai/status', pass)).status).toBe(200)
    // Turned off again: the pass it gave stops working.
    server.updateAi({ baseUrl: fake().baseUrl, model: 'fake-model', ollamaUrl: null, studentPractice: false })
    expect((await getJson(server, '/api/ai/status', pass)).body).toMatchObject({ error: { code: 'ai_practice_disabled' } })
  })

  it('counts students’ practice questions per address too: new passes from one network do not get new questions', async () => {
    const server = await setup({ questionsPerStudentPerDay: 5, practiceQuestionsPerAddressPerDay: 3 })
    const passes = [await studentPass(server, 'A'), await studentPass(server, 'B')]
    expect((await ask(server, passes[0]!, { question: '1' })).status).toBe(200)
    expect((await ask(server, passes[0]!, { question: '2' })).status).toBe(200)
    expect((await ask(server, passes[1]!, { question: '3' })).status).toBe(200)
    const refused = await ask(server, passes[1]!, { question: '4' })
    expect(refused.status).toBe(429)
    expect(JSON.parse(refused.raw)).toMatchObject({ error: { code: 'ai_daily_limit' } })
  })

  it('allowPractice false: no passes, and passes issued before stop working', async () => {
    const server = await setup()
    const pass = await studentPass(server)
    server.updateAi({ baseUrl: fake().baseUrl, model: 'fake-model', ollamaUrl: null, studentPractice: true, allowPractice: false })
    expect(await getPass(server, { role: 'student' })).toMatchObject({ status: 403, body: { error: { code: 'ai_practice_disabled' } } })
    const refused = await getJson(server, '/api/ai/status', pass)
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({ error: { code: 'ai_practice_disabled' } })
    // Lessons are unaffected.
    const { student } = await lessonPair(server, TUTOR_KEY)
    expect((await getJson(server, '/api/ai/status', student)).status).toBe(200)
  })

  it('rate-limits pass issuing per address and validates the request', async () => {
    const server = await setup()
    expect((await getPass(server, { role: 'admin' })).status).toBe(400)
    expect((await getPass(server, { role: 'student', extra: 1 })).status).toBe(400)
    const clock = fakeClock()
    const issuance = new PassIssuance(3, clock.now)
    expect([1, 2, 3, 4].map(() => issuance.take('10.0.0.5').ok)).toEqual([true, true, true, false])
    expect(issuance.take('10.0.0.6').ok).toBe(true)
    clock.advance(3_600_000)
    expect(issuance.take('10.0.0.5').ok).toBe(true)
  })

  it('no model: a tutor pass is offered the local Ollama in one click, a student pass gets the offline solver', async () => {
    fake().ollamaModels = ['qwen2.5:7b']
    const server = await startServer({ ai: { ollamaUrl: fake().url, studentPractice: true }, tutorKeys: [TUTOR_KEY] })
    const tutor = PracticePassResponseSchema.parse((await getPass(server, { role: 'tutor' }, asTutorApp)).body).pass
    const student = await studentPass(server)
    expect(AiStatusSchema.parse((await getJson(server, '/api/ai/status', tutor)).body)).toMatchObject({ provider: null, ollama: { models: ['qwen2.5:7b'] } })
    expect(AiStatusSchema.parse((await getJson(server, '/api/ai/status', student)).body)).toMatchObject({ provider: null, ollama: null })
    expect((await postAi(server, '/api/ai/provider', student, { source: 'ollama', model: 'qwen2.5:7b' })).status).toBe(403)
    const chosen = AiStatusSchema.parse((await postAi(server, '/api/ai/provider', tutor, { source: 'ollama', model: 'qwen2.5:7b' })).body)
    expect(chosen.provider).toMatchObject({ source: 'ollama', model: 'qwen2.5:7b' })
    expect((await ask(server, tutor, { question: 'hi' })).text).toBe('Hello there!')
    // The choice is the tutor pass's own; the student still has no model, and the solver works.
    expect((await ask(server, student, { question: 'hi' })).status).toBe(503)
    const solved = await postAi(server, '/api/ai/solve', student, { problem: '2x + 3 = 11' })
    expect(solved.status).toBe(200)
    expect(solved.body).toMatchObject({ ok: true })
  })

  it('barge-in outside lessons: a new question stops the answer still streaming, which stays in the history', async () => {
    const server = await setup()
    const pass = await studentPass(server)
    fake().script({ tokens: Array.from({ length: 60 }, (_, i) => `w${i} `), delayMs: 40, holdAfter: 40 }, { tokens: ['Next', '.'] })
    const first = ask(server, pass, { question: 'long one' })
    await fake().waitFor(() => (fake().requests[0]?.firstTokenAt ?? null) !== null)
    await new Promise((r) => setTimeout(r, 150))
    const second = await ask(server, pass, { question: 'short one' })
    expect(second.text).toBe('Next.')
    const stopped = await first
    expect(stopped.events.at(-1)).toMatchObject({ type: 'done', finishReason: 'stopped' })
    await fake().waitFor(() => fake().requests[0]?.aborted === true)
    const history = (fake().requests[1]?.body.messages as { role: string; content: unknown }[]).map((m) => m.role)
    expect(history).toEqual(['system', 'user', 'assistant', 'user'])
  })

  it('applies new AI settings live: the next question goes to the new model; invalid settings change nothing', async () => {
    const server = await setup()
    const pass = await studentPass(server)
    const other = await startFakeModel({ tokens: ['Other', ' model'] })
    try {
      server.updateAi({ baseUrl: other.baseUrl, model: 'other-model', ollamaUrl: null, studentPractice: true })
      expect(AiStatusSchema.parse((await getJson(server, '/api/ai/status', pass)).body).provider?.model).toBe('other-model')
      expect((await ask(server, pass, { question: 'q' })).text).toBe('Other model')
      expect(() => server.updateAi({ baseUrl: 'ftp://nope', model: 'm' })).toThrow()
      expect(AiStatusSchema.parse((await getJson(server, '/api/ai/status', pass)).body).provider?.model).toBe('other-model')
    } finally {
      await other.close()
    }
  })
})
