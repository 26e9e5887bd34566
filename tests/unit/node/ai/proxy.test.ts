import { describe, expect, it } from 'vitest'
import { AiConversationResponseSchema } from '../../../../src/shared/ai/conversation'
import { AiStatusSchema } from '../../../../src/shared/ai/schema'
import type { AiConfigInput } from '../../../../src/shared/ai/config'
import { memoryLogger, serversClosedAfterEach } from '../../server/helpers'
import { fakeModelPerTest } from '../../../support/fakeModel'
import { ask, getJson, hasDelta, lastEvent, lessonPair, postAi } from '../../server/ai/helpers'

const KEY = 'sk-test-SECRETKEY1234567890'
const startServer = serversClosedAfterEach()
const fake = fakeModelPerTest()

async function setup(ai: Partial<AiConfigInput> = {}) {
  const logger = memoryLogger()
  const server = await startServer({ logger, ai: { baseUrl: fake().baseUrl, model: 'fake-model', apiKey: KEY, ollamaUrl: null, ...ai } })
  return { server, logger, ...(await lessonPair(server)) }
}

const messagesOf = (i: number) => fake().requests[i]?.body.messages as { role: string; content: unknown }[]

describe('AI proxy: streaming', () => {
  it('streams the provider tokens through as they come and saves the exchange', async () => {
    const { server, student } = await setup()
    const result = await ask(server, student, { question: 'What is 2+2?' })
    expect(result.status).toBe(200)
    expect(result.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(result.events.map((e) => e.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done'])
    expect(result.text).toBe('Hello there!')
    expect(lastEvent(result)).toEqual({ type: 'done', finishReason: 'stop' })

    const upstream = fake().requests[0]!
    expect(upstream.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(upstream.body).toMatchObject({ model: 'fake-model', stream: true, max_tokens: 1024 })
    const messages = messagesOf(0)
    expect(messages[0]?.role).toBe('system')
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'What is 2+2?' })

    const saved = AiConversationResponseSchema.parse((await getJson(server, '/api/ai/conversation', student)).body)
    expect(saved.conversation?.messages.map((m) => [m.role, m.text, m.status])).toEqual([
      ['user', 'What is 2+2?', 'complete'],
      ['assistant', 'Hello there!', 'complete'],
    ])
  })

  it('cancels the upstream request the moment the client stops, keeping the partial answer', async () => {
    const { server, student } = await setup()
    fake().script({ tokens: Array.from({ length: 50 }, (_, i) => `t${i} `), delayMs: 40, holdAfter: 40 })
    const result = await ask(server, student, { question: 'Long one' }, hasDelta)
    // Stopped after the first delta; a busy machine may have delivered a couple of tokens in one read.
    expect(result.text).toMatch(/^t0 (t1 )?(t2 )?$/)
    await fake().waitFor(() => fake().requests[0]?.aborted === true)
    expect(fake().requests[0]?.ended).toBe(false)

    await expect.poll(async () => AiConversationResponseSchema.parse((await getJson(server, '/api/ai/conversation', student)).body).conversation?.messages.at(-1)?.status).toBe('stopped')
    const saved = AiConversationResponseSchema.parse((await getJson(server, '/api/ai/conversation', student)).body)
    expect(saved.conversation?.messages.at(-1)?.text).toMatch(/^t0 /)
  })

  it('a new question while an answer streams (barge-in) cancels it and asks with the conversation so far', async () => {
    const { server, student } = await setup()
    fake().script({ tokens: Array.from({ length: 50 }, (_, i) => `w${i} `), delayMs: 40, holdAfter: 40 }, { tokens: ['Second'] })
    // The first stream is left open by its client: the server must supersede it by itself.
    const first = ask(server, student, { question: 'First question' })
    await fake().waitFor(() => (fake().requests[0]?.firstTokenAt ?? null) !== null)
    await new Promise((r) => setTimeout(r, 100))
    const second = await ask(server, student, { question: 'Second question' })
    expect(second.text).toBe('Second')
    expect(fake().requests[0]?.aborted).toBe(true)
    const firstResult = await first
    expect(lastEvent(firstResult)).toEqual({ type: 'done', finishReason: 'stopped' })

    const messages = messagesOf(1)
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user'])
    expect(messages[1]?.content).toBe('First question')
    expect(String(messages[2]?.content)).toMatch(/^w0 w1 /)
    expect(messages[3]?.content).toBe('Second question')
  })

  it('passes a non-streamed JSON answer on as one delta', async () => {
    const { server, student } = await setup()
    fake().script({ tokens: ['All', ' at once'], nonStreaming: true })
    const result = await ask(server, student, { question: 'q' })
    expect(result.text).toBe('All at once')
    expect(lastEvent(result)).toEqual({ type: 'done', finishReason: 'stop' })
  })
})

describe('AI proxy: provider errors', () => {
  it.each([
    [{ status: 401 }, 'ai_provider_auth'],
    [{ status: 403 }, 'ai_provider_auth'],
    [{ status: 500 }, 'ai_provider_error'],
    [{ status: 504 }, 'ai_provider_timeout'],
  ])('maps HTTP %j to %s', async (behaviour, code) => {
    const { server, student } = await setup()
    fake().script(behaviour)
    const result = await ask(server, student, { question: 'q' })
    expect(result.status).toBe(200)
    expect(lastEvent(result)).toMatchObject({ type: 'error', code })
  })

  it('passes the provider 429 Retry-After on', async () => {
    const { server, student } = await setup()
    fake().script({ status: 429, retryAfter: '7' })
    expect(lastEvent(await ask(server, student, { question: 'q' }))).toMatchObject({ type: 'error', code: 'ai_provider_rate_limited', retryAfterSeconds: 7 })
  })

  it('reports an unreachable provider', async () => {
    const { server, student } = await setup({ baseUrl: 'http://127.0.0.1:9/v1' })
    expect(lastEvent(await ask(server, student, { question: 'q' }))).toMatchObject({ type: 'error', code: 'ai_provider_unreachable' })
  })

  it('times out a provider that sends nothing, and cancels it', async () => {
    const { server, student } = await setup({ timeoutMs: 1000 })
    fake().script({ headerDelayMs: 3000, tokens: ['late'] })
    expect(lastEvent(await ask(server, student, { question: 'q' }))).toMatchObject({ type: 'error', code: 'ai_provider_timeout' })
    await fake().waitFor(() => fake().requests[0]?.aborted === true)
  })

  it('keeps what arrived when the stream is cut mid-answer', async () => {
    const { server, student } = await setup()
    fake().script({ tokens: ['One', ' two', ' three'], cutAfter: 2 })
    const result = await ask(server, student, { question: 'q' })
    expect(result.text).toBe('One two')
    expect(lastEvent(result)).toMatchObject({ type: 'error', code: 'ai_stream_cut' })
    const saved = AiConversationResponseSchema.parse((await getJson(server, '/api/ai/conversation', student)).body)
    expect(saved.conversation?.messages.at(-1)).toMatchObject({ text: 'One two', status: 'cut', errorCode: 'ai_stream_cut' })
  })

  it('stops at a malformed chunk, keeps the text before it, and the server stays up', async () => {
    const { server, student } = await setup()
    fake().script({ tokens: ['Good', ' start', ' never'], malformedAfter: 2 })
    const result = await ask(server, student, { question: 'q' })
    expect(result.text).toBe('Good start')
    expect(lastEvent(result)).toMatchObject({ type: 'error', code: 'ai_bad_chunk' })
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
    expect((await ask(server, student, { question: 'again' })).text).toBe('Hello there!')
  })

  it('reports an error object inside the stream', async () => {
    const { server, student } = await setup()
    fake().script({ tokens: ['Partial'], errorChunk: 'overloaded' })
    const result = await ask(server, student, { question: 'q' })
    expect(result.text).toBe('Partial')
    expect(lastEvent(result)).toMatchObject({ type: 'error', code: 'ai_provider_error' })
    expect(lastEvent(result)).toHaveProperty('message', expect.stringContaining('overloaded'))
  })

  it('retry asks the failed question again and replaces the failed answer', async () => {
    const { server, student } = await setup()
    fake().script({ status: 500 }, { tokens: ['Fixed'] })
    await ask(server, student, { question: 'Try me' })
    const retry = await ask(server, student, { action: 'retry' })
    expect(retry.text).toBe('Fixed')
    expect(messagesOf(1).at(-1)).toEqual({ role: 'user', content: 'Try me' })
    const saved = AiConversationResponseSchema.parse((await getJson(server, '/api/ai/conversation', student)).body)
    expect(saved.conversation?.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ])
  })
})

describe('AI proxy: the API key stays on the server', () => {
  it('never appears in any response, even when the provider echoes it', async () => {
    const { server, student, tutor, logger } = await setup()
    fake().script({ status: 401, errorMessage: `Incorrect API key provided: ${KEY}` })
    const bodies = [
      (await ask(server, student, { question: 'q' })).raw,
      (await ask(server, tutor, { question: 'q' })).raw,
      (await getJson(server, '/api/ai/status', student)).raw,
      (await getJson(server, '/api/ai/status', tutor)).raw,
      (await getJson(server, '/api/ai/conversation', student)).raw,
    ]
    for (const body of bodies) {
      expect(body).not.toContain(KEY)
      expect(body).not.toContain(fake().baseUrl)
    }
    expect(bodies[0]).toContain('ai_provider_auth')
    expect(JSON.stringify(logger.lines)).not.toContain(KEY)
  })
})

describe('AI limits', () => {
  it('enforces questions per student per day with a 429 the panel can explain', async () => {
    const { server, student, tutor } = await setup({ questionsPerStudentPerDay: 2 })
    await ask(server, student, { question: '1' })
    await ask(server, student, { question: '2' })
    const refused = await ask(server, student, { question: '3' })
    expect(refused.status).toBe(429)
    expect(JSON.parse(refused.raw)).toMatchObject({ error: { code: 'ai_daily_limit' } })
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(fake().requests).toHaveLength(2)
    // Tutors are not counted.
    expect((await ask(server, tutor, { question: 'tutor' })).status).toBe(200)
    const status = AiStatusSchema.parse((await getJson(server, '/api/ai/status', student)).body)
    expect(status.quota).toMatchObject({ used: 2, limit: 2 })
  })

  it('gives the question back when the provider failed before answering', async () => {
    const { server, student } = await setup({ questionsPerStudentPerDay: 1 })
    fake().script({ status: 500 })
    await ask(server, student, { question: '1' })
    expect((await ask(server, student, { question: '2' })).status).toBe(200)
  })

  it('asks for max tokens and cuts a provider that ignores it', async () => {
    const { server, student } = await setup({ maxTokensPerAnswer: 16 })
    fake().script({ tokens: Array.from({ length: 200 }, () => 'word '), delayMs: 1 })
    const result = await ask(server, student, { question: 'q' })
    expect(fake().requests[0]?.body.max_tokens).toBe(16)
    expect(result.events.some((e) => e.type === 'note' && e.code === 'answer_truncated')).toBe(true)
    expect(lastEvent(result)).toEqual({ type: 'done', finishReason: 'length' })
    expect(result.text.length).toBeLessThan(200)
    await fake().waitFor(() => fake().requests[0]?.aborted === true)
  })
})

describe('AI access', () => {
  it('needs a valid lesson token on every route', async () => {
    const { server } = await setup()
    for (const path of ['/api/ai/status', '/api/ai/conversation', '/api/ai/events']) {
      expect((await fetch(`${server.url}${path}`)).status).toBe(401)
      expect((await fetch(`${server.url}${path}`, { headers: { Authorization: 'Bearer not.a.token.at.all' } })).status).toBe(401)
    }
    const res = await fetch(`${server.url}/api/ai/ask`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"question":"q"}' })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } })
    expect(fake().requests).toHaveLength(0)
  })

  it('answers the desktop app’s CORS preflight with Authorization allowed', async () => {
    const { server } = await setup()
    const res = await fetch(`${server.url}/api/ai/ask`, { method: 'OPTIONS', headers: { Origin: 'app://duet', 'Access-Control-Request-Method': 'POST' } })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/)
  })

  it('validates the question body', async () => {
    const { server, student } = await setup()
    expect((await postAi(server, '/api/ai/ask', student, { question: '' })).status).toBe(400)
    expect((await postAi(server, '/api/ai/ask', student, { question: 'x'.repeat(5000) })).status).toBe(400)
    expect((await postAi(server, '/api/ai/ask', student, { question: 'q', extra: 1 })).status).toBe(400)
    expect((await postAi(server, '/api/ai/ask', student, { question: 'bell\u0007' })).status).toBe(400)
    expect((await postAi(server, '/api/ai/ask', student, { action: 'simpler' })).status).toBe(400)
    const huge = await postAi(server, '/api/ai/ask', student, { question: 'q', image: `data:image/png;base64,${'A'.repeat(5_000_000)}` })
    expect([400, 413]).toContain(huge.status)
    expect(fake().requests).toHaveLength(0)
  })

  it('refuses questions once the lesson has ended', async () => {
    const { server, student, tutor } = await setup()
    const { TestClient } = await import('../../server/helpers')
    const client = await TestClient.join(server, tutor)
    await client.next('welcome')
    client.send({ type: 'end-lesson' })
    await client.next('lesson-ended')
    const refused = await ask(server, student, { question: 'q' })
    expect(refused.status).toBe(410)
    // The transcript can still be read for the lesson record.
    expect((await getJson(server, '/api/ai/conversation', student)).status).toBe(200)
    client.close()
  })
})
