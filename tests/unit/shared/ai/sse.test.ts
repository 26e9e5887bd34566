import { describe, expect, it } from 'vitest'
import { SseOverflowError, SseParser, sseData } from '../../../../src/shared/ai/sse'

const STREAM = [
  ': comment first',
  'data: {"choices":[{"delta":{"content":"你好"}}]}',
  '',
  'event: custom',
  'data: line one',
  'data: line two',
  '',
  'data:no-space',
  '',
  'id: 7',
  'retry: 100',
  'data: [DONE]',
  '',
  '',
].join('\n')

const EXPECTED = [
  { event: 'message', data: '{"choices":[{"delta":{"content":"你好"}}]}' },
  { event: 'custom', data: 'line one\nline two' },
  { event: 'message', data: 'no-space' },
  { event: 'message', data: '[DONE]' },
]

function parseIn(pieces: string[]): unknown[] {
  const parser = new SseParser()
  return pieces.flatMap((piece) => parser.push(piece))
}

describe('SseParser', () => {
  it('parses whole streams', () => {
    expect(parseIn([STREAM])).toEqual(EXPECTED)
  })

  it('gives the same events however the stream is split', () => {
    for (let cut = 1; cut < STREAM.length; cut++) {
      expect(parseIn([STREAM.slice(0, cut), STREAM.slice(cut)]), `cut at ${cut}`).toEqual(EXPECTED)
    }
    expect(parseIn([...STREAM])).toEqual(EXPECTED)
  })

  it('accepts \\r\\n and \\r line endings, also when \\r and \\n arrive in different chunks', () => {
    const crlf = STREAM.replace(/\n/g, '\r\n')
    for (let cut = 1; cut < crlf.length; cut++) expect(parseIn([crlf.slice(0, cut), crlf.slice(cut)])).toEqual(EXPECTED)
    expect(parseIn([STREAM.replace(/\n/g, '\r')])).toEqual(EXPECTED)
  })

  it('survives UTF-8 split inside a character when decoded as a stream', () => {
    const bytes = new TextEncoder().encode('data: 数学 √2\n\n')
    for (let cut = 1; cut < bytes.length; cut++) {
      const decoder = new TextDecoder()
      const parser = new SseParser()
      const events = [...parser.push(decoder.decode(bytes.slice(0, cut), { stream: true })), ...parser.push(decoder.decode(bytes.slice(cut), { stream: true }))]
      expect(events).toEqual([{ event: 'message', data: '数学 √2' }])
    }
  })

  it('keeps an unfinished event pending (a stream that ends there was cut)', () => {
    const parser = new SseParser()
    expect(parser.push('data: {"choices": [')).toEqual([])
    expect(parser.hasPartial).toBe(true)
    expect(parser.push('1]}\n')).toEqual([])
    expect(parser.hasPartial).toBe(true)
    expect(parser.push('\n')).toEqual([{ event: 'message', data: '{"choices": [1]}' }])
    expect(parser.hasPartial).toBe(false)
  })

  it('passes malformed payloads on as text for the caller to reject', () => {
    expect(parseIn(['data: {"broken": \n\n', 'nonsense line\n\n'])).toEqual([{ event: 'message', data: '{"broken": ' }])
  })

  it('refuses an endless line or event instead of growing without bound', () => {
    const parser = new SseParser(100)
    expect(() => parser.push('data: ' + 'x'.repeat(200))).toThrow(SseOverflowError)
    const events = new SseParser(100)
    expect(() => {
      for (let i = 0; i < 20; i++) events.push('data: 0123456789\n')
    }).toThrow(SseOverflowError)
  })

  it('writes what it reads', () => {
    const payload = { type: 'delta', text: 'a\nb "quoted"' }
    const [event] = new SseParser().push(sseData(payload))
    expect(JSON.parse(event?.data ?? '')).toEqual(payload)
  })
})
