// Child process of xScreen.ts: watches rectangles of an X screen for change.
// Reads JSON lines on stdin: {id, x, y, w, h, min, test, timeoutMs} grabs the
// rectangle (the baseline, answered {id, ready}), then grabs it every ~2 ms
// until at least `min` pixels pass `test` against it (screenPixels.ts: a
// visible change, or darkened as by ink), answering {id, t} (epoch ms, the
// midpoint between the last unchanged grab's answer and the changed grab's
// request) or {id, t: null} after `timeoutMs`; {cmd: 'grab', id, x, y, w, h}
// answers {id, data} (BGRX, base64). Its own process so its event loop
// waits on nobody else's work.
import { createInterface } from 'node:readline'
import { createClient } from 'x11'
import { changed, darkened, epochNow } from './screenPixels'

interface Rect {
  x: number
  y: number
  w: number
  h: number
}
type Job = Rect & { id: string; cmd?: 'grab'; min?: number; test?: 'changed' | 'darkened'; timeoutMs?: number }

const ZPIXMAP = 2

const send = (message: Record<string, unknown>): boolean => process.stdout.write(JSON.stringify(message) + '\n')

createClient((error, display) => {
  if (error) {
    console.error(`xScreenPoller: ${error.message}`)
    process.exit(1)
  }
  const root = display.screen[0]!.root
  const grab = (r: Rect): Promise<Buffer> =>
    new Promise((resolve, reject) => display.client.GetImage(ZPIXMAP, root, r.x, r.y, r.w, r.h, 0xffffffff, (e, image) => (e ? reject(e) : resolve(image.data))))
  // X gives BGRX; both tests treat the three channels alike, so the order does not matter.
  const count = (now: Buffer, was: Buffer, test: (now: Uint8Array, was: Uint8Array, i: number) => boolean): number => {
    let n = 0
    for (let i = 0; i < now.length; i += 4) if (test(now, was, i)) n++
    return n
  }
  const watch = async (job: Job): Promise<void> => {
    const base = await grab(job)
    send({ id: job.id, ready: true })
    const end = epochNow() + (job.timeoutMs ?? 5000)
    let lastAnswer = epochNow()
    while (epochNow() < end) {
      // Every ~2 ms rather than back to back: a busy loop would take a core from the browsers it measures.
      await new Promise((resolve) => setTimeout(resolve, 1))
      const asked = epochNow()
      const now = await grab(job)
      if (count(now, base, job.test === 'darkened' ? darkened : changed) >= (job.min ?? 1)) {
        send({ id: job.id, t: (lastAnswer + asked) / 2 })
        return
      }
      lastAnswer = epochNow()
    }
    send({ id: job.id, t: null })
  }
  let queue = Promise.resolve()
  createInterface({ input: process.stdin }).on('line', (line) => {
    const job = JSON.parse(line) as Job
    queue = queue.then(() => (job.cmd === 'grab' ? grab(job).then((data) => void send({ id: job.id, data: data.toString('base64') })) : watch(job)))
  })
  process.stdin.on('end', () => process.exit(0))
})
