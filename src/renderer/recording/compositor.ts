import { RECORDING_FPS, RECORDING_HEIGHT, RECORDING_WIDTH } from '../../shared/recording/limits'
import { cropCover, fitContain, layoutFor, type Rect } from './layout'
import { sourceSize, type RecordingScene } from './scene'
import type { Ticker } from './ticker'

export interface CompositorStats {
  /** Frames drawn and handed to the encoder. */
  drawn: number
  /** Frames that should have been drawn by now (elapsed time x fps) but were not. */
  dropped: number
  /** Average time one frame took to draw, ms (main-thread cost). */
  drawMs: number
}

const BACKGROUND = '#14161a'
const LABEL_FONT = '600 18px system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif'

/**
 * Draws the scene onto a 1280x720 canvas at 30 fps, one frame per tick of a
 * worker clock, and offers it as a video track (captureStream(0) +
 * requestFrame, so every drawn frame is exactly one encoded frame).
 */
export class Compositor {
  readonly canvas: HTMLCanvasElement
  readonly track: MediaStreamTrack
  private readonly ctx: CanvasRenderingContext2D
  private startedAt = 0
  private drawn = 0
  private drawTime = 0

  constructor(
    private readonly scene: RecordingScene,
    private readonly ticker: Ticker,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.canvas = document.createElement('canvas')
    this.canvas.width = RECORDING_WIDTH
    this.canvas.height = RECORDING_HEIGHT
    const ctx = this.canvas.getContext('2d', { alpha: false })
    if (!ctx) throw new Error('2D canvas is not available')
    this.ctx = ctx
    const track = this.canvas.captureStream(0).getVideoTracks()[0]
    if (!track) throw new Error('canvas capture is not available')
    this.track = track
    this.draw() // a first frame, so the encoder never starts on nothing
  }

  start(): void {
    this.startedAt = this.now()
    this.drawn = 0
    this.drawTime = 0
    this.ticker.start(1000 / RECORDING_FPS, () => this.draw())
  }

  stop(): void {
    this.ticker.stop()
    this.track.stop()
    this.scene.dispose?.()
  }

  get stats(): CompositorStats {
    const expected = Math.floor(((this.now() - this.startedAt) * RECORDING_FPS) / 1000)
    return { drawn: this.drawn, dropped: Math.max(0, expected - this.drawn), drawMs: this.drawn > 0 ? this.drawTime / this.drawn : 0 }
  }

  private draw(): void {
    const began = this.now()
    const { ctx, scene } = this
    scene.refresh?.()
    ctx.fillStyle = BACKGROUND
    ctx.fillRect(0, 0, RECORDING_WIDTH, RECORDING_HEIGHT)
    const kind = scene.mainKind()
    const tiles = scene.tiles()
    const layout = layoutFor(kind, tiles.length)
    const main = scene.mainArea()
    if (main) this.image(main, layout.main, layout.mainFit, false)
    else this.placeholder(layout.main, scene.mainLabel())
    if (kind === 'camera' && main) this.label(scene.mainLabel(), { x: 16, y: RECORDING_HEIGHT - 56, w: 0, h: 0 })
    tiles.forEach((tile, i) => {
      const rect = layout.tiles[i]
      if (!rect) return
      if (tile.source) this.image(tile.source, rect, 'cover', tile.mirrored)
      else this.placeholder(rect, '')
      ctx.strokeStyle = 'rgba(255,255,255,0.25)'
      ctx.lineWidth = 2
      ctx.strokeRect(rect.x + 1, rect.y + 1, rect.w - 2, rect.h - 2)
      this.label(tile.label, { x: rect.x + 8, y: rect.y + rect.h - 36, w: rect.w - 16, h: 0 })
    })
    ;(this.track as CanvasCaptureMediaStreamTrack).requestFrame?.()
    this.drawn += 1
    this.drawTime += this.now() - began
  }

  private image(source: CanvasImageSource, box: Rect, fit: 'contain' | 'cover', mirrored: boolean): void {
    const { width, height } = sourceSize(source)
    if (width === 0 || height === 0) return this.placeholder(box, '')
    const { ctx } = this
    ctx.save()
    if (mirrored) {
      ctx.translate(box.x * 2 + box.w, 0)
      ctx.scale(-1, 1)
    }
    if (fit === 'contain') {
      const dest = fitContain(width, height, box)
      ctx.drawImage(source, dest.x, dest.y, dest.w, dest.h)
    } else {
      const crop = cropCover(width, height, box)
      ctx.drawImage(source, crop.x, crop.y, crop.w, crop.h, box.x, box.y, box.w, box.h)
    }
    ctx.restore()
  }

  private placeholder(box: Rect, text: string): void {
    const { ctx } = this
    ctx.fillStyle = '#23262d'
    ctx.fillRect(box.x, box.y, box.w, box.h)
    if (!text) return
    ctx.fillStyle = '#9aa3b2'
    ctx.font = LABEL_FONT
    ctx.textAlign = 'center'
    ctx.textBaseline = 'middle'
    ctx.fillText(text, box.x + box.w / 2, box.y + box.h / 2)
    ctx.textAlign = 'start'
    ctx.textBaseline = 'alphabetic'
  }

  /** A name on a dark pill, bottom-left of a tile. */
  private label(text: string, at: Rect): void {
    if (!text) return
    const { ctx } = this
    ctx.font = LABEL_FONT
    const maxW = at.w > 0 ? at.w : 400
    let shown = text
    while (shown.length > 1 && ctx.measureText(shown).width > maxW - 16) shown = shown.slice(0, -1)
    if (shown !== text) shown = `${shown.slice(0, -1)}…`
    const w = Math.min(maxW, ctx.measureText(shown).width + 16)
    ctx.fillStyle = 'rgba(0,0,0,0.6)'
    ctx.beginPath()
    ctx.roundRect(at.x, at.y, w, 28, 6)
    ctx.fill()
    ctx.fillStyle = '#ffffff'
    ctx.textBaseline = 'middle'
    ctx.fillText(shown, at.x + 8, at.y + 14)
    ctx.textBaseline = 'alphabetic'
  }
}
