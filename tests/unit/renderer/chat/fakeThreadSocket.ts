/**
 * ThreadSocket as the stores see it, for tests that mock it:
 *   vi.mock('…/src/renderer/chat/ThreadSocket', () => import('…/fakeThreadSocket'))
 * Every socket made is in `sockets`, newest last; the test opens or fails it,
 * plays the server's messages through it, and sees whether it was closed.
 */
export interface FakeSocket {
  token: string
  state: (s: string) => void
  message: (m: unknown) => void
  closed: boolean
}

export const sockets: FakeSocket[] = []

export class ThreadSocket {
  private readonly fake: FakeSocket
  constructor(_server: string, token: string, onMessage: (m: unknown) => void, onState: (s: string) => void) {
    this.fake = { token, message: onMessage, state: onState, closed: false }
    sockets.push(this.fake)
    onState('connecting')
  }
  send(): boolean {
    return false
  }
  close(): void {
    this.fake.closed = true
  }
}

/** The socket signed in with this personal code (the newest, if several). */
export function socketOf(token: string): FakeSocket {
  const found = sockets.filter((s) => s.token === token).at(-1)
  if (!found) throw new Error(`no socket for ${token}`)
  return found
}
