import type { PageAttrs } from '../../../shared/board/schema'
import type { BackgroundState } from '../io/backgrounds'
import type { Bounds } from './bounds'

type Ctx = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D

export const GRID_STEP = 40
const GRID_COLOR = '#dfe4ec'
const PAPER = '#ffffff'

/**
 * Paints a page's paper in board units (the context maps them to pixels):
 * white, plus grid lines or the course-material image. `visible` limits the
 * grid to what is on screen.
 */
export function paintPaper(ctx: Ctx, attrs: PageAttrs, bg: BackgroundState | null, visible: Bounds | null, unitPx: number): void {
  ctx.fillStyle = PAPER
  ctx.fillRect(0, 0, attrs.w, attrs.h)
  if (attrs.bg.kind === 'grid') {
    const area = visible ?? { minX: 0, minY: 0, maxX: attrs.w, maxY: attrs.h }
    ctx.beginPath()
    for (let x = Math.max(GRID_STEP, Math.ceil(area.minX / GRID_STEP) * GRID_STEP); x < Math.min(attrs.w, area.maxX); x += GRID_STEP) {
      ctx.moveTo(x, Math.max(0, area.minY))
      ctx.lineTo(x, Math.min(attrs.h, area.maxY))
    }
    for (let y = Math.max(GRID_STEP, Math.ceil(area.minY / GRID_STEP) * GRID_STEP); y < Math.min(attrs.h, area.maxY); y += GRID_STEP) {
      ctx.moveTo(Math.max(0, area.minX), y)
      ctx.lineTo(Math.min(attrs.w, area.maxX), y)
    }
    ctx.strokeStyle = GRID_COLOR
    // One device pixel at any zoom.
    ctx.lineWidth = 1 / unitPx
    ctx.stroke()
  } else if (bg && 'image' in bg) {
    ctx.drawImage(bg.image, 0, 0, attrs.w, attrs.h)
  } else if (bg && 'error' in bg) {
    ctx.fillStyle = '#fff4f4'
    ctx.fillRect(0, 0, attrs.w, attrs.h)
  }
}

/** The page's edge, so it reads as paper on the stage (a hairline: a blurred shadow costs a frame's budget). */
export function paintPageFrame(ctx: Ctx, attrs: PageAttrs, unitPx: number): void {
  ctx.fillStyle = 'rgba(0, 0, 0, 0.45)'
  const d = 2 / unitPx
  ctx.fillRect(-d, -d, attrs.w + 2 * d, attrs.h + 2 * d)
}
