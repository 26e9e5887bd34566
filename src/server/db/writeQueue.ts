import type { Logger } from '../logger'

/**
 * Writes that callers fire and forget (the lesson registry saves on every
 * join and leave and must not wait for the disk): one at a time per key, in
 * order, and a write still waiting when a newer one for the same key comes
 * is replaced by it (the newer snapshot holds everything the older did).
 * Failures are logged; the in-memory state stays authoritative, as it was
 * with the JSON files. flush() waits until everything queued is written.
 */
export class WriteQueue {
  private readonly running = new Map<string, Promise<void>>()
  private readonly pending = new Map<string, () => Promise<void>>()

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  enqueue(key: string, write: () => Promise<void>): void {
    if (this.running.has(key)) {
      this.pending.set(key, write)
      return
    }
    this.start(key, write)
  }

  async flush(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()])
  }

  private start(key: string, write: () => Promise<void>): void {
    const run = write()
      .catch((error: unknown) => this.logger.error(`Could not save ${this.what}`, { key, error: error instanceof Error ? error.message : String(error) }))
      .then(() => {
        this.running.delete(key)
        const next = this.pending.get(key)
        if (next) {
          this.pending.delete(key)
          this.start(key, next)
        }
      })
    this.running.set(key, run)
  }
}
