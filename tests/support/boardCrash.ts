import { existsSync } from 'node:fs'
import path from 'node:path'
import * as Y from 'yjs'
import { pageIds, readPage, STROKE_KEY } from '../../src/shared/board/layout'
import { ensureFirstPage } from '../../src/shared/board/pageOps'
import { quantize } from '../../src/shared/board/points'
import { appendPoints, beginFreehand, finishStroke } from '../../src/shared/board/strokeOps'
import { syncedClient, until, type BoardClient } from './boardClient'
import { createLesson, joinLesson } from './lessonApi'
import type { RestartableServer } from './restartableServer'

/** Per stroke: finished (packed points) or, while drawn, how many live point values it has. */
type StrokeView = Map<string, { finished: boolean; live: number }>

function strokesOf(doc: Y.Doc): StrokeView {
  const out: StrokeView = new Map()
  for (const id of pageIds(doc)) {
    readPage(doc, id)?.strokes.forEach((map, strokeId) => {
      const live = map.get(STROKE_KEY.live)
      out.set(strokeId, { finished: map.get(STROKE_KEY.packed) instanceof Uint8Array, live: live instanceof Y.Array ? live.length : 0 })
    })
  }
  return out
}

/** Strokes of `seen` that `now` lacks, or holds with less of it drawn. */
function missing(seen: StrokeView, now: StrokeView): number {
  let n = 0
  for (const [id, was] of seen) {
    const is = now.get(id)
    if (!is || (was.finished && !is.finished) || (!is.finished && is.live < was.live)) n++
  }
  return n
}

/** True when `doc` holds every item `seen` held (state vectors: each client's clock at least as far). */
function holdsAll(seenVector: Map<number, number>, doc: Y.Doc): boolean {
  const vector = Y.decodeStateVector(Y.encodeStateVector(doc))
  return [...seenVector].every(([client, clock]) => (vector.get(client) ?? 0) >= clock)
}

export interface KillResult {
  /** Strokes the watcher had seen (whole or in part) when the server was killed. */
  seen: number
  /** Of those, strokes a fresh client misses after the restart (absent, or less of it there than was seen). */
  missed: number
  /** The fresh client holds every Yjs item the watcher held. */
  holdsAll: boolean
  /** The server had saved (compacted) the board before it was killed; the rest came from its update log. */
  savedBeforeKill: boolean
}

/**
 * The board on a server that is killed mid-drawing: a tutor draws without
 * pause (a stroke of six 16 ms frames, a 30 ms gap, again), the student's
 * client watches; the moment the watcher holds `strokes` strokes the server
 * gets SIGKILL (from inside the watcher's update handler: nothing more
 * arrives after what it saw), both clients go away, the server starts again
 * on the same data folder, and a fresh client compares what it gets with
 * what the watcher saw. With `pauseAfter`, the tutor stops for `pauseMs`
 * after that many strokes (long enough for the server to save the board),
 * so the kill falls after a save, with strokes both in it and after it.
 */
export async function killWhileDrawing(server: RestartableServer, strokes: number, pause?: { after: number; ms: number }): Promise<KillResult> {
  const lesson = await createLesson(server)
  const join = await joinLesson(server, lesson.inviteCode)
  const drawer = await syncedClient(server, lesson.lessonId, lesson.tutorToken)
  const clients: BoardClient[] = [drawer]
  let drawing = true
  try {
    const watcher = await syncedClient(server, lesson.lessonId, join.studentToken)
    clients.push(watcher)
    ensureFirstPage(drawer.doc, 'tutor')
    await until(() => pageIds(watcher.doc).length === 1, 'the first page on the watcher')
    const page = pageIds(drawer.doc)[0] as string

    // What the watcher held at the kill (a holder object: TypeScript does not follow assignments in callbacks).
    const at: { killed: Promise<void> | null; strokes: StrokeView; vector: Map<number, number> } = { killed: null, strokes: new Map(), vector: new Map() }
    watcher.doc.on('update', () => {
      if (at.killed || strokesOf(watcher.doc).size < strokes) return
      at.killed = server.crash()
      at.strokes = strokesOf(watcher.doc)
      at.vector = Y.decodeStateVector(Y.encodeStateVector(watcher.doc))
    })

    const frame = () => new Promise((resolve) => setTimeout(resolve, 16))
    const pen = async (): Promise<void> => {
      for (let n = 0; drawing; n++) {
        const x = 40 + (n % 20) * 70
        const y = 40 + Math.floor(n / 20) * 60
        const id = beginFreehand(drawer.doc, 'tutor', page, { t: 'pen', c: '#1e1e1e', w: 3, by: 'tutor', z: n + 1 }, quantize(x, y, 0.5))
        if (!id) throw new Error('stroke not started')
        for (let f = 1; f <= 6 && drawing; f++) {
          await frame()
          appendPoints(drawer.doc, 'tutor', page, id, [...quantize(x + f * 6, y + f * 3, 0.5), ...quantize(x + f * 6 + 3, y + f * 4, 0.5)])
        }
        finishStroke(drawer.doc, 'tutor', page, id)
        await new Promise((resolve) => setTimeout(resolve, n + 1 === pause?.after ? pause.ms : 30))
      }
    }
    const penDone = pen()
    await until(() => at.killed !== null, `${strokes} strokes on the watcher`, 120_000)
    drawing = false
    for (const c of clients) c.destroy()
    await penDone
    await at.killed
    const savedBeforeKill = existsSync(path.join(server.dataDir, 'boards', lesson.lessonId, 'board.ydoc'))

    await server.start()
    const fresh = await syncedClient(server, lesson.lessonId, lesson.tutorToken)
    clients.push(fresh)
    return { seen: at.strokes.size, missed: missing(at.strokes, strokesOf(fresh.doc)), holdsAll: holdsAll(at.vector, fresh.doc), savedBeforeKill }
  } finally {
    drawing = false
    for (const c of clients) c.destroy()
  }
}
