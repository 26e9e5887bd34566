import type { Logger } from '../../../src/shared/logger'

/**
 * Whether a lesson is running in this app (the window says so when it enters
 * and leaves the room, and a crashed or reloaded window counts as left).
 * Services that must not disturb a lesson listen here: the display stays
 * awake, updates never install or restart, the hosted server is not
 * restarted under it.
 */
export class LessonActivity {
  private active = false
  private readonly listeners = new Set<(running: boolean) => void>()

  constructor(private readonly logger: Logger) {}

  get running(): boolean {
    return this.active
  }

  set(running: boolean): void {
    if (running === this.active) return
    this.active = running
    for (const listener of this.listeners) {
      try {
        listener(running)
      } catch (error) {
        this.logger.error('lesson activity listener failed:', error)
      }
    }
  }

  onChange(listener: (running: boolean) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
