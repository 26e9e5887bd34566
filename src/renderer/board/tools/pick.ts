import { compareStrokes } from '../../../shared/board/layout'
import { hitStroke } from '../render/hitTest'
import type { PageScene, SceneStroke } from '../scene/PageScene'

/** Strokes whose ink is within `r` of (x, y). */
export function strokesAt(scene: PageScene, x: number, y: number, r: number): SceneStroke[] {
  return scene.query({ minX: x - r, minY: y - r, maxX: x + r, maxY: y + r }).filter((s) => hitStroke(s.data, s.bounds, x, y, r))
}

/** The stroke drawn on top at (x, y), if any. */
export function topStrokeAt(scene: PageScene, x: number, y: number, r: number): SceneStroke | null {
  let top: SceneStroke | null = null
  for (const s of strokesAt(scene, x, y, r)) if (!top || compareStrokes(s.data, top.data) > 0) top = s
  return top
}
