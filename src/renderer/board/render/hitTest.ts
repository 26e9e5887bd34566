import type { StrokeData } from '../../../shared/board/layout'
import type { Bounds } from './bounds'

/** Squared distance from point p to segment ab. */
function segDist2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax
  const dy = by - ay
  const len2 = dx * dx + dy * dy
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0
  t = Math.max(0, Math.min(1, t))
  const cx = ax + t * dx - px
  const cy = ay + t * dy - py
  return cx * cx + cy * cy
}

function polylineHit(pts: Float32Array, stride: number, x: number, y: number, r: number): boolean {
  const r2 = r * r
  if (pts.length < stride * 2) return pts.length >= 2 && segDist2(x, y, pts[0] as number, pts[1] as number, pts[0] as number, pts[1] as number) <= r2
  for (let i = stride; i + 1 < pts.length; i += stride) {
    if (segDist2(x, y, pts[i - stride] as number, pts[i - stride + 1] as number, pts[i] as number, pts[i + 1] as number) <= r2) return true
  }
  return false
}

function ellipsePoints(x1: number, y1: number, x2: number, y2: number): Float32Array {
  const n = 48
  const out = new Float32Array((n + 1) * 2)
  const cx = (x1 + x2) / 2
  const cy = (y1 + y2) / 2
  const rx = Math.abs(x2 - x1) / 2
  const ry = Math.abs(y2 - y1) / 2
  for (let i = 0; i <= n; i++) {
    out[i * 2] = cx + rx * Math.cos((i / n) * Math.PI * 2)
    out[i * 2 + 1] = cy + ry * Math.sin((i / n) * Math.PI * 2)
  }
  return out
}

/**
 * Does a circle of radius `r` around (x, y) touch the stroke's ink? Used by
 * the eraser and by click-to-select. `bounds` are the placed bounds (text is
 * hit anywhere inside its box).
 */
export function hitStroke(s: StrokeData, bounds: Bounds, x: number, y: number, r: number): boolean {
  if (x < bounds.minX - r || x > bounds.maxX + r || y < bounds.minY - r || y > bounds.maxY + r) return false
  const px = x - s.dx
  const py = y - s.dy
  const reach = r + s.width / 2
  if (s.points) return polylineHit(s.points, 3, px, py, reach)
  const [x1 = 0, y1 = 0, x2 = x1, y2 = y1] = s.geometry ?? []
  switch (s.kind) {
    case 'text':
      return true
    case 'rect':
      return polylineHit(Float32Array.of(x1, y1, x2, y1, x2, y2, x1, y2, x1, y1), 2, px, py, reach)
    case 'ellipse':
      return polylineHit(ellipsePoints(x1, y1, x2, y2), 2, px, py, reach)
    default:
      return polylineHit(Float32Array.of(x1, y1, x2, y2), 2, px, py, reach)
  }
}
