import { describe, expect, it } from 'vitest'
import { containRect, FramePainter, type PaintSurface } from '../../../../src/renderer/media/frameCanvas/framePainter'

class FakeFrame {
  closed = false
  constructor(
    readonly displayWidth: number,
    readonly displayHeight: number,
  ) {}
  close(): void {
    this.closed = true
  }
}

function surface(width: number, height: number): PaintSurface<FakeFrame> & { ops: string[] } {
  const ops: string[] = []
  return {
    width,
    height,
    ops,
    fill: (color) => ops.push(`fill ${color}`),
    draw: (frame, x, y, w, h) => ops.push(`draw ${frame.displayWidth}x${frame.displayHeight} at ${x},${y} ${w}x${h}`),
  }
}

describe('containRect (letterboxing like object-fit: contain)', () => {
  it('fits a wide picture to the width and centres it vertically', () => {
    expect(containRect(1280, 720, 400, 400)).toEqual({ x: 0, y: 87.5, w: 400, h: 225 })
  })
  it('fits a tall picture to the height and centres it horizontally', () => {
    expect(containRect(720, 1280, 320, 180)).toEqual({ x: 109.375, y: 0, w: 101.25, h: 180 })
  })
  it('draws nothing for an empty picture or box', () => {
    expect(containRect(0, 720, 320, 180).w).toBe(0)
    expect(containRect(1280, 720, 0, 180).w).toBe(0)
  })
})

describe('FramePainter', () => {
  it('clears the box, draws the frame letterboxed and releases it', () => {
    const s = surface(320, 240)
    const painter = new FramePainter(s, () => {}, '#111')
    const frame = new FakeFrame(1280, 720)
    painter.paint(frame)
    expect(s.ops).toEqual(['fill #111', 'draw 1280x720 at 0,30 320x180'])
    expect(frame.closed).toBe(true)
  })

  it('releases the frame even when drawing throws (a frame from a closed track)', () => {
    const s = surface(320, 240)
    s.draw = () => {
      throw new Error('detached')
    }
    const frame = new FakeFrame(640, 480)
    expect(() => new FramePainter(s, () => {}, '#000').paint(frame)).toThrow('detached')
    expect(frame.closed).toBe(true)
  })

  it('reports the picture size at the first frame, on a size change and then at most every interval', () => {
    let now = 0
    const reports: string[] = []
    const painter = new FramePainter(surface(320, 180), (w, h, n) => reports.push(`${w}x${h} #${n}`), '#000', () => now, 500)
    for (let i = 0; i < 10; i++) {
      now = i * 100
      painter.paint(new FakeFrame(640, 360))
    }
    now = 1000
    painter.paint(new FakeFrame(1280, 720))
    expect(reports).toEqual(['640x360 #1', '640x360 #6', '1280x720 #11'])
  })

  it('clears to an empty box when the picture goes (camera off), and reports 0x0', () => {
    const s = surface(320, 180)
    const reports: string[] = []
    const painter = new FramePainter(s, (w, h, n) => reports.push(`${w}x${h} #${n}`), '#222')
    painter.paint(new FakeFrame(640, 360))
    painter.clear()
    expect(s.ops.at(-1)).toBe('fill #222')
    expect(reports).toEqual(['640x360 #1', '0x0 #1'])
    // The next picture is reported at once.
    painter.paint(new FakeFrame(640, 360))
    expect(reports.at(-1)).toBe('640x360 #2')
  })

  it('sizes the canvas in whole device pixels within sane bounds', () => {
    const s = surface(300, 150)
    const painter = new FramePainter(s, () => {}, '#000')
    painter.resize(275.6, 154.4)
    expect([s.width, s.height]).toEqual([276, 154])
    painter.resize(0, 1e9)
    expect([s.width, s.height]).toEqual([1, 4096])
  })
})
