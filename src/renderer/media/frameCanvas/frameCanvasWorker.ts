// Paints a camera or screen track into a tile's canvas off the main thread.
// The page hands over the canvas (transferControlToOffscreen) and the
// track's frames (a MediaStreamTrackProcessor's readable stream); each frame
// is drawn letterboxed and closed at once. See TrackCanvas for why tiles are
// painted this way at all.
import { FramePainter } from './framePainter'
import { FrameRateCap } from './frameRateCap'
import type { FromFrameWorker, ToFrameWorker } from './messages'

let painter: FramePainter<VideoFrame> | null = null
let reader: ReadableStreamDefaultReader<VideoFrame> | null = null
let maxFps = 0

async function pump(r: ReadableStreamDefaultReader<VideoFrame>): Promise<void> {
  const cap = new FrameRateCap(maxFps)
  for (;;) {
    const { value, done } = await r.read()
    if (done) return
    // A frame for a track we have since left, or one over the tile's frame rate, is only released.
    if (r !== reader || !painter || !cap.keep(value.timestamp)) {
      value.close()
      continue
    }
    painter.paint(value)
  }
}

function stopReading(): void {
  const r = reader
  reader = null
  r?.cancel().catch(() => {})
}

onmessage = (event: MessageEvent<ToFrameWorker>) => {
  const msg = event.data
  if (msg.type === 'canvas') {
    maxFps = msg.maxFps
    const ctx = msg.canvas.getContext('2d', { alpha: false })
    if (!ctx) return
    painter = new FramePainter<VideoFrame>(
      {
        get width() {
          return msg.canvas.width
        },
        set width(w) {
          msg.canvas.width = w
        },
        get height() {
          return msg.canvas.height
        },
        set height(h) {
          msg.canvas.height = h
        },
        fill(color) {
          ctx.fillStyle = color
          ctx.fillRect(0, 0, msg.canvas.width, msg.canvas.height)
        },
        draw(frame, x, y, w, h) {
          ctx.drawImage(frame, x, y, w, h)
        },
      },
      (width, height, frames) => postMessage({ type: 'painted', width, height, frames } satisfies FromFrameWorker),
      msg.background,
    )
  } else if (msg.type === 'size') {
    painter?.resize(msg.width, msg.height)
  } else if (msg.type === 'frames') {
    stopReading()
    if (!msg.frames) {
      painter?.clear()
      return
    }
    const r = msg.frames.getReader()
    reader = r
    pump(r).catch(() => {
      // The track ended or was replaced; the page sends the next one.
    })
  }
}
