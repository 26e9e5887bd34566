/**
 * Incremental parser for text/event-stream (the WHATWG "server-sent events"
 * format), used on both sides: the server reads the provider's stream, the
 * renderer reads the server's. Feed it decoded text in chunks of any size;
 * lines may be split anywhere, including between \r and \n.
 */
export interface SseMessage {
  event: string
  data: string
}

export class SseOverflowError extends Error {
  constructor(limit: number) {
    super(`event-stream line or event longer than ${limit} characters`)
    this.name = 'SseOverflowError'
  }
}

export class SseParser {
  private buffer = ''
  private data: string[] = []
  private dataChars = 0
  private event = ''
  /** A chunk ended in \r: a \n starting the next chunk belongs to the same line break. */
  private pendingCr = false

  /** `maxChars` bounds one line and one event, so a stream without newlines cannot grow memory. */
  constructor(private readonly maxChars = 1_000_000) {}

  /** Complete events found in this chunk (possibly none). Throws SseOverflowError. */
  push(chunk: string): SseMessage[] {
    if (chunk === '') return []
    if (this.pendingCr && chunk.startsWith('\n')) chunk = chunk.slice(1)
    this.pendingCr = false
    this.buffer += chunk
    const out: SseMessage[] = []
    let start = 0
    for (;;) {
      const lf = this.buffer.indexOf('\n', start)
      const cr = this.buffer.indexOf('\r', start)
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr)
      if (end === -1) break
      this.line(this.buffer.slice(start, end), out)
      const crlf = this.buffer[end] === '\r' && this.buffer[end + 1] === '\n'
      start = crlf ? end + 2 : end + 1
      if (this.buffer[end] === '\r' && start === this.buffer.length) this.pendingCr = true
    }
    this.buffer = this.buffer.slice(start)
    if (this.buffer.length > this.maxChars) throw new SseOverflowError(this.maxChars)
    return out
  }

  /** True when bytes of an unfinished event are waiting (a stream that ends here was cut). */
  get hasPartial(): boolean {
    return this.buffer.length > 0 || this.data.length > 0
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.data.length > 0) out.push({ event: this.event || 'message', data: this.data.join('\n') })
      this.data = []
      this.dataChars = 0
      this.event = ''
      return
    }
    if (line.startsWith(':')) return // comment / keep-alive
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') {
      this.dataChars += value.length + 1
      if (this.dataChars > this.maxChars) throw new SseOverflowError(this.maxChars)
      this.data.push(value)
    } else if (field === 'event') {
      this.event = value
    }
    // id and retry are not used by Duet; unknown fields are ignored as the format says.
  }
}

/** One event as written on the wire. JSON never contains a raw newline, so one data line suffices. */
export function sseData(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`
}
