import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { BOARD_PATH } from '../../src/shared/board/limits'
import { BoardServerMessageSchema, parseStateless, type BoardServerMessage } from '../../src/shared/board/schema'
import type { ServerAddress } from './lessonApi'


/** Waits until `check` holds, polling; throws with `what` after the timeout. */
export async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export interface BoardClient {
  provider: HocuspocusProvider
  doc: Y.Doc
  messages: BoardServerMessage[]
  denied: string | null
  closed: boolean
  destroy(): void
}

/** A real HocuspocusProvider in Node, as the renderer uses it. */
export function boardClient(server: ServerAddress, lessonId: string, token: string, doc = new Y.Doc()): BoardClient {
  const client: BoardClient = {
    doc,
    messages: [],
    denied: null,
    closed: false,
    destroy: () => {
      provider.destroy()
      socket.destroy()
    },
    provider: null as unknown as HocuspocusProvider,
  }
  // Node 20 has no global WebSocket: hand the provider the ws package.
  const socket = new HocuspocusProviderWebsocket({ url: `ws://127.0.0.1:${server.port}${BOARD_PATH}`, WebSocketPolyfill: WebSocket })
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: lessonId,
    token,
    document: doc,
    onStateless: ({ payload }) => {
      const msg = parseStateless(BoardServerMessageSchema, payload)
      if (msg) client.messages.push(msg)
    },
    onAuthenticationFailed: ({ reason }) => (client.denied = reason),
    onClose: () => (client.closed = true),
  })
  provider.attach()
  client.provider = provider
  return client
}

export async function syncedClient(server: ServerAddress, lessonId: string, token: string, doc = new Y.Doc()): Promise<BoardClient> {
  const client = boardClient(server, lessonId, token, doc)
  await until(() => client.provider.isSynced || client.denied !== null, 'board sync')
  if (client.denied !== null) throw new Error(`denied: ${client.denied}`)
  return client
}

// ---- raw frames, for clients that do not play by the rules ---------------------------

function varUint(out: number[], n: number): void {
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
}

function varBytes(out: number[], bytes: Uint8Array): void {
  varUint(out, bytes.length)
  for (const b of bytes) out.push(b)
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

export function authFrame(doc: string, token: string): Uint8Array {
  const out: number[] = []
  varBytes(out, utf8(doc))
  varUint(out, 2) // Auth
  varUint(out, 0) // token
  varBytes(out, utf8(token))
  return Uint8Array.from(out)
}

export function updateFrame(doc: string, update: Uint8Array): Uint8Array {
  const head: number[] = []
  varBytes(head, utf8(doc))
  varUint(head, 0) // Sync
  varUint(head, 2) // update
  varUint(head, update.length)
  // Copied in one go: frames of several MiB are built here.
  const out = new Uint8Array(head.length + update.length)
  out.set(head)
  out.set(update, head.length)
  return out
}

export function frame(doc: string, type: number, payload: Uint8Array): Uint8Array {
  const out: number[] = []
  varBytes(out, utf8(doc))
  varUint(out, type)
  for (const b of payload) out.push(b)
  return Uint8Array.from(out)
}

/** A bare socket that authenticates and then sends whatever the test wants. */
export async function rawBoardSocket(server: ServerAddress, lessonId: string, token: string): Promise<{ ws: WebSocket; frames: Buffer[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${BOARD_PATH}`)
  const frames: Buffer[] = []
  ws.on('message', (data) => frames.push(data as Buffer))
  ws.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  ws.send(authFrame(lessonId, token))
  await until(() => frames.length > 0, 'auth answer')
  return { ws, frames }
}
