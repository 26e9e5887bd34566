/** The part of Electron's powerSaveBlocker the service uses. */
export interface PowerSaveBlockerLike {
  start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number
  stop(id: number): unknown
  isStarted(id: number): boolean
}

/** Keeps the display awake while a lesson runs; one blocker at most. */
export class PowerService {
  private blockerId: number | null = null

  constructor(private readonly blocker: PowerSaveBlockerLike) {}

  get active(): boolean {
    return this.blockerId !== null && this.blocker.isStarted(this.blockerId)
  }

  setLessonActive(active: boolean): void {
    if (active) {
      if (!this.active) this.blockerId = this.blocker.start('prevent-display-sleep')
    } else {
      this.release()
    }
  }

  /** Called on quit. */
  dispose(): void {
    this.release()
  }

  private release(): void {
    if (this.blockerId === null) return
    if (this.blocker.isStarted(this.blockerId)) this.blocker.stop(this.blockerId)
    this.blockerId = null
  }
}
