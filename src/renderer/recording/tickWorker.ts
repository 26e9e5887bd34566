// A clock in a dedicated worker: timers here are not throttled when the tab
// is hidden (the page's own setInterval drops to once a second there, and
// requestAnimationFrame stops), so the recording keeps its frame rate.
// How ticks are paced against a busy page: see TickPacer.
import { TickPacer } from './tickPacer'

const pacer = new TickPacer((due) => postMessage(due))

onmessage = (event: MessageEvent<{ intervalMs: number } | 'done' | null>) => {
  if (event.data === 'done') pacer.done()
  else if (event.data) pacer.start(event.data.intervalMs)
  else pacer.stop()
}
