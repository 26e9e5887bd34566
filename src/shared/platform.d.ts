/**
 * The web-platform globals src/shared may use: every host it runs in
 * (Chromium's pages and workers, Node 20 for the server and the main
 * process) has them with the same behaviour. Declared here by hand, and only
 * for tsconfig.shared.json, because the alternative (lib "DOM" or Node's
 * types) would let a `document` or an `fs` slip into shared code unnoticed.
 * Add an API only if both a browser and Node 20 have it.
 */
declare class URL {
  constructor(url: string, base?: string | URL)
  hash: string
  host: string
  hostname: string
  href: string
  readonly origin: string
  password: string
  pathname: string
  port: string
  protocol: string
  search: string
  readonly searchParams: URLSearchParams
  username: string
  toString(): string
}
declare class URLSearchParams {
  constructor(init?: string | Record<string, string>)
  get(name: string): string | null
  has(name: string): boolean
  set(name: string, value: string): void
  toString(): string
}
declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean })
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string
}
interface WritableStreamDefaultWriter<W> {
  write(chunk: W): Promise<void>
  close(): Promise<void>
}
declare class WritableStream<W = unknown> {
  constructor(sink?: { write?(chunk: W): void | Promise<void>; close?(): void | Promise<void>; abort?(reason?: unknown): void | Promise<void> })
  getWriter(): WritableStreamDefaultWriter<W>
}
declare function structuredClone<T>(value: T): T
declare function btoa(data: string): string
declare function atob(data: string): string
declare const crypto: {
  getRandomValues<T extends ArrayBufferView>(array: T): T
  randomUUID(): string
}
