import type { Logger } from '../shared/logger'

export type { Logger }

function line(msg: string, details: unknown[]): string {
  const fields = details[0]
  if (fields instanceof Error) return `[duet-server] ${msg} ${fields.stack ?? fields.message}`
  return fields && typeof fields === 'object' && Object.keys(fields).length > 0 ? `[duet-server] ${msg} ${JSON.stringify(fields)}` : `[duet-server] ${msg}`
}

/** The standalone server's log: one line per event on stdout/stderr. */
export const consoleLogger: Logger = {
  info: (msg, ...details) => console.log(line(msg, details)),
  warn: (msg, ...details) => console.warn(line(msg, details)),
  error: (msg, ...details) => console.error(line(msg, details)),
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} }
