/** What services need from a logger; index.ts passes electron-log, tests pass a fake. */
export interface Logger {
  info(...args: unknown[]): void
  warn(...args: unknown[]): void
  error(...args: unknown[]): void
}
