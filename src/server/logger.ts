/** Where the session server's log lines go: the console standalone, electron-log in the desktop app. */
export interface Logger {
  info(msg: string, fields?: object): void
  warn(msg: string, fields?: object): void
  error(msg: string, fields?: object): void
}

function line(msg: string, fields?: object): string {
  return fields && Object.keys(fields).length > 0 ? `[duet-server] ${msg} ${JSON.stringify(fields)}` : `[duet-server] ${msg}`
}

export const consoleLogger: Logger = {
  info: (msg, fields) => console.log(line(msg, fields)),
  warn: (msg, fields) => console.warn(line(msg, fields)),
  error: (msg, fields) => console.error(line(msg, fields)),
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} }
