import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import { afterEach, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { BatchingProvider } from '../../../src/renderer/whiteboard/sync/BatchingProvider'
import type { BatcherClock } from '../../../src/renderer/whiteboard/sync/UpdateBatcher'

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
})
