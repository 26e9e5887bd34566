import type { FrameRecord } from './probe'

/** A gap between rendered frames longer than this is a freeze (Agora's definition). */
export const FREEZE_GAP_MS = 500

export interface FrameSummary {
  /** Time inside gaps longer than FREEZE_GAP_MS, percent of the window. */
  freezePct: number
  /** Frames rendered in each whole second of the window. */
  fpsPerSecond: number[]
  /** Height of the picture on screen at the end of each second (the last frame rendered so far; 0 before the first). */
  heightPerSecond: number[]
  /** Each freeze: ms into the window it began, and how long it lasted. */
  freezes: { atMs: number; ms: number }[]
}

/**
 * What the receiver saw of the other person's camera between `from` and `to`
 * (epoch ms), from the frames it rendered. The window's edges count as frame
 * times, so a picture that never came (or stopped before the end) is a freeze.
 */
export function summarizeFrames(frames: FrameRecord[], from: number, to: number): FrameSummary {
  const inside = frames.filter((f) => f.t >= from && f.t <= to).sort((a, b) => a.t - b.t)
  const times = [from, ...inside.map((f) => f.t), to]
  let frozen = 0
  const freezes: FrameSummary['freezes'] = []
  for (let i = 1; i < times.length; i += 1) {
    const gap = times[i]! - times[i - 1]!
    if (gap <= FREEZE_GAP_MS) continue
    frozen += gap
    freezes.push({ atMs: times[i - 1]! - from, ms: gap })
  }
  const seconds = Math.floor((to - from) / 1000)
  const fpsPerSecond = new Array<number>(seconds).fill(0)
  const heightPerSecond = new Array<number>(seconds).fill(0)
  for (const frame of inside) {
    const s = Math.floor((frame.t - from) / 1000)
    if (s >= seconds) continue
    fpsPerSecond[s]! += 1
    heightPerSecond[s] = frame.h
  }
  // A second without frames still shows the last picture.
  for (let s = 1; s < seconds; s += 1) if (fpsPerSecond[s] === 0) heightPerSecond[s] = heightPerSecond[s - 1]!
  return { freezePct: (frozen / (to - from)) * 100, fpsPerSecond, heightPerSecond, freezes }
}

/** The first frame rendered after `t` (epoch ms), or null. */
export function firstFrameAfter(frames: FrameRecord[], t: number): number | null {
  let best: number | null = null
  for (const f of frames) if (f.t > t && (best === null || f.t < best)) best = f.t
  return best
}
