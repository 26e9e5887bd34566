import type { Host } from './Host'

let current: Host | null = null

/** Set once at start-up (main.ts), or by a test with a fake host. */
export function provideHost(host: Host): void {
  current = host
}

export function useHost(): Host {
  if (!current) throw new Error('No host: call provideHost() before using stores')
  return current
}
