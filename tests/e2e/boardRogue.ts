import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { pageIds, readPage } from '../../src/shared/board/layout'
import { BOARD_PATH } from '../../src/shared/board/limits'
import { addPages } from '../../src/shared/board/pageOps'
import { quantize } from '../../src/shared/board/points'
import { beginFreehand, finishStroke } from '../../src/shared/board/strokeOps'
import { authFrame, updateFrame } from '../support/boardClient'
import type { StoredPass } from './boardSteps'

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

function wsUrl(server: string): string {
  return `${server.replace(/^http/, 'ws')}${BOARD_PATH}`
}

/**
 * What a modified client could do with a view-only student's real token:
 * edit through a normal provider, and push a hand-made update on a bare
 * socket. Returns the scope the server granted.
 */
export async function studentEditsDirectly(pass: StoredPass): Promise<string | undefined> {
  const socket = new HocuspocusProviderWebsocket({ url: wsUrl(pass.server), WebSocketPolyfill: WebSocket })
  const doc = new Y.Doc()
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: pass.lessonId, token: pass.token, document: doc })
  provider.attach()
  try {
    await until(() => provider.isSynced, 'rogue provider sync')
    const [page] = pageIds(doc)
    if (!page) throw new Error('board has no page')
    const id = beginFreehand(doc, 'rogue', page, { t: 'pen', c: '#ff0000', w: 40, by: 'rogue', z: 99 }, [...quantize(10, 10, 1), ...quantize(1500, 900, 1)])
    if (id) finishStroke(doc, 'rogue', page, id)
    addPages(doc, 'rogue', [{ bg: { kind: 'grid' } }])

    const raw = new WebSocket(wsUrl(pass.server))
    await new Promise<void>((resolve, reject) => {
      raw.once('open', () => resolve())
      raw.once('error', reject)
    })
    raw.send(authFrame(pass.lessonId, pass.token))
    await new Promise((r) => setTimeout(r, 300))
    raw.send(updateFrame(pass.lessonId, Y.encodeStateAsUpdate(doc)))
    await new Promise((r) => setTimeout(r, 700))
    raw.close()
    return provider.authorizedScope
  } finally {
    provider.destroy()
    socket.destroy()
  }
}

/** What the server holds for a lesson's board, read by a fresh client: page count and strokes per page. */
export async function boardSnapshot(pass: StoredPass): Promise<{ pages: number; strokes: number[] }> {
  const socket = new HocuspocusProviderWebsocket({ url: wsUrl(pass.server), WebSocketPolyfill: WebSocket })
  const doc = new Y.Doc()
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: pass.lessonId, token: pass.token, document: doc })
  provider.attach()
  try {
    await until(() => provider.isSynced, 'snapshot sync')
    const ids = pageIds(doc)
    return { pages: ids.length, strokes: ids.map((id) => readPage(doc, id)?.strokes.size ?? 0) }
  } finally {
    provider.destroy()
    socket.destroy()
  }
}
