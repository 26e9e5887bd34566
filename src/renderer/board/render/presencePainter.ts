import { LASER_FADE_MS, type LaserPoint } from '../sync/Presence'
import type { Viewport } from './Viewport'

export const LASER_COLOR = '#ff2d55'

/** A fading laser trail, in device pixels (context transform: identity). */
export function paintLaser(ctx: CanvasRenderingContext2D, v: Viewport, pts: readonly LaserPoint[], now: number): boolean {
  const live = pts.filter((p) => now - p.t < LASER_FADE_MS)
  if (live.length === 0) return false
  ctx.lineCap = 'round'
  ctx.lineJoin = 'round'
  for (let i = 1; i < live.length; i++) {
    const a = live[i - 1] as LaserPoint
    const b = live[i] as LaserPoint
    const alpha = Math.max(0, 1 - (now - b.t) / LASER_FADE_MS)
    const pa = v.toScreen(a.x, a.y)
    const pb = v.toScreen(b.x, b.y)
    ctx.strokeStyle = `rgba(255, 45, 85, ${alpha.toFixed(3)})`
    ctx.lineWidth = 4 * v.dpr * (0.5 + alpha / 2)
    ctx.beginPath()
    ctx.moveTo(pa.x * v.dpr, pa.y * v.dpr)
    ctx.lineTo(pb.x * v.dpr, pb.y * v.dpr)
    ctx.stroke()
  }
  const head = live[live.length - 1] as LaserPoint
  const p = v.toScreen(head.x, head.y)
  ctx.fillStyle = LASER_COLOR
  ctx.shadowColor = LASER_COLOR
  ctx.shadowBlur = 12 * v.dpr
  ctx.beginPath()
  ctx.arc(p.x * v.dpr, p.y * v.dpr, 5 * v.dpr, 0, Math.PI * 2)
  ctx.fill()
  ctx.shadowBlur = 0
  return true
}

/** The other person's pointer: an arrow with their name (device pixels, identity transform). */
export function paintCursor(ctx: CanvasRenderingContext2D, v: Viewport, x: number, y: number, name: string, color: string): void {
  const p = v.toScreen(x, y)
  const d = v.dpr
  ctx.save()
  ctx.translate(p.x * d, p.y * d)
  ctx.scale(d, d)
  ctx.beginPath()
  ctx.moveTo(0, 0)
  ctx.lineTo(0, 16)
  ctx.lineTo(4.5, 12)
  ctx.lineTo(8, 19)
  ctx.lineTo(10.5, 18)
  ctx.lineTo(7, 11)
  ctx.lineTo(12, 11)
  ctx.closePath()
  ctx.fillStyle = color
  ctx.strokeStyle = '#ffffff'
  ctx.lineWidth = 1.5
  ctx.fill()
  ctx.stroke()
  ctx.font = '600 12px system-ui, sans-serif'
  const label = name.length > 24 ? `${name.slice(0, 23)}…` : name
  const w = ctx.measureText(label).width + 10
  ctx.fillStyle = color
  ctx.beginPath()
  ctx.roundRect(12, 18, w, 18, 4)
  ctx.fill()
  ctx.fillStyle = '#ffffff'
  ctx.textBaseline = 'middle'
  ctx.fillText(label, 17, 27)
  ctx.restore()
}
