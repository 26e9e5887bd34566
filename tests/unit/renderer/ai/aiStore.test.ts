import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { AiEndpoint } from '../../../../src/renderer/ai/aiApi'
import { useAiStore } from '../../../../src/renderer/ai/stores/aiStore'
import type { StreamEnd } from '../../../../src/renderer/ai/streamClient'
import type { AiConversation } from '../../../../src/shared/ai/conversation'
import type { AiLessonEvent, AiStatus, AiStreamEvent, AskRequest } from '../../../../src/shared/ai/schema'

/**
 * The AI store against a fake stream client: each question opens a stream the
 * test plays (start, tokens, notes, the ending) and can see being aborted; the
 * JSON routes and the live lesson events are fakes too.
 */

interface FakeStream {
  body: AskRequest
  signal: AbortSignal
  emit(event: AiStreamEvent): void
  end(end: StreamEnd): Promise<void>
}

const fake = vi.hoisted(() => ({
  streams: [] as FakeStream[],
  lessonEvents: null as ((event: AiLessonEvent) => void) | null,
  stopListening: () => {},
}))

vi.mock('../../../../src/renderer/ai/streamClient', () => ({
  // As the real client: events while reading, never throws, an abort ends it as 'aborted'.
  streamAnswer: (_endpoint: unknown, body: AskRequest, signal: AbortSignal, onEvent: (event: AiStreamEvent) => void) =>
    new Promise<StreamEnd>((resolve) => {
      signal.addEventListener('abort', () => resolve({ kind: 'aborted' }))
      fake.streams.push({
        body,
        signal,
        emit: (event) => {
          if (!signal.aborted) onEvent(event)
        },
        end: async (end) => {
          resolve(end)
          await new Promise((r) => setTimeout(r, 0))
        },
      })
    }),
}))

vi.mock('../../../../src/renderer/ai/lessonEvents', () => ({
  listenToLessonAi: (_endpoint: unknown, onEvent: (event: AiLessonEvent) => void) => {
    fake.lessonEvents = onEvent
    return () => fake.stopListening()
  },
}))

vi.mock('../../../../src/renderer/ai/aiApi', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../../src/renderer/ai/aiApi')>()
  return {
    ...real,
    aiApi: {
      status: vi.fn(),
      conversation: vi.fn(),
      newConversation: vi.fn(),
      setStudentMode: vi.fn(),
      useOllama: vi.fn(),
      solve: vi.fn(),
    },
  }
})

const { aiApi, AiRequestError } = await import('../../../../src/renderer/ai/aiApi')
const api = vi.mocked(aiApi)

const ENDPOINT: AiEndpoint = { server: 'http://127.0.0.1:47300', token: 'student-token' }

function status(change: Partial<AiStatus> = {}): AiStatus {
  return {
    role: 'student',
    scope: 'lesson',
    provider: { source: 'config', model: 'qwen2.5', vision: false },
    settings: { studentMode: 'hint-first', modeLocked: false },
    mode: 'hint-first',
    quota: null,
    maxTokensPerAnswer: 800,
    ollama: null,
    lessonEnded: false,
    ...change,
  }
}

const HISTORY: AiConversation = {
  id: 'c-1',
  createdAt: 1,
  owner: { id: 'p-student', role: 'student', name: 'Wei' },
  revealRequests: 0,
  messages: [
    { id: 'm-1', role: 'user', text: 'What is 2x = 6?', at: 1, action: 'ask', status: 'complete' },
    { id: 'm-2', role: 'assistant', text: 'What could you divide both sides by?', at: 2, status: 'complete', mode: 'hint-first' },
  ],
}

const math = (ascii: string) => ({ ascii, tex: ascii })

function latest(): FakeStream {
  const stream = fake.streams.at(-1)
  if (!stream) throw new Error('no question was sent')
  return stream
}

const start = (id = 'a-1', userMessageId = 'q-1'): AiStreamEvent => ({ type: 'start', conversationId: 'c-1', userMessageId, messageId: id, mode: 'hint-first', model: 'qwen2.5' })

async function opened() {
  const store = useAiStore()
  await store.open(ENDPOINT)
  return store
}

beforeEach(() => {
  setActivePinia(createPinia())
  fake.streams = []
  fake.lessonEvents = null
  fake.stopListening = vi.fn()
  vi.resetAllMocks()
  api.status.mockResolvedValue(status())
  api.conversation.mockResolvedValue({ conversation: HISTORY })
})

describe('AI store', () => {
  it('opening loads the status and the conversation so far; opening again for the same lesson keeps it', async () => {
    const store = await opened()
    expect(store.status?.mode).toBe('hint-first')
    expect(store.messages.map((m) => [m.role, m.text, m.recorded])).toEqual([
      ['user', 'What is 2x = 6?', true],
      ['assistant', 'What could you divide both sides by?', true],
    ])
    await store.open(ENDPOINT)
    expect(api.conversation).toHaveBeenCalledTimes(1)
    expect(store.messages).toHaveLength(2)
    // Another lesson (another pass) starts clean.
    api.conversation.mockResolvedValue({ conversation: null })
    await store.open({ ...ENDPOINT, token: 'another-lesson' })
    expect(store.messages).toEqual([])
  })

  it('a question streams in: thinking, then tokens as they come, then complete; the server’s ids replace the local ones', async () => {
    api.conversation.mockResolvedValue({ conversation: null })
    const store = await opened()
    const asked = store.ask({ question: '  Why is x = 3?  ', attempt: ' 2x = 6 so x = 3 ', locale: 'zh-CN' })
    expect(latest().body).toEqual({ action: 'ask', question: 'Why is x = 3?', attempt: '2x = 6 so x = 3', image: undefined, locale: 'zh-CN' })
    expect(store.phase).toBe('thinking')
    expect(store.messages.map((m) => [m.role, m.status, m.recorded])).toEqual([
      ['user', 'complete', false],
      ['assistant', 'streaming', undefined],
    ])
    latest().emit(start('a-9', 'q-9'))
    expect(store.messages.map((m) => m.id)).toEqual(['q-9', 'a-9'])
    expect(store.messages[0]?.recorded).toBe(true)
    latest().emit({ type: 'delta', text: 'Divide both ' })
    expect(store.phase).toBe('streaming')
    latest().emit({ type: 'delta', text: 'sides by 2.' })
    expect(store.messages[1]?.text).toBe('Divide both sides by 2.')
    await latest().end({ kind: 'done', finishReason: 'stop' })
    await asked
    expect(store.phase).toBe('idle')
    expect(store.messages[1]).toMatchObject({ status: 'complete', mode: 'hint-first' })
  })

  it('Stop (or Esc) ends the answer where it is and keeps what arrived; nothing that comes later is added', async () => {
    const store = await opened()
    const asked = store.ask({ question: 'Explain fractions' })
    const stream = latest()
    stream.emit(start())
    stream.emit({ type: 'delta', text: 'A fraction is' })
    store.stop()
    await asked
    expect(stream.signal.aborted).toBe(true)
    expect(store.phase).toBe('idle')
    stream.emit({ type: 'delta', text: ' too late' })
    expect(store.messages.at(-1)).toMatchObject({ text: 'A fraction is', status: 'stopped' })
  })

  it('a new question while one streams stops the first (it stays in the history) and asks the second', async () => {
    const store = await opened()
    const first = store.ask({ question: 'First' })
    latest().emit(start('a-1', 'q-1'))
    latest().emit({ type: 'delta', text: 'Part of' })
    const second = store.ask({ question: 'Second' })
    await first
    expect(fake.streams[0]?.signal.aborted).toBe(true)
    expect(store.messages.slice(-4).map((m) => [m.text, m.status])).toEqual([
      ['First', 'complete'],
      ['Part of', 'stopped'],
      ['Second', 'complete'],
      ['', 'streaming'],
    ])
    await latest().end({ kind: 'done', finishReason: 'length' })
    await second
    expect(store.messages.at(-1)?.status).toBe('truncated')
  })

  it('notes are kept with the answer; a stream cut after some text is "cut", before any text an error; a wait is kept for Try again', async () => {
    const store = await opened()
    const one = store.ask({ question: 'With a picture', image: 'data:image/png;base64,AA' })
    latest().emit(start())
    latest().emit({ type: 'note', code: 'image_not_sent' })
    latest().emit({ type: 'delta', text: 'Looking at' })
    await latest().end({ kind: 'error', error: new AiRequestError('network', 'connection reset') })
    await one
    expect(store.messages.at(-1)).toMatchObject({ status: 'cut', errorCode: 'network', notes: ['image_not_sent'] })

    const before = Date.now()
    const two = store.ask({ question: 'Again' })
    await latest().end({ kind: 'error', error: new AiRequestError('rate_limited', 'slow down', 30) })
    await two
    const failed = store.messages.at(-1)
    expect(failed).toMatchObject({ status: 'error', errorCode: 'rate_limited', text: '' })
    expect(failed?.retryAt).toBeGreaterThanOrEqual(before + 30_000)
  })

  it('Try again re-asks a recorded question by reference, and sends a refused one as new', async () => {
    api.conversation.mockResolvedValue({ conversation: null })
    const store = await opened()
    // Recorded by the server, then the provider failed.
    const one = store.ask({ question: 'Recorded' })
    latest().emit(start('a-1', 'q-1'))
    await latest().end({ kind: 'error', error: new AiRequestError('ai_provider_error', 'bad gateway') })
    await one
    const again = store.retry('en')
    expect(latest().body).toEqual({ action: 'retry', locale: 'en' })
    expect(store.messages.map((m) => m.text)).toEqual(['Recorded', ''])
    await latest().end({ kind: 'done', finishReason: 'stop' })
    await again

    // Refused before it was recorded (the daily limit): it goes again as a new question, attempt and all.
    const two = store.ask({ question: 'Refused', attempt: 'my working' })
    await latest().end({ kind: 'error', error: new AiRequestError('rate_limited', 'limit') })
    await two
    void store.retry()
    expect(latest().body).toMatchObject({ action: 'ask', question: 'Refused', attempt: 'my working' })
    expect(store.messages.filter((m) => m.text === 'Refused')).toHaveLength(1)
  })

  it('an answer that says no model is set up refreshes the status (the panel then offers the offline solver)', async () => {
    const store = await opened()
    api.status.mockResolvedValue(status({ provider: null }))
    const asked = store.ask({ question: 'Anyone there?' })
    await latest().end({ kind: 'error', error: new AiRequestError('ai_not_configured', 'no model') })
    await asked
    await vi.waitFor(() => expect(store.status?.provider).toBeNull())
  })

  it('the tutor switching the student to direct answers shows on the student’s panel at once; a new model is shown too', async () => {
    const store = await opened()
    fake.lessonEvents?.({ type: 'settings', settings: { studentMode: 'direct', modeLocked: false } })
    expect(store.status?.mode).toBe('direct')
    expect(store.modeNotice).toBe('direct')
    fake.lessonEvents?.({ type: 'provider', provider: { source: 'ollama', model: 'llama3', vision: true } })
    expect(store.status?.provider?.model).toBe('llama3')
    store.close()
    expect(fake.stopListening).toHaveBeenCalled()
  })

  it('a tutor sets the student mode; practising outside a lesson the setting is the person’s own mode', async () => {
    api.status.mockResolvedValue(status({ role: 'tutor', mode: 'direct' }))
    const store = await opened()
    api.setStudentMode.mockResolvedValue({ studentMode: 'direct', modeLocked: false })
    await store.setStudentMode('direct')
    expect(store.status?.settings.studentMode).toBe('direct')
    expect(store.status?.mode).toBe('direct')

    setActivePinia(createPinia())
    api.status.mockResolvedValue(status({ scope: 'practice' }))
    const practising = await opened()
    await practising.setStudentMode('direct')
    expect(practising.status?.mode).toBe('direct')
    // An error is shown, not thrown.
    api.setStudentMode.mockRejectedValue(new AiRequestError('forbidden', 'no'))
    await practising.setStudentMode('hint-first')
    expect(practising.loadError?.code).toBe('forbidden')
    expect(practising.busy).toBe(false)
  })

  it('the offline solver reveals one step at a time, or all', async () => {
    const store = await opened()
    api.solve.mockResolvedValue({
      ok: true,
      kind: 'equation',
      problem: math('2x+3=11'),
      steps: [
        { change: 'SUBTRACT_FROM_BOTH_SIDES', before: math('2x+3=11'), after: math('2x=8') },
        { change: 'DIVIDE_FROM_BOTH_SIDES', before: math('2x=8'), after: math('x=4') },
      ],
      answer: math('x=4'),
    })
    await store.solve(' 2x + 3 = 11 ')
    const entry = store.solver[0]
    expect(entry).toMatchObject({ input: '2x + 3 = 11', shown: 1, error: null })
    if (!entry) return
    store.revealStep(entry)
    store.revealStep(entry)
    expect(entry.shown).toBe(2)
    api.solve.mockRejectedValue(new AiRequestError('network', 'down'))
    await store.solve('x+1=2')
    expect(store.solver[1]?.error).toBe('network')
  })

  it('a new chat stops the answer and empties the panel', async () => {
    const store = await opened()
    void store.ask({ question: 'Something' })
    api.newConversation.mockResolvedValue({ conversation: null })
    await store.newChat()
    expect(latest().signal.aborted).toBe(true)
    expect(store.messages).toEqual([])
    expect(store.phase).toBe('idle')
  })
})
