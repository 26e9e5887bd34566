import type { CDPSession, Page } from '@playwright/test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { decode, encode } from 'fast-png'

/**
 * Node's performance.now() (monotonic) → epoch ms on the machine's wall
 * clock (CLOCK_REALTIME). performance.timeOrigin is only known to about a
 * millisecond, so the offset is found at the moment Date.now() (the wall
 * clock, whole ms) ticks over: then the wall clock is within a few µs of the
 * new whole millisecond. The latest of a few edges is used (a sample taken
 * late after an edge only makes the offset smaller).
 */
function wallClockOffset(): number {
  let best = -Infinity
  for (let edge = 0; edge < 5; edge++) {
    const from = Date.now()
    let now = from
    let mono = performance.now()
    while (now === from) {
      mono = performance.now()
      now = Date.now()
    }
    best = Math.max(best, now - mono)
  }
  return best
}

const offset = wallClockOffset()

/**
 * Epoch ms on the machine's wall clock with sub-millisecond resolution: the
 * clock Chromium stamps screencast frames with (base::Time::Now() in the
 * browser process). See `Screencast` for why the two can be compared.
 */
export function epochNow(): number {
  return performance.now() + offset
}

/** A composited frame of a page: when the browser got it (epoch ms) and the PNG. */
interface ScreenFrame {
  t: number
  png: Uint8Array
  /** CSS pixels across the page, from the frame's metadata (the image may be scaled down). */
  cssWidth: number
}

export interface DecodedFrame {
  t: number
  width: number
  height: number
  /** Image pixels per CSS pixel. */
  scale: number
  rgba: Uint8Array
}

export interface CssRect {
  x: number
  y: number
  width: number
  height: number
}

/**
 * What a page shows on screen, frame by frame, through the Chrome DevTools
 * Protocol screencast (Page.startScreencast): the display compositor (viz)
 * copies each frame of the page's surface that has new damage and the
 * browser process sends it with `metadata.timestamp`. That is observed
 * output, after the page's own painting, the canvas hand-off, the renderer's
 * compositor and viz's aggregation, not a mark the board code sets.
 *
 * One timeline: the stamp is base::Time::Now() (CLOCK_REALTIME) taken in the
 * browser process when the copied frame arrives from viz, before it is
 * encoded; `epochNow()` here reads the same kernel clock (its monotonic
 * clock pinned to the wall clock at a Date.now() tick, to within ~0.01 ms;
 * nothing steps the clock on this machine during a run, and a drift between
 * the two would show as stamps later than their receipt, which `late`
 * counts). Both are one machine's clock: no offset between processes is
 * estimated from messages.
 *
 * Resolution and overhead: viz captures at most one frame per 10 ms
 * (DevToolsVideoConsumer's minimum capture period) and holds back new
 * captures while 2 frames are unacknowledged, so every frame is acknowledged
 * as it arrives and decoded only later. A frame that comes within 10 ms of
 * the previous capture is taken late, so a stroke can read up to ~10 ms late
 * (never early); the stamp is also after viz's copy and its hop to the
 * browser process (about a millisecond, measured below as part of
 * `stampToNode`). The capture and PNG encoding cost CPU in the GPU and browser
 * processes, so on this 2-core machine the figures are slightly pessimistic;
 * frames are scaled to half size to keep that small.
 */
export class Screencast {
  private frames: ScreenFrame[] = []
  /** Frames whose stamp is later than Node's receipt of them: a clock disagreement. */
  late = 0
  /** Node receipt − stamp for each frame, ms: the transport's own delay. */
  readonly stampToNode: number[] = []

  private constructor(private readonly cdp: CDPSession) {}

  static async start(page: Page, scale = 0.5): Promise<Screencast> {
    const cdp = await page.context().newCDPSession(page)
    const cast = new Screencast(cdp)
    const size = page.viewportSize() ?? { width: 1280, height: 720 }
    cdp.on('Page.screencastFrame', (f) => {
      const received = epochNow()
      // Acknowledge first: viz captures nothing new while two frames wait for this.
      cdp.send('Page.screencastFrameAck', { sessionId: f.sessionId }).catch(() => undefined)
      const t = f.metadata.timestamp ? f.metadata.timestamp * 1000 : received
      if (t > received + 1) cast.late++
      cast.stampToNode.push(received - t)
      cast.frames.push({ t, png: Buffer.from(f.data, 'base64'), cssWidth: f.metadata.deviceWidth })
    })
    await cdp.send('Page.startScreencast', {
      format: 'png',
      maxWidth: Math.round(size.width * scale),
      maxHeight: Math.round(size.height * scale),
      everyNthFrame: 1,
    })
    return cast
  }

  async stop(): Promise<void> {
    await this.cdp.send('Page.stopScreencast').catch(() => undefined)
    await this.cdp.detach().catch(() => undefined)
  }

  /** The frame on screen at `t`: the last one stamped before it. */
  frameBefore(t: number): DecodedFrame | null {
    const before = this.frames.filter((f) => f.t < t)
    const last = before[before.length - 1]
    return last ? decodeFrame(last) : null
  }

  /** Frames stamped at or after `t`, oldest first, decoded one by one as asked. */
  *framesFrom(t: number): Generator<DecodedFrame> {
    for (const f of this.frames) if (f.t >= t) yield decodeFrame(f)
  }

  /** Forget frames before `t` except the last of them (still on screen at `t`). */
  dropBefore(t: number): void {
    const keep = this.frames.findIndex((f) => f.t >= t)
    const from = keep < 0 ? this.frames.length - 1 : Math.max(0, keep - 1)
    this.frames = this.frames.slice(from)
  }

  /** Resolves with the first frame from `t` on that `test` accepts, polling as frames arrive; null after `timeoutMs`. */
  async waitFor(t: number, test: (frame: DecodedFrame) => boolean, timeoutMs: number): Promise<DecodedFrame | null> {
    const deadline = Date.now() + timeoutMs
    let seen = 0
    for (;;) {
      const fresh = this.frames.filter((f) => f.t >= t)
      for (const f of fresh.slice(seen)) {
        const frame = decodeFrame(f)
        if (test(frame)) return frame
      }
      seen = fresh.length
      if (Date.now() > deadline) return null
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}

/** A screenshot (Page.captureScreenshot, PNG) as a frame at time `t`. */
export function decodeScreenshot(png: Uint8Array, cssWidth: number, t = epochNow()): DecodedFrame {
  return decodeFrame({ t, png, cssWidth })
}

function decodeFrame(f: ScreenFrame): DecodedFrame {
  const png = decode(f.png)
  const channels = png.channels
  let rgba: Uint8Array
  if (channels === 4 && png.data instanceof Uint8Array) rgba = png.data
  else {
    rgba = new Uint8Array(png.width * png.height * 4)
    for (let i = 0, j = 0; i < png.width * png.height; i++, j += channels) {
      rgba[i * 4] = png.data[j] ?? 0
      rgba[i * 4 + 1] = png.data[j + (channels >= 3 ? 1 : 0)] ?? 0
      rgba[i * 4 + 2] = png.data[j + (channels >= 3 ? 2 : 0)] ?? 0
      rgba[i * 4 + 3] = 255
    }
  }
  return { t: f.t, width: png.width, height: png.height, scale: png.width / (f.cssWidth || png.width), rgba }
}

/**
 * A pixel darkened towards the default pen's dark grey (#1e1e1e): all three
 * channels at least 40 lower and still grey. A thin stroke on a half-size
 * frame covers only part of a pixel, so this asks for darkening, not black;
 * the other person's cursor (blue, white outline and label) never passes
 * (its blue channel stays high).
 */
export function darkened(now: Uint8Array, was: Uint8Array, i: number): boolean {
  const [r, g, b] = [now[i] ?? 0, now[i + 1] ?? 0, now[i + 2] ?? 0]
  const drop = Math.min((was[i] ?? 0) - r, (was[i + 1] ?? 0) - g, (was[i + 2] ?? 0) - b)
  return drop >= 40 && Math.max(r, g, b) - Math.min(r, g, b) < 40
}

/** Pixels inside `rect` (CSS px) of `frame` that pass `test` against the same pixel in `before` (0 if their sizes differ). */
function countPixels(frame: DecodedFrame, before: DecodedFrame, rect: CssRect, test: (now: Uint8Array, was: Uint8Array, i: number) => boolean): number {
  const s = frame.scale
  const x0 = Math.max(0, Math.floor(rect.x * s))
  const y0 = Math.max(0, Math.floor(rect.y * s))
  const x1 = Math.min(frame.width, Math.ceil((rect.x + rect.width) * s))
  const y1 = Math.min(frame.height, Math.ceil((rect.y + rect.height) * s))
  if (before.width !== frame.width || before.height !== frame.height) return 0
  let n = 0
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (test(frame.rgba, before.rgba, (y * frame.width + x) * 4)) n++
    }
  }
  return n
}

/** Pixels inside `rect` (CSS px) that ink darkened in `frame` since `before`. */
export function newInkPixels(frame: DecodedFrame, before: DecodedFrame, rect: CssRect): number {
  return countPixels(frame, before, rect, darkened)
}

/**
 * A pixel whose colour moved by at least 24 in some channel: text or a
 * bubble drawn where there was none (anti-aliasing and PNG encoding of
 * an unchanged area move a channel by a few units at most).
 */
export function changed(now: Uint8Array, was: Uint8Array, i: number): boolean {
  for (let c = 0; c < 3; c++) if (Math.abs((now[i + c] ?? 0) - (was[i + c] ?? 0)) >= 24) return true
  return false
}

/** Pixels inside `rect` (CSS px) whose colour changed visibly in `frame` since `before`. */
export function changedPixels(frame: DecodedFrame, before: DecodedFrame, rect: CssRect): number {
  return countPixels(frame, before, rect, changed)
}

/** The paper (white) inside `rect` (CSS px) in a frame: the bounds of its near-white pixels. */
export function paperIn(frame: DecodedFrame, rect: CssRect): CssRect | null {
  const s = frame.scale
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  const x0 = Math.max(0, Math.ceil(rect.x * s))
  const y0 = Math.max(0, Math.ceil(rect.y * s))
  const x1 = Math.min(frame.width, Math.floor((rect.x + rect.width) * s))
  const y1 = Math.min(frame.height, Math.floor((rect.y + rect.height) * s))
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * frame.width + x) * 4
      if ((frame.rgba[i] ?? 0) > 240 && (frame.rgba[i + 1] ?? 0) > 240 && (frame.rgba[i + 2] ?? 0) > 240) {
        minX = Math.min(minX, x)
        maxX = Math.max(maxX, x)
        minY = Math.min(minY, y)
        maxY = Math.max(maxY, y)
      }
    }
  }
  if (!Number.isFinite(minX)) return null
  return { x: minX / s, y: minY / s, width: (maxX - minX + 1) / s, height: (maxY - minY + 1) / s }
}

/** Writes frames as PNGs into `dir` (BENCH_DUMP_FRAMES), to look at what a measurement saw. */
export function dumpFrames(dir: string, name: string, frames: DecodedFrame[]): void {
  frames.forEach((f, i) => writeFileSync(join(dir, `${name}-${i}-${f.t.toFixed(1)}.png`), encode({ width: f.width, height: f.height, data: f.rgba, channels: 4, depth: 8 })))
}
