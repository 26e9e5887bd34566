import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider'
import { UpdateBatcher, realClock, type BatcherClock } from './UpdateBatcher'

/**
 * The Hocuspocus provider, sending local updates through an UpdateBatcher
 * (see there why). Updates waiting in it count as unsynced changes, so
 * "everything is on the server" still means what it says.
 */
export class BatchingProvider extends HocuspocusProvider {
  private batcher: UpdateBatcher | null = null

  constructor(
    configuration: HocuspocusProviderConfiguration,
    private readonly clock: BatcherClock = realClock,
  ) {
    super(configuration)
  }

  override documentUpdateHandler(update: Uint8Array, origin: unknown): void {
    // Updates the provider applied from the server are not sent back.
    if (origin === this) return
    // Created on first use: the base constructor runs before this class's fields exist.
    this.batcher ??= new UpdateBatcher(
      (u) => super.documentUpdateHandler(u, null),
      (held) => (held ? this.incrementUnsyncedChanges() : this.decrementUnsyncedChanges()),
      this.clock ?? realClock,
    )
    this.batcher.push(update)
  }

  /** Sends the updates still waiting for their interval now (the page is going away). */
  sendPending(): void {
    this.batcher?.flush()
  }

  override destroy(): void {
    this.sendPending()
    super.destroy()
  }
}
