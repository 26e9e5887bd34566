// A clock in a dedicated worker: timers here are not throttled when the tab
// is hidden (the page's own setInterval drops to once a second there, and
// requestAnimationFrame stops), so the recording keeps its frame rate.
// A tick is only sent once the page has finished the previous one: a busy
// page skips frames instead of piling up ticks it can never catch up with.
let timer: ReturnType<typeof setTimeout> | null = null
let waiting = false

function schedule(intervalMs: number, due: number): void {
  timer = setTimeout(() => {
    if (!waiting) {
      waiting = true
      postMessage(due)
    }
    // Aim at the ideal time of the next tick so small delays do not add up.
    const next = due + intervalMs
    schedule(intervalMs, next < performance.now() ? performance.now() + intervalMs : next)
  }, Math.max(0, due - performance.now()))
}

onmessage = (event: MessageEvent<{ intervalMs: number } | 'done' | null>) => {
  if (event.data === 'done') {
    waiting = false
    return
  }
  if (timer !== null) clearTimeout(timer)
  timer = null
  waiting = false
  if (event.data) schedule(event.data.intervalMs, performance.now() + event.data.intervalMs)
}
