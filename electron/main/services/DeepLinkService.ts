import { parseInvite, type ParsedInvite } from '../../../src/shared/lesson/invite'
import { ParsedInviteSchema } from '../../../src/shared/ipc'
import type { Logger } from '../../../src/shared/logger'

export const DEEP_LINK_SCHEME = 'duet'
const MAX_QUEUED = 10

/** duet://join/<code>?server=<origin> → invite; anything else (incl. bare codes, web links) → null. */
export function parseDeepLink(raw: string): ParsedInvite | null {
  const text = raw.trim()
  if (!text.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) return null
  let invite: ParsedInvite | null
  try {
    invite = parseInvite(text)
  } catch {
    return null // parseInvite lets decodeURIComponent's URIError out on a malformed %-escape
  }
  if (!invite) return null
  const checked = ParsedInviteSchema.safeParse(invite)
  return checked.success ? checked.data : null
}

export interface DeepLinkDeps {
  /** Pushes the invite to the renderer; false when there is no window to take it. */
  deliver(invite: ParsedInvite): boolean
  /** Restores (if minimized), shows and focuses the main window, if any. */
  focusWindow(): void
  logger: Logger
}

/**
 * Invites from outside the window: argv at start, `second-instance` (Windows,
 * Linux) and `open-url` (macOS). Held until the renderer says it is ready,
 * then delivered as events.
 */
export class DeepLinkService {
  private queue: ParsedInvite[] = []
  private ready = false

  constructor(private readonly deps: DeepLinkDeps) {}

  /** Command line of this (first) instance. Returns how many invites were taken. */
  handleArgv(argv: readonly string[]): number {
    let taken = 0
    for (const arg of argv) {
      if (!arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) continue
      if (this.handleUrl(arg)) taken++
    }
    return taken
  }

  /** Another launch of the app (Windows/Linux pass the link in its argv). */
  handleSecondInstance(argv: readonly string[]): void {
    this.deps.focusWindow()
    this.handleArgv(argv)
  }

  /** macOS open-url. */
  handleOpenUrl(url: string): void {
    this.deps.focusWindow()
    this.handleUrl(url)
  }

  handleUrl(raw: string): boolean {
    const invite = parseDeepLink(raw)
    if (!invite) {
      this.deps.logger.warn('deep link ignored (not a valid invite):', raw.slice(0, 200))
      return false
    }
    if (this.ready && this.deps.deliver(invite)) return true
    this.enqueue(invite)
    return true
  }

  /** The renderer can take invites now: returns (and forgets) the queued ones. */
  rendererReady(): ParsedInvite[] {
    this.ready = true
    const queued = this.queue
    this.queue = []
    return queued
  }

  /** The page reloaded or crashed: queue again until it says it is ready. */
  rendererGone(): void {
    this.ready = false
  }

  get pending(): readonly ParsedInvite[] {
    return this.queue
  }

  private enqueue(invite: ParsedInvite): void {
    // The same link clicked twice is one invite; keep the newest few.
    this.queue = this.queue.filter((q) => q.code !== invite.code || q.server !== invite.server)
    this.queue.push(invite)
    if (this.queue.length > MAX_QUEUED) this.queue.shift()
  }
}
