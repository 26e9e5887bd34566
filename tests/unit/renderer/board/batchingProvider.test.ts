import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import { afterEach, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { readPage, pageIds } from '../../../../src/shared/board/layout'
import { ensureFirstPage } from '../../../../src/shared/board/pageOps'
import { BoardUndo } from '../../../../src/shared/board/undo'
import { PageScene } from '../../../../src/renderer/board/scene/PageScene'
import { Viewport } from '../../../../src/renderer/board/render/Viewport'
import { FreehandTool } from '../../../../src/renderer/board/tools/FreehandTool'
import type { ToolHost } from '../../../../src/renderer/board/tools/types'
import { BatchingProvider } from '../../../../src/renderer/board/sync/BatchingProvider'
import type { BatcherClock } from '../../../../src/renderer/board/sync/UpdateBatcher'

/** A clock that only moves when told; scheduled sends never fire on their own. */
function frozenClock(): BatcherClock {
  return { now: () => 1000, later: () => () => {} }
}

describe('BatchingProvider', () => {
  afterEach(() => vi.restoreAllMocks())

  it('sends held updates at once when the page goes away (sendPending), so the last ink is not left waiting', () => {
    const handed = vi.spyOn(HocuspocusProvider.prototype, 'documentUpdateHandler').mockImplementation(() => {})
    const socket = new HocuspocusProviderWebsocket({ url: 'ws://127.0.0.1:9', autoConnect: false, WebSocketPolyfill: WebSocket })
    const doc = new Y.Doc()
    const provider = new BatchingProvider({ websocketProvider: socket, name: 'lesson', token: 't', document: doc }, frozenClock())
    const ink = doc.getArray<number>('ink')

    ink.push([1]) // pen-down after a quiet spell goes at once
    ink.push([2]) // within the interval: held
    ink.push([3])
    expect(handed).toHaveBeenCalledTimes(1)
    expect(provider.unsyncedChanges).toBeGreaterThan(0)

    provider.sendPending()
    expect(handed).toHaveBeenCalledTimes(2)
    // The merged update carries both held points.
    const other = new Y.Doc()
    for (const [update] of handed.mock.calls) Y.applyUpdate(other, update)
    expect(other.getArray<number>('ink').toArray()).toEqual([1, 2, 3])

    provider.sendPending() // nothing left: nothing more is sent
    expect(handed).toHaveBeenCalledTimes(2)
    provider.destroy()
    socket.destroy()
  })

  it('a new stroke goes on the wire at pen-down even right after the last one (handwriting does not wait out the interval)', () => {
    const handed = vi.spyOn(HocuspocusProvider.prototype, 'documentUpdateHandler').mockImplementation(() => {})
    const socket = new HocuspocusProviderWebsocket({ url: 'ws://127.0.0.1:9', autoConnect: false, WebSocketPolyfill: WebSocket })
    const doc = new Y.Doc()
    const origin = { person: 'tutor' }
    ensureFirstPage(doc, origin)
    // The page existed before the provider (as if synced earlier); only what follows goes through it.
    const before = Y.encodeStateAsUpdate(doc)
    const provider = new BatchingProvider({ websocketProvider: socket, name: 'lesson', token: 't', document: doc }, frozenClock())
    const pageId = pageIds(doc)[0] as string
    const host: ToolHost = {
      doc,
      origin,
      undo: new BoardUndo(doc, origin),
      selfId: 'tutor',
      pageId,
      scene: new PageScene(readPage(doc, pageId)!),
      viewport: new Viewport(),
      style: () => ({ color: '#000', width: 2 }),
      requestFrame: () => {},
      sendNow: () => provider.sendPending(),
      editText: () => {},
      setLaser: () => {},
    }
    const pen = new FreehandTool(host, 'pen')
    const strokesOnTheWire = (): number => {
      const seen = new Y.Doc()
      Y.applyUpdate(seen, before)
      for (const [update] of handed.mock.calls) Y.applyUpdate(seen, update)
      return readPage(seen, pageId)?.strokes.size ?? 0
    }

    pen.down({ x: 10, y: 10, pressure: 0.5 })
    pen.up()
    expect(strokesOnTheWire()).toBe(1)
    // The clock has not moved: a plain update now would be held for the interval, but a pen-down is not.
    pen.down({ x: 40, y: 10, pressure: 0.5 })
    expect(strokesOnTheWire()).toBe(2)
    expect(provider.unsyncedChanges).toBe(0)
    provider.destroy()
    socket.destroy()
  })
})
