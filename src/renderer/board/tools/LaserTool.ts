import { LASER_FADE_MS, type LaserPoint } from '../sync/Presence'
import type { BoardPoint, Tool, ToolHost } from './types'

/** Laser pointer: a trail both sides see through presence, fading after a second; never saved. */
export class LaserTool implements Tool {
  readonly cursor = 'crosshair'
  private trail: LaserPoint[] = []
  private clearTimer = 0

  constructor(private readonly host: ToolHost) {}

  points(): LaserPoint[] {
    return this.trail
  }

  private add(p: BoardPoint): void {
    const now = performance.now()
    this.trail.push({ x: p.x, y: p.y, t: now })
    this.trail = this.trail.filter((q) => now - q.t < LASER_FADE_MS)
    this.host.setLaser(this.trail)
    this.host.requestFrame()
    window.clearTimeout(this.clearTimer)
    // Once it has faded here, it is gone there too.
    this.clearTimer = window.setTimeout(() => {
      this.trail = []
      this.host.setLaser([])
    }, LASER_FADE_MS + 100)
  }

  down(p: BoardPoint): void {
    this.add(p)
  }

  move(pts: readonly BoardPoint[]): void {
    for (const p of pts) this.add(p)
  }

  up(): void {}

  cancel(): void {}
}
