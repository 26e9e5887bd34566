/** Calls `onTick` every `intervalMs`, from a Worker when it can (background tabs keep the pace). */
export interface Ticker {
  start(intervalMs: number, onTick: () => void): void
  stop(): void
}

export function createTicker(): Ticker {
  let worker: Worker | null = null
  let fallback: ReturnType<typeof setInterval> | null = null
  return {
    start(intervalMs, onTick) {
      this.stop()
      try {
        worker = new Worker(new URL('./tickWorker.ts', import.meta.url), { type: 'module' })
        const w = worker
        w.onmessage = () => {
          try {
            onTick()
          } finally {
            w.postMessage('done')
          }
        }
        worker.postMessage({ intervalMs })
      } catch {
        // No workers (or refused by policy): a page timer still records while the tab is visible.
        worker = null
        fallback = setInterval(onTick, intervalMs)
      }
    },
    stop() {
      worker?.postMessage(null)
      worker?.terminate()
      worker = null
      if (fallback !== null) clearInterval(fallback)
      fallback = null
    },
  }
}
