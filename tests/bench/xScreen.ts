import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { BrowserContext, Page } from '@playwright/test'
import { encode } from 'fast-png'

/** A rectangle of the X screen, in screen pixels. */
export interface ScreenRect {
  x: number
  y: number
  w: number
  h: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A virtual X screen (Xvfb) for headed Chromium windows, read from outside
 * the browser the way a camera pointed at a monitor would: a separate
 * process (xScreenPoller.ts) grabs a small rectangle of the screen with X's
 * GetImage every ~2 ms and says when its pixels change. Nothing in the
 * browser is instrumented or slowed: the CDP screencast the other suites use
 * makes Chromium's display compositor copy every frame, about doubling its
 * work (docs/bench-history.md, 2026-12-07), and this reads what it already
 * put on the screen. Needs Xvfb (Debian package `xvfb`).
 */
export class XScreen {
  private readonly waiting = new Map<string, (message: Record<string, unknown>) => void>()
  private next = 0

  private constructor(
    readonly display: string,
    private readonly xvfb: ChildProcess,
    private readonly poller: ChildProcess,
  ) {
    createInterface({ input: poller.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as Record<string, unknown>
      const key = `${String(message.id)}${message.ready ? ':ready' : ''}`
      this.waiting.get(key)?.(message)
      this.waiting.delete(key)
    })
  }

  static available(): boolean {
    return ['/usr/bin/Xvfb', '/usr/local/bin/Xvfb'].some((path) => existsSync(path))
  }

  static async start(width: number, height: number): Promise<XScreen> {
    // A display number nobody holds (an X server keeps /tmp/.X<n>-lock).
    let n = 90
    while (existsSync(`/tmp/.X${n}-lock`)) n++
    const display = `:${n}`
    const xvfb = spawn('Xvfb', [display, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'], { stdio: 'ignore' })
    for (let i = 0; i < 100 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) await sleep(50)
    if (!existsSync(`/tmp/.X11-unix/X${n}`)) {
      xvfb.kill()
      throw new Error(`Xvfb did not start on ${display}`)
    }
    const poller = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'xScreenPoller.ts')], { env: { ...process.env, DISPLAY: display }, stdio: ['pipe', 'pipe', 'inherit'] })
    return new XScreen(display, xvfb, poller)
  }

  private ask(job: Record<string, unknown>, reply: string): Promise<Record<string, unknown>> {
    const answer = new Promise<Record<string, unknown>>((resolve) => this.waiting.set(reply, resolve))
    this.poller.stdin!.write(JSON.stringify(job) + '\n')
    return answer
  }

  /**
   * Starts watching `rect`: `ready` once its present pixels are taken as the
   * baseline, `changed` with the epoch ms (epochNow's clock) at which at least
   * `min` of its pixels first passed `test` against them (screenPixels.ts's
   * `changed`: any visible change; `darkened`: ink on paper, which the other
   * person's blue cursor and label never pass), or null after `timeoutMs`.
   */
  watch(rect: ScreenRect, min: number, test: 'changed' | 'darkened', timeoutMs = 5000): { ready: Promise<unknown>; changed: Promise<number | null> } {
    const id = `w${++this.next}`
    const ready = new Promise((resolve) => this.waiting.set(`${id}:ready`, resolve))
    const changed = this.ask({ id, ...rect, min, test, timeoutMs }, id).then((m) => (typeof m.t === 'number' ? m.t : null))
    return { ready, changed }
  }

  /** Writes what `rect` shows now to a PNG (for a person to check where the watching looks). */
  async savePng(rect: ScreenRect, path: string): Promise<void> {
    const id = `g${++this.next}`
    const bgrx = Buffer.from(String((await this.ask({ cmd: 'grab', id, ...rect }, id)).data), 'base64')
    const rgba = new Uint8Array(rect.w * rect.h * 4)
    for (let i = 0; i < rgba.length; i += 4) {
      rgba[i] = bgrx[i + 2]!
      rgba[i + 1] = bgrx[i + 1]!
      rgba[i + 2] = bgrx[i]!
      rgba[i + 3] = 255
    }
    writeFileSync(path, encode({ width: rect.w, height: rect.h, data: rgba, channels: 4, depth: 8 }))
  }

  async stop(): Promise<void> {
    this.poller.stdin!.end()
    this.poller.kill()
    this.xvfb.kill()
    await sleep(100)
  }
}

/** Moves a page's browser window to `left`, `top` on the screen, `width` x `height` (no window manager: nothing else places it). */
export async function placeWindow(context: BrowserContext, page: Page, bounds: { left: number; top: number; width: number; height: number }): Promise<void> {
  const cdp = await context.newCDPSession(page)
  try {
    const { windowId } = (await cdp.send('Browser.getWindowForTarget')) as { windowId: number }
    await cdp.send('Browser.setWindowBounds', { windowId, bounds })
  } finally {
    await cdp.detach()
  }
}

/** Where the page's content starts on the screen: the window's corner plus the browser's own bars above it (no window frame). */
export function contentOrigin(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => ({ x: window.screenX + (window.outerWidth - window.innerWidth) / 2, y: window.screenY + window.outerHeight - window.innerHeight }))
}
