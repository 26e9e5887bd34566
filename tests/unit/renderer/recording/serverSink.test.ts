import { afterEach, describe, expect, it, vi } from 'vitest'
import { ServerSink } from '../../../../src/renderer/recording/serverSink'
import { LESSON_ID, meta } from '../../shared/recording/helpers'

const OPEN = { ok: true, recordingId: 'rec-00000001', file: 'recording.webm', freeBytes: null }
const WROTE = { ok: true, bytes: 3, freeBytes: null, lowSpace: false }
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

async function opened(fetchImpl: (url: string, init: RequestInit) => Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = []
  vi.stubGlobal('fetch', async (url: URL, init: RequestInit) => {
    calls.push({ url: String(url), init })
    if (String(url).endsWith('/api/recordings')) return json(200, OPEN)
    return fetchImpl(String(url), init)
  })
  const sink = new ServerSink('http://server.test', 'lesson-token')
  expect(await sink.open({ lessonId: LESSON_ID, mimeType: 'video/webm', startedAt: 1, meta: meta() })).toMatchObject({ ok: true })
  return { sink, calls }
}

describe('ServerSink (browser uploads)', () => {
  it('posts numbered chunks with the lesson token', async () => {
    const { sink, calls } = await opened(async () => json(200, WROTE))
    expect(await sink.write(0, new Uint8Array([1, 2, 3]))).toEqual(WROTE)
    const chunk = calls.at(-1)!
    expect(chunk.url).toBe('http://server.test/api/recordings/rec-00000001/chunks/0')
    expect((chunk.init.headers as Record<string, string>).Authorization).toBe('Bearer lesson-token')
  })

  it('sends a chunk again after a lost connection or a server error', async () => {
    vi.useFakeTimers()
    let attempts = 0
    const { sink } = await opened(async () => {
      attempts += 1
      if (attempts === 1) throw new TypeError('Failed to fetch')
      if (attempts === 2) return json(503, { error: { code: 'internal', message: 'busy' } })
      return json(200, WROTE)
    })
    const result = sink.write(4, new Uint8Array(3))
    await vi.runAllTimersAsync()
    expect(await result).toEqual(WROTE)
    expect(attempts).toBe(3)
  })

  it('reports a refusal or an unreadable reply instead of retrying', async () => {
    const { sink } = await opened(async () => json(403, { error: { code: 'forbidden', message: 'Only the tutor records the lesson' } }))
    expect(await sink.write(0, new Uint8Array(1))).toMatchObject({ ok: false, reason: 'io', message: 'Only the tutor records the lesson' })
    const odd = await opened(async () => json(200, { ok: 'maybe' }))
    expect(await odd.sink.write(0, new Uint8Array(1))).toMatchObject({ ok: false, reason: 'io', message: expect.stringMatching(/does not understand/) })
  })

  it('keeps trying while the server restarts (about 40 s), then says the server lost the part if it has', async () => {
    vi.useFakeTimers()
    const start = Date.now()
    let attempts = 0
    const { sink } = await opened(async () => {
      attempts += 1
      if (Date.now() - start < 30_000) throw new TypeError('Failed to fetch')
      return json(404, { error: { code: 'not_found', message: 'No such open recording' } })
    })
    const result = sink.write(7, new Uint8Array(3))
    await vi.runAllTimersAsync()
    expect(await result).toEqual({ ok: false, reason: 'lost', message: 'No such open recording' })
    expect(attempts).toBeGreaterThan(5)

    const gone = await opened(async () => {
      throw new TypeError('Failed to fetch')
    })
    const never = gone.sink.write(0, new Uint8Array(1))
    await vi.runAllTimersAsync()
    expect(await never).toMatchObject({ ok: false, reason: 'io' })
  })
})
