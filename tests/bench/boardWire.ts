import { createConnection, type NetConnectOpts, type Socket } from 'node:net'
import { HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { BatchingProvider } from '../../src/renderer/board/sync/BatchingProvider'
import type { BatcherClock } from '../../src/renderer/board/sync/UpdateBatcher'
import { readPage, STROKE_KEY } from '../../src/shared/board/layout'
import { BOARD_PATH } from '../../src/shared/board/limits'
import { addEmptyPage, drawLikeTheApp } from './boardFixtures'
import { WAIT_MS } from './lessonPair'

export interface LessonPassLike {
  lessonId: string
  token: string
}

/** A board client in Node, as a browser connects (offering permessage-deflate on every message), its TCP bytes counted. */
export interface NodeBoardClient {
  doc: Y.Doc
  provider: BatchingProvider
  /** Bytes this client's TCP connection has sent and received so far (WebSocket frames, as sent). */
  bytes(): { sent: number; received: number }
  close(): void
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(what: string, ok: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

/** Connects like the app (its provider, sending through its batcher on `clock`). */
export async function connectNodeBoard(origin: string, pass: LessonPassLike, clock?: BatcherClock): Promise<NodeBoardClient> {
  const sockets: Socket[] = []
  // Chromium offers permessage-deflate and would compress every message; the server declines it (see the board service).
  class CountingWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, {
        perMessageDeflate: { threshold: 0 },
        // ws calls it with connect options only; keep the socket to read its byte counters.
        createConnection: ((opts: NetConnectOpts) => {
          const socket = createConnection(opts)
          sockets.push(socket)
          return socket
        }) as typeof createConnection,
      })
    }
  }
  const socket = new HocuspocusProviderWebsocket({ url: `${origin.replace(/^http/, 'ws')}${BOARD_PATH}`, WebSocketPolyfill: CountingWebSocket })
  const doc = new Y.Doc()
  const provider = new BatchingProvider({ websocketProvider: socket, name: pass.lessonId, token: pass.token, document: doc }, clock)
  provider.attach()
  const close = (): void => {
    provider.destroy()
    socket.destroy()
  }
  try {
    await until('the board to sync', () => provider.isSynced)
  } catch (err) {
    close()
    throw err
  }
  return {
    doc,
    provider,
    bytes: () => ({ sent: sockets.reduce((n, s) => n + s.bytesWritten, 0), received: sockets.reduce((n, s) => n + s.bytesRead, 0) }),
    close,
  }
}

/**
 * A clock the benchmark moves by hand: drawing 1,000 strokes at the pen's
 * real pace would take five minutes, but what goes on the wire depends only
 * on how the updates fall in time, not on waiting for it.
 */
class SteppedClock implements BatcherClock {
  private t = 0
  private timers: { at: number; fn: () => void }[] = []
  now = (): number => this.t
  later = (fn: () => void, ms: number): (() => void) => {
    const timer = { at: this.t + ms, fn }
    this.timers.push(timer)
    return () => (this.timers = this.timers.filter((x) => x !== timer))
  }
  advance(ms: number): void {
    const end = this.t + ms
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0]
      if (!due) break
      this.timers = this.timers.filter((x) => x !== due)
      this.t = due.at
      due.fn()
    }
    this.t = end
  }
}

/**
 * Bytes on the wire for 1,000 strokes: one Node client draws them on a new
 * page exactly as the app sends them (an update per frame of points, through
 * the app's provider and batcher, paced by a stepped 60 Hz clock), another
 * watches; counted are the TCP bytes the drawer sends and the watcher
 * receives, from the first stroke until the watcher holds all of them
 * finished. Same server, protocol and compression as the app.
 */
export async function wireBytesPer1kStrokes(origin: string, pass: LessonPassLike, seed: number): Promise<{ sent: number; received: number }> {
  const clock = new SteppedClock()
  const drawer = await connectNodeBoard(origin, pass, clock)
  const watcher = await connectNodeBoard(origin, pass)
  try {
    const page = addEmptyPage(drawer.doc)
    await until('the new page to reach the watcher', () => readPage(watcher.doc, page) !== null)
    await sleep(200)
    const sent0 = drawer.bytes().sent
    const received0 = watcher.bytes().received
    // In rounds of 100 strokes, so the socket never holds more than a moment's drawing.
    for (let round = 0; round < 10; round++) {
      drawLikeTheApp(drawer.doc, 'bench', page, 100, seed * 100 + round, (ms) => clock.advance(ms))
      await until('the drawer to be acknowledged', () => drawer.provider.unsyncedChanges === 0)
    }
    const finished = (): number => {
      let n = 0
      readPage(watcher.doc, page)?.strokes.forEach((map) => {
        if (map.get(STROKE_KEY.packed) instanceof Uint8Array) n++
      })
      return n
    }
    await until('the watcher to hold all 1,000 strokes', () => finished() >= 1000)
    return { sent: drawer.bytes().sent - sent0, received: watcher.bytes().received - received0 }
  } finally {
    drawer.close()
    watcher.close()
  }
}
