/**
 * What every part of Duet logs through: the session server (to the console
 * standalone), the main process (electron-log, which fits as it is) and the
 * Node code both share. The first argument says what happened; the rest are
 * details (a fields object, an error).
 */
export interface Logger {
  info(msg: string, ...details: unknown[]): void
  warn(msg: string, ...details: unknown[]): void
  error(msg: string, ...details: unknown[]): void
}
