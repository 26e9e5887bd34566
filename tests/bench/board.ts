import type { Browser, CDPSession, Page } from '@playwright/test'
import { addNotesPage, diskBytesPer1kStrokes } from './boardFixtures'
import { allowNamedFunctions, boardFps, drawLoop, frameWork, panZoomLoop, timeBoardLoad } from './boardPage'
import { connectNodeBoard, wireBytesPer1kStrokes, type LessonPassLike } from './boardWire'
import { lessonInProgress, twoPeople, WAIT_MS } from './lessonPair'
import { decodeScreenshot, dumpFrames, epochNow, newInkPixels, paperIn, Screencast, type CssRect, type DecodedFrame } from './screenPixels'
import { metric, type Metric } from './stats'

const NOTES = 20_000

/** The tutor opens the board, which brings the student to it (as in a lesson). */
export async function openBoards(tutor: Page, student: Page): Promise<void> {
  await tutor.getByTestId('toggle-board').click({ timeout: WAIT_MS })
  for (const page of [tutor, student]) await page.locator('[data-testid=board][data-link=online]').waitFor({ timeout: WAIT_MS })
}

/**
 * The board's own marks, kept for diagnosis: epoch ms of each pointer-down
 * event on the tutor's board, and of each board frame on the student's side
 * that first holds a new stroke (the board code has drawn it on its canvas;
 * compositing and the screen come after).
 */
async function recordBoardMarks(tutor: Page, student: Page): Promise<void> {
  await allowNamedFunctions(tutor)
  await allowNamedFunctions(student)
  await tutor.evaluate(() => {
    const w = window as unknown as { benchDowns: number[] }
    const installed = Array.isArray(w.benchDowns)
    w.benchDowns = []
    if (installed) return
    document.querySelector('[data-testid=board-canvas]')?.addEventListener('pointerdown', (e) => w.benchDowns.push(performance.timeOrigin + e.timeStamp), { capture: true })
  })
  await student.evaluate(() => {
    const w = window as unknown as { benchPaints: number[] }
    const installed = Array.isArray(w.benchPaints)
    w.benchPaints = []
    if (installed) return
    let seen = Number(document.querySelector('[data-testid=board]')?.getAttribute('data-stroke-count') ?? 0)
    document.querySelector('[data-testid=board-canvas]')?.addEventListener('board:frame', (e) => {
      const strokes = (e as CustomEvent<{ strokes: number }>).detail.strokes
      if (strokes > seen) w.benchPaints.push(performance.timeOrigin + performance.now())
      seen = strokes
    })
  })
}

/** The page's paper on screen (CSS px): the white area inside its board canvas. */
export async function paperOnScreen(page: Page, frame: DecodedFrame | null): Promise<CssRect> {
  const canvas = await page.getByTestId('board-canvas').boundingBox()
  if (!canvas) throw new Error('no board canvas')
  const shot = frame ?? decodeScreenshot(await page.screenshot(), page.viewportSize()?.width ?? 1280)
  const paper = paperIn(shot, canvas)
  if (!paper || paper.width < 200 || paper.height < 100) throw new Error(`no blank paper found on the board (${JSON.stringify(paper)})`)
  return paper
}

/** The stroke the bench draws: this far right and down from pen-down, in the tutor's CSS px. */
/** The mouse as real input through CDP (what Playwright's mouse sends): moves, and the left button down or up. */
export function mouseInput(input: CDPSession): (type: 'mouseMoved' | 'mousePressed' | 'mouseReleased', x: number, y: number, buttons: number) => Promise<unknown> {
  return (type, x, y, buttons) =>
    input.send('Input.dispatchMouseEvent', { type, x, y, button: type === 'mouseMoved' && buttons === 0 ? 'none' : 'left', buttons, clickCount: type === 'mouseMoved' ? 0 : 1 })
}

const STROKE = { dx: 30, dy: 10, steps: 3 }
/** Each stroke gets a cell of its own, so that its first pixels are new ones. */
const CELL = { w: 48, h: 28 }

type Mouse = ReturnType<typeof mouseInput>

/**
 * The bench's strokes laid out on the tutor's paper (`from`), one per cell,
 * and where each must show on the student's paper (`to`, at the student's
 * zoom): both in each page's CSS px. Shared by `board` and `screen`.
 */
export function strokeCells(from: CssRect, to: CssRect): { count: number; cell(i: number): { x: number; y: number; landing: CssRect } } {
  const k = to.width / from.width
  const cols = Math.floor((from.width * 0.9) / CELL.w)
  const rows = Math.floor((from.height * 0.9) / CELL.h)
  const pad = 6
  return {
    count: cols * rows,
    cell(i) {
      const fx = 0.05 + ((i % cols) * CELL.w) / from.width
      const fy = 0.05 + (Math.floor(i / cols) * CELL.h) / from.height
      return {
        x: from.x + from.width * fx,
        y: from.y + from.height * fy,
        landing: { x: to.x + to.width * fx - pad, y: to.y + to.height * fy - pad, width: STROKE.dx * k + 2 * pad, height: STROKE.dy * k + 2 * pad },
      }
    },
  }
}

/** One short stroke from (x, y): pen down, a few moves, pen up. */
export async function drawStroke(mouse: Mouse, x: number, y: number): Promise<void> {
  await mouse('mousePressed', x, y, 1)
  for (let s = 1; s <= STROKE.steps; s++) await mouse('mouseMoved', x + (STROKE.dx * s) / STROKE.steps, y + (STROKE.dy * s) / STROKE.steps, 1)
  await mouse('mouseReleased', x + STROKE.dx, y + STROKE.dy, 0)
}
/** Darkened pixels (half-size frames) that count as the stroke being on screen: its very first ink. */
const MIN_INK_PIXELS = 1

export interface LatencyRuns {
  /** Pointer-down dispatched → first composited frame on the other page showing the stroke's ink there. */
  painted: number[]
  /** Pointer-down event on the tutor's page → the student's board code drew the stroke (its own mark). */
  internal: number[]
  /** Pointer-down dispatched → the tutor's page handled it. */
  inputToHandler: number[]
  /** The student's board drew the stroke → its pixels were composited. */
  drawnToPixels: number[]
}

/**
 * Pointer-down on the tutor's side → that stroke's pixels on the student's
 * screen, for `runs` short strokes starting at cell `firstCell`. The input
 * goes in through CDP (Input.dispatchMouseEvent, as Playwright's mouse does)
 * and the clock starts just before it is sent; it stops at the stamp of the
 * first screencast frame of the student's page with new ink at the place the
 * stroke must appear (see `Screencast` for the shared clock and resolution).
 */
export async function strokeLatency(tutor: Page, student: Page, runs: number, firstCell: number): Promise<LatencyRuns> {
  await recordBoardMarks(tutor, student)
  const cast = await Screencast.start(student)
  const input = await tutor.context().newCDPSession(tutor)
  const mouse = mouseInput(input)
  try {
    await student.waitForTimeout(300) // a first frame to compare with
    const from = await paperOnScreen(tutor, null)
    const to = await paperOnScreen(student, cast.frameBefore(epochNow()))
    const cells = strokeCells(from, to)
    if (firstCell + runs > cells.count) throw new Error(`the paper has ${cells.count} cells for ${firstCell + runs} strokes`)
    const starts: number[] = []
    const painted: number[] = []
    for (let i = 0; i < runs; i++) {
      // Where the stroke must show on the student's screen: the same place on the page, at the student's zoom.
      const { x, y, landing: place } = cells.cell(firstCell + i)
      await mouse('mouseMoved', x, y, 0)
      await tutor.waitForTimeout(50) // the pointer rests a moment, as a hand does before writing
      const t0 = epochNow()
      starts.push(t0)
      await drawStroke(mouse, x, y)
      await student.waitForFunction((n) => (window as unknown as { benchPaints: number[] }).benchPaints.length >= n, i + 1, { timeout: WAIT_MS })
      const before = cast.frameBefore(t0)
      if (!before) throw new Error('no screencast frame before the stroke')
      const shown = await cast.waitFor(t0, (f) => newInkPixels(f, before, place) >= MIN_INK_PIXELS, WAIT_MS)
      if (!shown) throw new Error(`stroke ${i + 1} never showed on the student's screen at ${JSON.stringify(place)}`)
      painted.push(shown.t - t0)
      if (process.env.BENCH_DUMP_FRAMES && i < 3) dumpFrames(process.env.BENCH_DUMP_FRAMES, `${firstCell + i}`, [before, shown])
      cast.dropBefore(epochNow())
    }
    if (cast.late > 0) console.log(`  (clock check: ${cast.late} screencast frames stamped after Node received them)`)
    const downs = await tutor.evaluate(() => (window as unknown as { benchDowns: number[] }).benchDowns)
    const paints = await student.evaluate(() => (window as unknown as { benchPaints: number[] }).benchPaints)
    return {
      painted,
      internal: paints.map((p, i) => p - (downs[i] ?? p)),
      inputToHandler: downs.map((d, i) => d - (starts[i] ?? d)),
      drawnToPixels: painted.map((p, i) => (starts[i] ?? 0) + p - (paints[i] ?? 0)),
    }
  } finally {
    await cast.stop()
    await input.detach().catch(() => undefined)
  }
}

const ms = (values: number[]): string => values.map((v) => v.toFixed(0)).join(' ')

export function logLatency(label: string, runs: LatencyRuns): void {
  console.log(`  stroke latency ${label} (pointer-down → pixels on the other screen) over ${runs.painted.length} strokes, ms: ${ms(runs.painted)}`)
  console.log(`    board's own mark (pointer-down event → drawn on the other canvas), ms: ${ms(runs.internal)}`)
  const m = (v: number[]) => metric(v, '')
  const parts = { 'input → handler': runs.inputToHandler, 'drawn → pixels': runs.drawnToPixels }
  console.log(`    ${Object.entries(parts).map(([name, v]) => `${name} ${m(v).median} / ${m(v).p95}`).join(', ')} ms (median / p95)`)
}

async function lessonPass(page: Page): Promise<LessonPassLike> {
  return JSON.parse((await page.evaluate(() => sessionStorage.getItem('duet.lessonPass'))) ?? '{}') as LessonPassLike
}

/** Adds a page of 20,000 handwritten strokes to the lesson's board, as a Node client with the tutor's token. */
async function addNotes(origin: string, pass: LessonPassLike): Promise<void> {
  const client = await connectNodeBoard(origin, pass)
  try {
    addNotesPage(client.doc, NOTES)
    const deadline = Date.now() + 3 * WAIT_MS
    while (client.provider.unsyncedChanges > 0) {
      if (Date.now() > deadline) throw new Error('the 20,000-stroke page was never acknowledged')
      await new Promise((r) => setTimeout(r, 50))
    }
  } finally {
    client.close()
  }
}

const PAINTED_UNIT = 'ms (pointer-down → first composited frame with the ink on the other screen, in a lesson'
const INTERNAL_UNIT = "ms (pointer-down event → the other side's board drew it, its own mark, in a lesson"
const fpsUnit = 'fps (p95 = 95% of frames at least this fast)'

/**
 * The whiteboard: remote stroke latency between two real lesson windows,
 * then a page of 20,000 strokes (load, drawing and pan/zoom frame rates and
 * the main-thread time per frame), and the bytes 1,000 strokes cost on the
 * wire (compressed, as sent) and on disk.
 */
export async function benchBoard(browser: Browser, origin: string, runs: number): Promise<Record<string, Metric>> {
  const disk = [1, 2, 3, 4, 5].map((seed) => diskBytesPer1kStrokes(seed))
  const people = await twoPeople(browser)
  try {
    const { tutor, student } = await lessonInProgress(people, origin)
    await openBoards(tutor, student)

    // Opening the board shrinks both camera tiles and both senders re-scale their cameras
    // (new resolution, new key frames); measure once that has settled, as with the cameras off below.
    await tutor.waitForTimeout(2000)
    // Enough strokes that p95 is not one unlucky stroke (60 at the default BENCH_RUNS=10).
    const strokes = Math.max(20, runs * 6)
    const latency = await strokeLatency(tutor, student, strokes, 0)
    logLatency('with both cameras on', latency)
    // The same with both cameras off: the board's own path, without two video encoders and decoders sharing the cores.
    for (const page of [tutor, student]) await page.getByTestId('toggle-camera').click()
    await tutor.waitForTimeout(2000)
    const latencyNoVideo = await strokeLatency(tutor, student, strokes, strokes)
    logLatency('with both cameras off', latencyNoVideo)
    for (const page of [tutor, student]) await page.getByTestId('toggle-camera').click()

    // The student's window renders on the same cores; hide its board so the tutor's frame rate is the tutor's alone.
    await student.keyboard.press('b')
    const pass = await lessonPass(tutor)
    await addNotes(origin, pass)
    await tutor.locator('[data-testid=board][data-page-count="2"]').waitFor({ timeout: 3 * WAIT_MS })
    const loads: number[] = []
    for (let i = 0; i < Math.max(3, Math.round(runs / 2)) * 2; i++) {
      // Even: the 20k page from the blank one; odd: back to the blank page.
      const ms = await timeBoardLoad(tutor, i % 2 === 0 ? 2 : 1, i % 2 === 0 ? NOTES : 0)
      if (i % 2 === 0) loads.push(ms)
    }
    console.log(`  20k page open (thumbnail click → every visible tile painted), ms: ${loads.map((v) => v.toFixed(0)).join(' ')}`)
    const drawLog = await drawLoop(tutor, 6, 500)
    const panLog = await panZoomLoop(tutor, 4000)
    const draw = boardFps(drawLog.times)
    const pan = boardFps(panLog.times)
    const drawWork = frameWork(drawLog)
    const panWork = frameWork(panLog)
    console.log(`  20k drawing: ${draw.median} fps median, ${draw.p95} fps p95; frame work ${drawWork.median} ms median, ${drawWork.p95} ms p95`)
    console.log(`  20k pan/zoom: ${pan.median} fps median, ${pan.p95} fps p95; frame work ${panWork.median} ms median, ${panWork.p95} ms p95`)

    const wire: { sent: number; received: number }[] = []
    for (const seed of [1, 2, 3]) wire.push(await wireBytesPer1kStrokes(origin, pass, seed))
    console.log(`  1,000 strokes on the wire, bytes sent by the drawer: ${wire.map((w) => w.sent).join(' ')}; received by the other side: ${wire.map((w) => w.received).join(' ')}`)
    console.log(`  1,000 strokes on disk, bytes: ${disk.join(' ')}`)
    return {
      stroke_remote_latency_ms: metric(latency.painted, PAINTED_UNIT + ', both cameras on)'),
      stroke_remote_latency_cameras_off_ms: metric(latencyNoVideo.painted, PAINTED_UNIT + ', both cameras off)'),
      stroke_remote_latency_internal_ms: metric(latency.internal, INTERNAL_UNIT + ', both cameras on)'),
      stroke_remote_latency_cameras_off_internal_ms: metric(latencyNoVideo.internal, INTERNAL_UNIT + ', both cameras off)'),
      board_20k_load_ms: metric(loads, 'ms'),
      board_20k_draw_fps: { ...draw, unit: fpsUnit },
      board_20k_panzoom_fps: { ...pan, unit: fpsUnit },
      board_20k_draw_frame_ms: drawWork,
      board_20k_panzoom_frame_ms: panWork,
      board_bytes_per_1k_strokes: metric(disk, 'bytes on disk (stored Yjs state)'),
      board_bytes_per_1k_strokes_wire: metric(
        wire.map((w) => w.sent),
        'bytes on the wire, sent by the drawer (TCP payload: WebSocket frames)',
      ),
      board_bytes_per_1k_strokes_wire_received: metric(
        wire.map((w) => w.received),
        'bytes on the wire, received by the other side',
      ),
    }
  } finally {
    await people.close()
  }
}
