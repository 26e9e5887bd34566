import { RECORDING_HEIGHT, RECORDING_WIDTH } from '../../shared/recording/limits'

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export interface SceneLayout {
  main: Rect
  /** Fit for the main picture: a screen or board is shown whole; a camera fills the frame. */
  mainFit: 'contain' | 'cover'
  tiles: Rect[]
}

const SIDEBAR = 256
const GAP = 8
const MARGIN = 16

/**
 * Where things go on the 1280x720 recording.
 * - content (a shared screen or the whiteboard): the content gets the left
 *   1024x720, both cameras stack as 16:9 tiles in a column on the right;
 * - camera (nobody shares): the other person fills the frame, one's own
 *   camera is a corner tile, as in the lesson room.
 */
export function layoutFor(kind: 'content' | 'camera', tileCount: number, width = RECORDING_WIDTH, height = RECORDING_HEIGHT): SceneLayout {
  if (kind === 'content') {
    const tileH = Math.round((SIDEBAR * 9) / 16)
    const total = tileCount * tileH + Math.max(0, tileCount - 1) * GAP
    const top = Math.max(0, Math.round((height - total) / 2))
    const tiles = Array.from({ length: tileCount }, (_, i) => ({ x: width - SIDEBAR, y: top + i * (tileH + GAP), w: SIDEBAR, h: tileH }))
    return { main: { x: 0, y: 0, w: width - SIDEBAR - GAP, h: height }, mainFit: 'contain', tiles }
  }
  const tileW = 320
  const tileH = 180
  const tiles = Array.from({ length: tileCount }, (_, i) => ({ x: width - MARGIN - tileW, y: height - MARGIN - tileH - i * (tileH + GAP), w: tileW, h: tileH }))
  return { main: { x: 0, y: 0, w: width, h: height }, mainFit: 'cover', tiles }
}

/** The largest rectangle with the source's aspect ratio inside `box`, centred. */
export function fitContain(sourceW: number, sourceH: number, box: Rect): Rect {
  if (sourceW <= 0 || sourceH <= 0) return box
  const scale = Math.min(box.w / sourceW, box.h / sourceH)
  const w = Math.round(sourceW * scale)
  const h = Math.round(sourceH * scale)
  return { x: box.x + Math.round((box.w - w) / 2), y: box.y + Math.round((box.h - h) / 2), w, h }
}

/** The centred part of the source that fills `box` without distortion (its crop). */
export function cropCover(sourceW: number, sourceH: number, box: Rect): Rect {
  if (sourceW <= 0 || sourceH <= 0) return { x: 0, y: 0, w: sourceW, h: sourceH }
  const scale = Math.max(box.w / sourceW, box.h / sourceH)
  const w = box.w / scale
  const h = box.h / scale
  return { x: (sourceW - w) / 2, y: (sourceH - h) / 2, w, h }
}
