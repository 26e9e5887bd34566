/** An invite for a server other than the one the school's policy allows (ServerUrlOnly). */
export class ServerNotAllowedError extends Error {
  constructor(
    readonly server: string,
    readonly school: string,
  ) {
    super(`Lessons are only allowed on ${school}, not ${server}`)
    this.name = 'ServerNotAllowedError'
  }
}

function origin(raw: string): string | null {
  try {
    return new URL(raw).origin
  } catch {
    return null
  }
}

/** Same scheme, host and port. */
export function sameServer(a: string, b: string): boolean {
  const left = origin(a)
  return left !== null && left === origin(b)
}
