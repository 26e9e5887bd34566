import { HocuspocusProviderWebsocket, type HocuspocusProvider } from '@hocuspocus/provider'
import mitt from 'mitt'
import * as Y from 'yjs'
import { BOARD_PATH } from '../../../shared/board/limits'
import { BoardServerMessageSchema, parseStateless, type BoardClientMessage, type BoardRejectReason } from '../../../shared/board/schema'
import { BatchingProvider } from './BatchingProvider'

export type LinkState = 'connecting' | 'online' | 'offline' | 'denied'

type Events = {
  state: LinkState
  synced: void
  locked: boolean
  rejected: BoardRejectReason
}

/** ws(s)://host/board from the session server's http(s) origin. */
export function boardUrl(server: string): string {
  const url = new URL(BOARD_PATH, server)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.toString()
}

/**
 * One Hocuspocus connection for one Y.Doc: the lesson token as auth, the
 * server's board state (lock) and refusals as validated stateless messages.
 * Reconnects by itself (the provider backs off); local edits made meanwhile
 * are sent when it is back.
 */
export class BoardConnection {
  readonly doc = new Y.Doc()
  readonly provider: BatchingProvider
  readonly events = mitt<Events>()
  state: LinkState = 'connecting'
  locked = false
  synced = false
  private readonly socket: HocuspocusProviderWebsocket

  constructor(server: string, lessonId: string, token: string) {
    this.socket = new HocuspocusProviderWebsocket({ url: boardUrl(server), maxDelay: 5000, messageReconnectTimeout: 20_000 })
    this.provider = new BatchingProvider({
      websocketProvider: this.socket,
      name: lessonId,
      token,
      document: this.doc,
      onStatus: ({ status }) => {
        if (this.state === 'denied') return
        if (status === 'disconnected') this.synced = false
        this.setState(status === 'connected' ? (this.synced ? 'online' : 'connecting') : status === 'connecting' ? 'connecting' : 'offline')
      },
      onSynced: () => {
        this.synced = true
        this.setState('online')
        this.events.emit('synced')
      },
      onAuthenticationFailed: () => {
        this.setState('denied')
        this.socket.disconnect()
      },
      onStateless: ({ payload }) => {
        const msg = parseStateless(BoardServerMessageSchema, payload)
        if (msg?.type === 'board-state') {
          this.locked = msg.locked
          this.events.emit('locked', msg.locked)
        } else if (msg?.type === 'rejected') {
          this.events.emit('rejected', msg.reason)
        }
      },
    })
    this.provider.attach()
    // Closing the tab or hiding the window never waits out the send interval: the last ink goes now.
    globalThis.addEventListener?.('pagehide', this.sendNow)
    globalThis.document?.addEventListener('visibilitychange', this.sendNow)
  }

  /** Puts updates waiting for their send interval on the wire now (a new stroke, or the page going away). */
  readonly sendNow = (): void => this.provider.sendPending()

  private setState(state: LinkState): void {
    if (state === this.state) return
    this.state = state
    this.events.emit('state', state)
  }

  get awareness() {
    // The provider always creates one (we never pass awareness: null).
    return this.provider.awareness as NonNullable<HocuspocusProvider['awareness']>
  }

  get unsyncedChanges(): number {
    return this.provider.unsyncedChanges
  }

  send(msg: BoardClientMessage): void {
    this.provider.sendStateless(JSON.stringify(msg))
  }

  destroy(): void {
    globalThis.removeEventListener?.('pagehide', this.sendNow)
    globalThis.document?.removeEventListener('visibilitychange', this.sendNow)
    this.events.all.clear()
    this.provider.destroy()
    this.socket.destroy()
    this.doc.destroy()
  }
}
