import * as Y from 'yjs'
import { BOARD_ROOT_NAMES, ROOT } from '../../shared/board/layout'
import { MAX_AWARENESS_BYTES, MAX_FRAME_BYTES, MAX_UPDATE_BYTES, SERVER_MAX_PAGES } from '../../shared/board/limits'
import type { BoardRejectReason } from '../../shared/board/schema'

/**
 * Checks one incoming Hocuspocus message before it is applied. Yjs would
 * happily apply an update that creates junk root types, thousands of pages,
 * or one that is half valid (structs first, then a corrupt delete set), so
 * every update is decoded in full here first.
 */

/** Hocuspocus message types (see @hocuspocus/server types.ts). */
const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3, SyncReply: 4, Stateless: 5, BroadcastStateless: 6, Close: 7, SyncStatus: 8 } as const
const SyncType = { Step1: 0, Step2: 1, Update: 2 } as const

/** `update`: the Yjs update this message will apply, null when it applies none. */
export type Verdict = { ok: true; update: Uint8Array | null } | { ok: false; reason: BoardRejectReason; detail: string }

const NOTHING: Verdict = { ok: true, update: null }

const refuse = (reason: BoardRejectReason, detail: string): Verdict => ({ ok: false, reason, detail })

/** Minimal lib0-compatible reader for the message envelope. */
class Reader {
  pos = 0
  constructor(readonly bytes: Uint8Array) {}

  varUint(): number {
    let result = 0
    for (let shift = 0; shift < 53; shift += 7) {
      if (this.pos >= this.bytes.length) throw new Error('unexpected end of message')
      const b = this.bytes[this.pos++] as number
      result += (b & 0x7f) * 2 ** shift
      if (b < 0x80) return result
    }
    throw new Error('varint too long')
  }

  varBytes(): Uint8Array {
    const len = this.varUint()
    if (this.pos + len > this.bytes.length) throw new Error('length past end of message')
    const out = this.bytes.subarray(this.pos, this.pos + len)
    this.pos += len
    return out
  }
}

/** Decodes an update completely and checks it against the board's shape and page limit. */
export function checkUpdate(update: Uint8Array, doc: Y.Doc): Verdict {
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    decoded = Y.decodeUpdate(update)
  } catch (err) {
    return refuse('bad_update', `undecodable update: ${err instanceof Error ? err.message : String(err)}`)
  }
  const pages = doc.getMap(ROOT.pages)
  const newPages = new Set<string>()
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue
    const parent: unknown = struct.parent
    if (typeof parent === 'string' && !BOARD_ROOT_NAMES.includes(parent)) return refuse('bad_update', `unknown root type "${parent.slice(0, 40)}"`)
    if (parent === ROOT.pages && struct.parentSub !== null && struct.content instanceof Y.ContentType && !pages.has(struct.parentSub)) {
      newPages.add(struct.parentSub)
    }
  }
  if (pages.size + newPages.size > SERVER_MAX_PAGES) return refuse('too_many_pages', `would hold ${pages.size + newPages.size} pages`)
  // A client already in sync answers the server's sync step with an empty update.
  if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return NOTHING
  return { ok: true, update }
}

/** The verdict on one raw Hocuspocus frame from a client. */
export function inspectMessage(data: Uint8Array, doc: Y.Doc, readOnly: boolean): Verdict {
  if (data.length > MAX_FRAME_BYTES) return refuse('too_large', `message of ${data.length} bytes`)
  try {
    const r = new Reader(data)
    r.varBytes() // document name; Hocuspocus routes by it
    const type = r.varUint()
    switch (type) {
      case MessageType.Sync:
      case MessageType.SyncReply: {
        const sync = r.varUint()
        if (sync === SyncType.Step1) return NOTHING
        if (sync !== SyncType.Step2 && sync !== SyncType.Update) return refuse('bad_update', `unknown sync message ${sync}`)
        const update = r.varBytes()
        // Hocuspocus answers a read-only connection's update with "not applied" and drops it.
        if (readOnly) return NOTHING
        if (update.length > MAX_UPDATE_BYTES) return refuse('too_large', `update of ${update.length} bytes`)
        return checkUpdate(update, doc)
      }
      case MessageType.Awareness:
        return data.length > MAX_AWARENESS_BYTES ? refuse('too_large', `awareness of ${data.length} bytes`) : NOTHING
      case MessageType.Stateless:
        return data.length > 8192 ? refuse('too_large', `stateless of ${data.length} bytes`) : NOTHING
      case MessageType.BroadcastStateless:
        // Would reach the other person as if the server said it.
        return refuse('forbidden', 'clients may not broadcast')
      case MessageType.Auth:
      case MessageType.QueryAwareness:
      case MessageType.Close:
      case MessageType.SyncStatus:
        return NOTHING
      default:
        return refuse('bad_update', `unknown message type ${type}`)
    }
  } catch (err) {
    return refuse('bad_update', err instanceof Error ? err.message : String(err))
  }
}
