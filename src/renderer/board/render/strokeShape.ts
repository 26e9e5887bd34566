import { getStroke } from 'perfect-freehand'
import type { StrokeData } from '../../../shared/board/layout'
import { EMPTY_BOUNDS, pad, type Bounds } from './bounds'

/**
 * The drawable form of a stroke: a Path2D in page coordinates (without the
 * move offset, which is a translate at draw time) and how to paint it.
 * Built once per stroke version and cached by the scene.
 */
export interface StrokeShape {
  path: Path2D
  /** Freehand outlines are filled; shapes are stroked with `width`. */
  mode: 'fill' | 'stroke' | 'text'
}

export const HIGHLIGHTER_ALPHA = 0.35
export const TEXT_LINE_HEIGHT = 1.25
export const TEXT_FONT = 'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif'

function outlinePath(outline: number[][]): Path2D {
  const path = new Path2D()
  const n = outline.length
  if (n < 2) return path
  // Quadratic curves through midpoints: smooth and cheap (perfect-freehand's recommended rendering).
  const first = outline[0] as number[]
  path.moveTo(first[0] as number, first[1] as number)
  for (let i = 0; i < n; i++) {
    const a = outline[i] as number[]
    const b = outline[(i + 1) % n] as number[]
    path.quadraticCurveTo(a[0] as number, a[1] as number, ((a[0] as number) + (b[0] as number)) / 2, ((a[1] as number) + (b[1] as number)) / 2)
  }
  path.closePath()
  return path
}

/** Mouse and touch report a flat pressure: let perfect-freehand simulate it from speed instead. */
function hasRealPressure(pts: Float32Array): boolean {
  const first = pts[2] ?? 0.5
  for (let i = 5; i < pts.length; i += 3) if (Math.abs((pts[i] ?? 0) - first) > 0.01) return true
  return false
}

function freehandShape(s: StrokeData, pts: Float32Array): StrokeShape {
  const input: number[][] = []
  for (let i = 0; i + 2 < pts.length; i += 3) input.push([pts[i] as number, pts[i + 1] as number, pts[i + 2] as number])
  const highlighter = s.kind === 'hl'
  const outline = getStroke(input, {
    size: s.width,
    thinning: highlighter ? 0 : 0.6,
    smoothing: 0.5,
    streamline: 0.45,
    simulatePressure: !highlighter && !hasRealPressure(pts),
    last: s.done,
  })
  return { path: outlinePath(outline), mode: 'fill' }
}

function pointBounds(pts: Float32Array, width: number): Bounds {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (let i = 0; i + 1 < pts.length; i += 3) {
    const x = pts[i] as number
    const y = pts[i + 1] as number
    if (x < minX) minX = x
    if (x > maxX) maxX = x
    if (y < minY) minY = y
    if (y > maxY) maxY = y
  }
  return pts.length >= 3 ? pad({ minX, minY, maxX, maxY }, width) : EMPTY_BOUNDS
}

/** Bounds of the ink without the move offset; cheap (no outline is built). */
export function strokeBounds(s: StrokeData): Bounds {
  if (s.points) return pointBounds(s.points, s.width)
  const [x1 = 0, y1 = 0, x2 = x1, y2 = y1] = s.geometry ?? []
  if (s.kind === 'text') {
    const { width, height } = measureText(s.text ?? '', s.width)
    return { minX: x1, minY: y1, maxX: x1 + width, maxY: y1 + height }
  }
  const headRoom = s.kind === 'arrow' ? Math.max(12, s.width * 4) : 0
  return pad({ minX: Math.min(x1, x2), minY: Math.min(y1, y2), maxX: Math.max(x1, x2), maxY: Math.max(y1, y2) }, s.width / 2 + headRoom + 1)
}

function arrowHead(path: Path2D, x1: number, y1: number, x2: number, y2: number, width: number): void {
  const angle = Math.atan2(y2 - y1, x2 - x1)
  const len = Math.max(12, width * 4)
  for (const side of [-1, 1]) {
    path.moveTo(x2, y2)
    path.lineTo(x2 - len * Math.cos(angle + side * 0.45), y2 - len * Math.sin(angle + side * 0.45))
  }
}

/** Measures text with one shared context (text bounds need the font metrics). */
let measureCtx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null = null
export function measureText(text: string, size: number): { width: number; height: number; lines: string[] } {
  measureCtx ??= typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1).getContext('2d') : document.createElement('canvas').getContext('2d')
  const lines = text.split('\n')
  let width = 0
  if (measureCtx) {
    measureCtx.font = `${size}px ${TEXT_FONT}`
    for (const line of lines) width = Math.max(width, measureCtx.measureText(line).width)
  } else {
    width = Math.max(...lines.map((l) => l.length)) * size * 0.6
  }
  return { width, height: lines.length * size * TEXT_LINE_HEIGHT, lines }
}

export function buildShape(s: StrokeData): StrokeShape {
  if (s.points) return freehandShape(s, s.points)
  const g = s.geometry ?? []
  const [x1 = 0, y1 = 0, x2 = x1, y2 = y1] = g
  const path = new Path2D()
  if (s.kind === 'text') return { path, mode: 'text' }
  if (s.kind === 'rect') {
    path.rect(Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1))
  } else if (s.kind === 'ellipse') {
    path.ellipse((x1 + x2) / 2, (y1 + y2) / 2, Math.abs(x2 - x1) / 2, Math.abs(y2 - y1) / 2, 0, 0, Math.PI * 2)
  } else {
    path.moveTo(x1, y1)
    path.lineTo(x2, y2)
    if (s.kind === 'arrow') arrowHead(path, x1, y1, x2, y2, s.width)
  }
  return { path, mode: 'stroke' }
}

/** Bounds including the move offset. */
export function placedBounds(s: StrokeData): Bounds {
  const b = strokeBounds(s)
  return { minX: b.minX + s.dx, minY: b.minY + s.dy, maxX: b.maxX + s.dx, maxY: b.maxY + s.dy }
}

/** Paints one stroke in page coordinates (the context already maps page units to pixels). */
export function paintStroke(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, s: StrokeData, shape: StrokeShape): void {
  const moved = s.dx !== 0 || s.dy !== 0
  if (moved) ctx.translate(s.dx, s.dy)
  if (shape.mode === 'fill') {
    ctx.fillStyle = s.color
    if (s.kind === 'hl') ctx.globalAlpha = HIGHLIGHTER_ALPHA
    ctx.fill(shape.path)
    ctx.globalAlpha = 1
  } else if (shape.mode === 'stroke') {
    ctx.strokeStyle = s.color
    ctx.lineWidth = s.width
    ctx.lineCap = 'round'
    ctx.lineJoin = 'round'
    ctx.stroke(shape.path)
  } else {
    ctx.fillStyle = s.color
    ctx.font = `${s.width}px ${TEXT_FONT}`
    ctx.textBaseline = 'top'
    const [x = 0, y = 0] = s.geometry ?? []
    ;(s.text ?? '').split('\n').forEach((line, i) => ctx.fillText(line, x, y + i * s.width * TEXT_LINE_HEIGHT))
  }
  if (moved) ctx.translate(-s.dx, -s.dy)
}

/**
 * Freehand ink at most this many device pixels wide is painted as a one-pixel
 * polyline instead of its outline. Skia rasterises a line of one device pixel
 * or less on its hairline path, about ten times faster than filling an outline
 * or stroking a wider line (measured in Chromium: 2,500 strokes 13 ms against
 * 55 ms filled, 140–600 ms stroked 1.5–2 px with round joins), and that
 * rasterisation is what a far-zoomed page of thousands of strokes costs. At
 * this size the outline's thick and thin parts are not visible anyway.
 */
export const HAIRLINE_MAX_PX = 1.5

/**
 * Paints a stroke for a surface with `scale` device pixels per board unit
 * (tiles, thumbnails): thin freehand ink as a hairline polyline, which needs
 * no outline (`shape` is not even built), everything else as paintStroke.
 */
export function paintStrokeAt(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, s: StrokeData, shape: () => StrokeShape, scale: number): void {
  const pts = s.points
  if (!pts || s.width * scale > HAIRLINE_MAX_PX) return paintStroke(ctx, s, shape())
  ctx.strokeStyle = s.color
  ctx.globalAlpha = s.kind === 'hl' ? HIGHLIGHTER_ALPHA : 1
  // Exactly one device pixel (or the ink's own width when thinner: Skia then fades it instead of widening it).
  ctx.lineWidth = Math.min(s.width, 1 / scale)
  ctx.lineCap = 'butt'
  ctx.lineJoin = 'miter'
  ctx.beginPath()
  const x0 = (pts[0] ?? 0) + s.dx
  const y0 = (pts[1] ?? 0) + s.dy
  ctx.moveTo(x0, y0)
  for (let i = 3; i + 1 < pts.length; i += 3) ctx.lineTo((pts[i] as number) + s.dx, (pts[i + 1] as number) + s.dy)
  // A dot still shows as a dot.
  if (pts.length <= 3) ctx.lineTo(x0 + 1 / scale, y0)
  ctx.stroke()
  ctx.globalAlpha = 1
}
