import type { ViewSize } from '../../shared/lesson/signaling'
import { HD_VIDEO } from './constraints'

/** The camera is sent at full size, half or a quarter: few steps, so a window being resized does not re-tune the encoder on every pixel. */
export type CameraScale = 1 | 2 | 4

/**
 * How much to scale our camera down for the other person, given how large
 * they show it. The picture stays at least as large as their tile, so it is
 * never blurrier than what they see; only pixels nobody sees are dropped.
 *
 * Why: with the whiteboard open or a screen shared, the camera is a small
 * tile. Encoding and decoding 1280x720 for a 180-pixel tile costs both
 * machines CPU the board needs (and the student's bandwidth).
 */
export function cameraScaleFor(view: ViewSize | null | undefined, source: { width: number; height: number } = HD_VIDEO): CameraScale {
  if (!view) return 1
  const room = Math.min(source.width / view.width, source.height / view.height)
  if (room >= 4) return 4
  if (room >= 2) return 2
  return 1
}

/** A box in CSS pixels as device pixels, for cameraScaleFor and the media state. */
export function deviceBox(width: number, height: number, dpr: number): ViewSize | null {
  const w = Math.round(width * dpr)
  const h = Math.round(height * dpr)
  return w >= 1 && h >= 1 ? { width: Math.min(w, 16_384), height: Math.min(h, 16_384) } : null
}
