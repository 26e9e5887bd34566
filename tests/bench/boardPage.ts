import type { Page } from '@playwright/test'
import { percentile, type Metric } from './stats'

/**
 * tsx compiles this file with esbuild's keepNames, which wraps functions in a
 * `__name()` helper that the page does not have; give the page a no-op one.
 */
export async function allowNamedFunctions(page: Page): Promise<void> {
  await page.evaluate('globalThis.__name ??= (fn) => fn')
}

/** Board frames seen during a loop: when each was painted and the main-thread ms it took. */
export interface FrameLog {
  times: number[]
  work: number[]
}

/** Frame work time: median and p95 of the ms each painted frame took on the main thread. */
export function frameWork(log: FrameLog): Metric {
  const round = (n: number) => Math.round(n * 100) / 100
  return { median: round(percentile(log.work, 50)), p95: round(percentile(log.work, 95)), unit: 'ms per frame (main thread)', runs: log.work.length }
}

/** Frame rate from frame timestamps: per-frame fps, median and the rate 95 % of frames reach. */
export function boardFps(times: number[]): Metric {
  const fps: number[] = []
  for (let i = 1; i < times.length; i++) {
    const dt = (times[i] as number) - (times[i - 1] as number)
    if (dt > 0) fps.push(Math.min(1000 / dt, 240))
  }
  const round = (n: number) => Math.round(n * 10) / 10
  return { median: round(percentile(fps, 50)), p95: round(percentile(fps, 5)), unit: 'fps', runs: fps.length }
}

/**
 * Goes to page `n` (1-based) by its thumbnail and returns the time until the
 * first board frame that painted everything with `strokes` strokes.
 */
export async function timeBoardLoad(page: Page, n: number, strokes: number): Promise<number> {
  return page.evaluate(
    ([index, want]) =>
      new Promise<number>((resolve, reject) => {
        const canvas = document.querySelector('[data-testid=board-canvas]')
        const button = document.querySelector(`[data-testid=page-thumb-${index}] button`) as HTMLButtonElement | null
        if (!canvas || !button) return reject(new Error('no board'))
        const timer = setTimeout(() => reject(new Error('page never finished painting')), 60_000)
        const start = performance.now()
        const on = (e: Event): void => {
          const d = (e as CustomEvent<{ complete: boolean; strokes: number }>).detail
          if (!d.complete || d.strokes < want) return
          clearTimeout(timer)
          canvas.removeEventListener('board:frame', on)
          resolve(performance.now() - start)
        }
        canvas.addEventListener('board:frame', on)
        button.click()
      }),
    [n, strokes] as const,
  )
}

/** Frame times while a pen draws `count` strokes of `ms` each (pointer events every animation frame). */
export async function drawLoop(page: Page, count: number, ms: number): Promise<FrameLog> {
  return page.evaluate(
    ([strokes, each]) =>
      new Promise<FrameLog>((resolve) => {
        const canvas = document.querySelector('[data-testid=board-canvas]') as HTMLCanvasElement
        const r = canvas.getBoundingClientRect()
        const frames: FrameLog = { times: [], work: [] }
        const onFrame = (e: Event) => {
          frames.times.push(performance.now())
          frames.work.push((e as CustomEvent<{ ms: number }>).detail.ms)
        }
        canvas.addEventListener('board:frame', onFrame)
        const fire = (type: string, x: number, y: number) =>
          canvas.dispatchEvent(new PointerEvent(type, { clientX: x, clientY: y, pointerId: 1, pointerType: 'mouse', button: 0, buttons: type === 'pointerup' ? 0 : 1, pressure: 0.5, bubbles: true }))
        let done = 0
        const stroke = () => {
          const x0 = r.left + r.width * (0.2 + 0.1 * done)
          const y0 = r.top + r.height * 0.5
          const start = performance.now()
          fire('pointerdown', x0, y0)
          const step = (now: number) => {
            const t = now - start
            const x = x0 + t * 0.15
            const y = y0 + Math.sin(t / 40) * 30
            if (t < each) {
              fire('pointermove', x, y)
              requestAnimationFrame(step)
              return
            }
            fire('pointerup', x, y)
            done += 1
            if (done < strokes) requestAnimationFrame(stroke)
            else
              setTimeout(() => {
                canvas.removeEventListener('board:frame', onFrame)
                resolve(frames)
              }, 400)
          }
          requestAnimationFrame(step)
        }
        stroke()
      }),
    [count, ms] as const,
  )
}

/** Frame times while the view is panned and zoomed by wheel events every animation frame. */
export async function panZoomLoop(page: Page, ms: number): Promise<FrameLog> {
  return page.evaluate(
    (total) =>
      new Promise<FrameLog>((resolve) => {
        const canvas = document.querySelector('[data-testid=board-canvas]') as HTMLCanvasElement
        const r = canvas.getBoundingClientRect()
        const frames: FrameLog = { times: [], work: [] }
        const onFrame = (e: Event) => {
          frames.times.push(performance.now())
          frames.work.push((e as CustomEvent<{ ms: number }>).detail.ms)
        }
        canvas.addEventListener('board:frame', onFrame)
        const start = performance.now()
        const step = (now: number) => {
          const t = now - start
          if (t > total) {
            canvas.removeEventListener('board:frame', onFrame)
            return resolve(frames)
          }
          const phase = Math.floor(t / 1000) % 2
          const cx = r.left + r.width / 2
          const cy = r.top + r.height / 2
          // Even seconds pan in a circle; odd seconds zoom in then out (crossing tile levels).
          const init: WheelEventInit =
            phase === 0
              ? { deltaX: Math.cos(t / 150) * 25, deltaY: Math.sin(t / 150) * 25, clientX: cx, clientY: cy }
              : { deltaY: (t % 1000) < 500 ? -18 : 18, ctrlKey: true, clientX: cx, clientY: cy }
          canvas.dispatchEvent(new WheelEvent('wheel', { ...init, bubbles: true, cancelable: true }))
          requestAnimationFrame(step)
        }
        requestAnimationFrame(step)
      }),
    ms,
  )
}
