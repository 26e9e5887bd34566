import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach } from 'vitest'

/**
 * A local stand-in for an OpenAI-compatible provider (and a local Ollama),
 * speaking the streaming protocol exactly: `data: {json}\n\n` chunks with
 * choices[0].delta.content, a final chunk with finish_reason, then
 * `data: [DONE]\n\n`. Each request follows a scripted behaviour and is
 * recorded, including whether and when the client cancelled it.
 */
export interface Behaviour {
  /** Text pieces sent one chunk each. */
  tokens?: string[]
  /** Pause before each chunk. */
  delayMs?: number
  /** Pause before the response headers. */
  headerDelayMs?: number
  /** Close the connection after this many chunks, with no finish and no [DONE]. */
  cutAfter?: number
  /**
   * After this many chunks, send nothing more and keep the stream open until
   * the client cancels (a model still thinking), so a test that stops an
   * answer mid-way cannot race the answer's end on a slow machine.
   */
  holdAfter?: number
  /** Send a chunk that is not JSON after this many chunks. */
  malformedAfter?: number
  /** Answer with this HTTP status and an OpenAI-style error body. */
  status?: number
  retryAfter?: string
  finishReason?: 'stop' | 'length'
  /** Send the answer as one JSON body, ignoring stream: true. */
  nonStreaming?: boolean
  /** Report an error object inside the stream after the tokens. */
  errorChunk?: string
  /** The error body's message (providers sometimes echo part of the key). */
  errorMessage?: string
}

export interface RecordedRequest {
  path: string
  headers: http.IncomingHttpHeaders
  body: Record<string, unknown>
  receivedAt: number
  /** When the first token was written (epoch ms), if any. */
  firstTokenAt: number | null
  /** The client cancelled before the response ended. */
  aborted: boolean
  abortedAt: number | null
  ended: boolean
}

export interface FakeModel {
  url: string
  /** OpenAI-compatible base URL (…/v1). */
  baseUrl: string
  requests: RecordedRequest[]
  /** Behaviours for the next requests, in order; afterwards `fallback`. */
  script(...behaviours: Behaviour[]): void
  fallback: Behaviour
  ollamaModels: string[]
  /** Models /api/show reports as vision-capable. */
  visionModels: string[]
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

/** A session server's AI settings that point it at this fake model (and look for no local Ollama). */
export function aiEnvFor(fake: FakeModel): Record<string, string> {
  return { DUET_AI_BASE_URL: fake.baseUrl, DUET_AI_MODEL: 'fake-tutor-1', DUET_AI_API_KEY: 'sk-e2e-secret-key-000', DUET_AI_OLLAMA_URL: 'off' }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A hold past the last token would end the answer normally: the race `holdAfter` exists to prevent, silently back. */
function checked(b: Behaviour): Behaviour {
  if (b.holdAfter !== undefined && b.holdAfter >= (b.tokens ?? []).length) {
    throw new Error(`fake model: holdAfter ${b.holdAfter} must be below the number of tokens (${(b.tokens ?? []).length})`)
  }
  return b
}

export async function startFakeModel(defaults: Behaviour = { tokens: ['Hello', ' there', '!'] }): Promise<FakeModel> {
  checked(defaults)
  const queue: Behaviour[] = []
  const requests: RecordedRequest[] = []
  const sockets = new Set<import('node:net').Socket>()
  const fake: FakeModel = {
    url: '',
    baseUrl: '',
    requests,
    script: (...behaviours) => void queue.push(...behaviours.map(checked)),
    fallback: defaults,
    ollamaModels: [],
    visionModels: [],
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error('fake model: condition not met in time')
        await sleep(5)
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const path = new URL(req.url ?? '/', 'http://x').pathname
      if (path === '/api/tags') return json(res, 200, { models: fake.ollamaModels.map((name) => ({ name, model: name })) })
      if (path === '/api/show') {
        const model = (JSON.parse(text || '{}') as { model?: string }).model ?? ''
        return json(res, 200, { capabilities: fake.visionModels.includes(model) ? ['completion', 'vision'] : ['completion'] })
      }
      if (path !== '/v1/chat/completions' || req.method !== 'POST') return json(res, 404, { error: { message: 'not found' } })
      let body: Record<string, unknown> = {}
      try {
        body = JSON.parse(text) as Record<string, unknown>
      } catch {
        return json(res, 400, { error: { message: 'bad json' } })
      }
      const record: RecordedRequest = { path, headers: req.headers, body, receivedAt: Date.now(), firstTokenAt: null, aborted: false, abortedAt: null, ended: false }
      requests.push(record)
      res.on('close', () => {
        if (!res.writableFinished) {
          record.aborted = true
          record.abortedAt = Date.now()
        }
      })
      void respond(res, queue.shift() ?? fake.fallback, record, String(body.model ?? 'fake'))
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  fake.url = `http://127.0.0.1:${port}`
  fake.baseUrl = `${fake.url}/v1`
  return fake
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

/** Drops the connection mid-answer, after what was written has gone out. */
async function cut(res: http.ServerResponse): Promise<void> {
  await sleep(30)
  res.destroy()
}

function chunk(model: string, delta: Record<string, unknown>, finish: string | null = null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
}

async function respond(res: http.ServerResponse, b: Behaviour, record: RecordedRequest, model: string): Promise<void> {
  const live = () => !res.destroyed && !res.writableEnded
  if (b.headerDelayMs) await sleep(b.headerDelayMs)
  if (!live()) return
  if (b.status && b.status !== 200) {
    const message = b.errorMessage ?? `fake error ${b.status}`
    return json(res, b.status, { error: { message, type: 'fake' } }, b.retryAfter ? { 'Retry-After': b.retryAfter } : {})
  }
  const tokens = b.tokens ?? []
  if (b.nonStreaming) {
    record.firstTokenAt = Date.now()
    record.ended = true
    return json(res, 200, { choices: [{ index: 0, message: { role: 'assistant', content: tokens.join('') }, finish_reason: b.finishReason ?? 'stop' }] })
  }
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
  res.write(chunk(model, { role: 'assistant', content: '' }))
  for (let i = 0; i < tokens.length; i++) {
    if (b.delayMs) await sleep(b.delayMs)
    if (!live()) return
    if (b.cutAfter !== undefined && i >= b.cutAfter) return cut(res)
    if (b.holdAfter !== undefined && i >= b.holdAfter) return
    if (b.malformedAfter !== undefined && i === b.malformedAfter) res.write('data: {"choices": [ {"delta": \n\n')
    record.firstTokenAt ??= Date.now()
    res.write(chunk(model, { content: tokens[i] }))
  }
  if (b.cutAfter !== undefined) return cut(res)
  if (b.errorChunk) res.write(`data: ${JSON.stringify({ error: { message: b.errorChunk } })}\n\n`)
  res.write(chunk(model, {}, b.finishReason ?? 'stop'))
  res.write('data: [DONE]\n\n')
  record.ended = true
  res.end()
}

/** A fake model started before each test of the file and closed after it: `model()` is the current one. */
export function fakeModelPerTest(defaults?: Behaviour): () => FakeModel {
  let current: FakeModel | null = null
  beforeEach(async () => {
    current = await startFakeModel(defaults)
  })
  afterEach(async () => {
    await current?.close()
    current = null
  })
  return () => {
    if (!current) throw new Error('the fake model runs only inside a test')
    return current
  }
}
