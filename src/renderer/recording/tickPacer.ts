/**
 * The recording clock's pacing, kept apart from the worker so it can be
 * tested. A tick is only sent once the page has finished the previous one.
 * A tick that falls due while the page is still busy is owed and sent the
 * moment the page answers (a frame drawn late, not lost); a page that stays
 * busy longer than that skips frames instead of piling up ticks it can
 * never catch up with.
 */
export class TickPacer {
  private timer: ReturnType<typeof setTimeout> | null = null
  private waiting = false
  private owed = false

  constructor(
    /** Sends one tick to the page (its due time). */
    private readonly post: (due: number) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(intervalMs: number): void {
    this.stop()
    this.schedule(intervalMs, this.now() + intervalMs)
  }

  /** The page has drawn the last tick's frame. */
  done(): void {
    this.waiting = false
    if (this.owed) this.tick(this.now())
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.waiting = false
    this.owed = false
  }

  private tick(due: number): void {
    this.waiting = true
    this.owed = false
    this.post(due)
  }

  private schedule(intervalMs: number, due: number): void {
    this.timer = setTimeout(
      () => {
        if (!this.waiting) this.tick(due)
        else this.owed = true
        // Aim at the ideal time of the next tick so small delays do not add up.
        const next = due + intervalMs
        this.schedule(intervalMs, next < this.now() ? this.now() + intervalMs : next)
      },
      Math.max(0, due - this.now()),
    )
  }
}
