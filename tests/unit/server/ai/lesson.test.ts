import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AiConversationResponseSchema } from '../../../../src/shared/ai/conversation'
import { openDatabase } from '../../../../src/server/db/database'
import { silentLogger } from '../../../../src/server/logger'
import { AiLessonEventSchema, AiStatusSchema, type AiLessonEvent } from '../../../../src/shared/ai/schema'
import { SolveResultSchema } from '../../../../src/shared/ai/solver'
import { SseParser } from '../../../../src/shared/ai/sse'
import type { AiConfigInput } from '../../../../src/shared/ai/config'
import { serversClosedAfterEach, startServer as startUnmanaged } from '../helpers'
import { fakeModelPerTest } from '../../../support/fakeModel'
import { TINY_PNG, ask, authed, getJson, lessonPair, postAi } from './helpers'

const startServer = serversClosedAfterEach()
const fake = fakeModelPerTest()

async function setup(ai: Partial<AiConfigInput> = {}) {
  const server = await startServer({ ai: { baseUrl: fake().baseUrl, model: 'fake-model', ollamaUrl: null, ...ai } })
  return { server, ...(await lessonPair(server)) }
}

const systemOf = (i: number) => String((fake().requests[i]?.body.messages as { content: unknown }[])[0]?.content)
const lastUserOf = (i: number) => (fake().requests[i]?.body.messages as { role: string; content: unknown }[]).at(-1)

/** Reads the live settings stream until `count` events arrived. */
async function events(url: string, token: string, count: number, during: () => Promise<void>): Promise<AiLessonEvent[]> {
  const controller = new AbortController()
  const res = await fetch(`${url}/api/ai/events`, { headers: authed(token), signal: controller.signal })
  const reader = res.body!.getReader()
  const parser = new SseParser()
  const decoder = new TextDecoder()
  const out: AiLessonEvent[] = []
  let triggered = false
  while (out.length < count) {
    const { value, done } = await reader.read()
    if (done) break
    for (const m of parser.push(decoder.decode(value, { stream: true }))) out.push(AiLessonEventSchema.parse(JSON.parse(m.data)))
    if (!triggered && out.length >= 2) {
      triggered = true
      await during()
    }
  }
  controller.abort()
  return out
}

describe('modes', () => {
  it('students start hint-first; tutors always get direct answers', async () => {
    const { server, student, tutor } = await setup()
    expect(AiStatusSchema.parse((await getJson(server, '/api/ai/status', student)).body)).toMatchObject({ role: 'student', mode: 'hint-first', settings: { studentMode: 'hint-first', modeLocked: false } })
    expect(AiStatusSchema.parse((await getJson(server, '/api/ai/status', tutor)).body)).toMatchObject({ role: 'tutor', mode: 'direct', quota: null })
    await ask(server, student, { question: 's' })
    await ask(server, tutor, { question: 't' })
    expect(systemOf(0)).toMatch(/Teach, do not solve/)
    expect(systemOf(1)).toMatch(/assistant to a tutor/)
  })

  it('the tutor switches the student mode: the student panel hears it live and the next prompt changes', async () => {
    const { server, student, tutor } = await setup()
    await ask(server, student, { question: 'before' })
    const received = await events(server.url, student, 3, async () => {
      expect((await postAi(server, '/api/ai/settings', tutor, { studentMode: 'direct' })).status).toBe(200)
    })
    expect(received[2]).toEqual({ type: 'settings', settings: { studentMode: 'direct', modeLocked: false } })
    expect(AiStatusSchema.parse((await getJson(server, '/api/ai/status', student)).body).mode).toBe('direct')
    await ask(server, student, { question: 'after' })
    expect(systemOf(0)).toMatch(/Teach, do not solve/)
    expect(systemOf(1)).toMatch(/Answer the question directly/)
    expect(systemOf(1)).not.toMatch(/Teach, do not solve/)
  })

  it('only the tutor may switch it, and not when the server policy locks it', async () => {
    const { server, student } = await setup()
    expect((await postAi(server, '/api/ai/settings', student, { studentMode: 'direct' })).status).toBe(403)
    const locked = await setup({ lockMode: true, studentMode: 'hint-first' })
    const refused = await postAi(locked.server, '/api/ai/settings', locked.tutor, { studentMode: 'direct' })
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({ error: { code: 'ai_mode_locked' } })
    expect(AiStatusSchema.parse((await getJson(locked.server, '/api/ai/status', locked.student)).body).settings).toEqual({ studentMode: 'hint-first', modeLocked: true })
  })

  it("puts the student's own attempt in the context, and unlocks the full solution on the second request", async () => {
    const { server, student } = await setup()
    await ask(server, student, { question: 'Solve 2x + 3 = 11', attempt: '2x = 14 so x = 7' })
    expect(lastUserOf(0)?.content).toBe('Solve 2x + 3 = 11\n\nMy attempt so far:\n2x = 14 so x = 7')
    await ask(server, student, { action: 'reveal' })
    expect(systemOf(1)).toMatch(/asked once to see the full solution/)
    await ask(server, student, { action: 'reveal' })
    expect(systemOf(2)).toMatch(/may now see the full solution/)
    // A new question starts over with hints.
    await ask(server, student, { question: 'Next one' })
    expect(systemOf(3)).not.toMatch(/full solution \(/)
    expect(systemOf(3)).not.toMatch(/may now see/)
  })

  it('follow-up tools send their instruction with the history', async () => {
    const { server, tutor } = await setup()
    await ask(server, tutor, { question: 'Explain fractions' })
    await ask(server, tutor, { action: 'simpler', locale: 'zh-CN' })
    expect(String(lastUserOf(1)?.content)).toMatch(/more simply.*Simplified Chinese/)
    await ask(server, tutor, { action: 'practice' })
    expect(String(lastUserOf(2)?.content)).toMatch(/practice problem/)
    expect((fake().requests[2]?.body.messages as unknown[]).length).toBe(6)
  })
})

describe('pictures', () => {
  it('sends an attached picture as an image_url part to a vision model', async () => {
    const { server, student } = await setup({ vision: true })
    await ask(server, student, { question: 'What is on the board?', image: TINY_PNG })
    expect(lastUserOf(0)?.content).toEqual([
      { type: 'text', text: 'What is on the board?' },
      { type: 'image_url', image_url: { url: TINY_PNG } },
    ])
    const saved = AiConversationResponseSchema.parse((await getJson(server, '/api/ai/conversation', student)).body)
    expect(saved.conversation?.messages[0]).toMatchObject({ image: true })
    expect(JSON.stringify(saved)).not.toContain('base64')
  })

  it('a text-only model gets the text and the panel gets a note', async () => {
    const { server, student } = await setup({ vision: false })
    const result = await ask(server, student, { question: 'What is this?', image: TINY_PNG })
    expect(result.events.some((e) => e.type === 'note' && e.code === 'image_not_sent')).toBe(true)
    expect(lastUserOf(0)?.content).toBe('What is this?')
  })

  it('refuses bytes that are not the picture type they claim', async () => {
    const { server, student } = await setup({ vision: true })
    const fakePng = `data:image/png;base64,${Buffer.from('<script>alert(1)</script>').toString('base64')}`
    expect((await postAi(server, '/api/ai/ask', student, { question: 'q', image: fakePng })).status).toBe(400)
    expect(fake().requests).toHaveLength(0)
  })
})

describe('no model configured', () => {
  it('says so, and the offline solver still works', async () => {
    const server = await startServer({ ai: { ollamaUrl: null } })
    const { student } = await lessonPair(server)
    const status = AiStatusSchema.parse((await getJson(server, '/api/ai/status', student)).body)
    expect(status.provider).toBeNull()
    const refused = await postAi(server, '/api/ai/ask', student, { question: 'q' })
    expect(refused.status).toBe(503)
    expect(refused.body).toMatchObject({ error: { code: 'ai_not_configured' } })
    const solved = SolveResultSchema.parse((await postAi(server, '/api/ai/solve', student, { problem: 'Solve 2x + 3 = 11' })).body)
    expect(solved).toMatchObject({ ok: true, kind: 'equation', answer: { ascii: 'x = 4' } })
  })

  it('offers a local Ollama to the tutor, and uses it in one click', async () => {
    fake().ollamaModels = ['nomic-embed-text', 'qwen2.5:7b', 'llava:7b']
    fake().visionModels = ['llava:7b']
    const server = await startServer({ ai: { ollamaUrl: fake().url } })
    const { student, tutor } = await lessonPair(server)
    const offered = AiStatusSchema.parse((await getJson(server, '/api/ai/status', tutor)).body)
    expect(offered.ollama).toEqual({ models: ['qwen2.5:7b', 'llava:7b'] })
    expect(AiStatusSchema.parse((await getJson(server, '/api/ai/status', student)).body).ollama).toBeNull()

    expect((await postAi(server, '/api/ai/provider', student, { source: 'ollama', model: 'llava:7b' })).status).toBe(403)
    expect((await postAi(server, '/api/ai/provider', tutor, { source: 'ollama', model: 'missing' })).status).toBe(409)
    const chosen = AiStatusSchema.parse((await postAi(server, '/api/ai/provider', tutor, { source: 'ollama', model: 'llava:7b' })).body)
    expect(chosen.provider).toEqual({ source: 'ollama', model: 'llava:7b', vision: true })

    const answer = await ask(server, student, { question: 'Hi' })
    expect(answer.text).toBe('Hello there!')
    expect(fake().requests[0]?.body.model).toBe('llava:7b')
    expect(fake().requests[0]?.headers.authorization).toBeUndefined()
  })

  it('a configured model wins and Ollama is not offered', async () => {
    fake().ollamaModels = ['qwen2.5:7b']
    const { server, tutor } = await setup({ ollamaUrl: fake().url })
    expect(AiStatusSchema.parse((await getJson(server, '/api/ai/status', tutor)).body).ollama).toBeNull()
    expect((await postAi(server, '/api/ai/provider', tutor, { source: 'ollama', model: 'qwen2.5:7b' })).status).toBe(403)
  })
})

describe('the lesson record', { timeout: 60_000 }, () => {
  it('keeps conversations across a server restart and starts new ones on request', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-ai-'))
    try {
      const ai = { baseUrl: fake().baseUrl, model: 'fake-model', ollamaUrl: null }
      const first = await startUnmanaged({ dataDir, ai })
      const { student } = await lessonPair(first)
      await ask(first, student, { question: 'Remember me' })
      await first.close()
      const second = await startUnmanaged({ dataDir, ai })
      const saved = AiConversationResponseSchema.parse((await getJson(second, '/api/ai/conversation', student)).body)
      expect(saved.conversation?.messages.map((m) => m.text)).toEqual(['Remember me', 'Hello there!'])
      const fresh = AiConversationResponseSchema.parse((await postAi(second, '/api/ai/conversation/new', student, {})).body)
      expect(fresh.conversation?.messages).toEqual([])
      await ask(second, student, { question: 'New topic' })
      expect((fake().requests[1]?.body.messages as unknown[]).length).toBe(2)
      await second.close()
      // Both conversations are kept in the embedded database in the data folder.
      const database = await openDatabase({ kind: 'pglite', dir: path.join(dataDir, 'db') }, silentLogger)
      const rows = await database.db.selectFrom('ai_conversations').select('scope').execute()
      await database.close()
      expect(rows).toEqual([{ scope: 'lesson' }, { scope: 'lesson' }])
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
