import type { ChatMessage } from '../../shared/chat/schema'
import { MAX_WS_MESSAGE_BYTES } from '../../shared/lesson/signaling'
import type { ChatReader } from './conversations'
import type { ChatLog } from './store'

/** History frames stay well under the socket's frame limit (which the client enforces too). */
const HISTORY_FRAME_CHARS = MAX_WS_MESSAGE_BYTES - 8 * 1024

export interface HistoryFrame {
  type: 'chat-history'
  reset: boolean
  messages: ChatMessage[]
  unread: number
  readSeq: number
}

/** A conversation as `chat-history` frames for one reader, oldest first, each under the socket's frame limit (the first has `reset`). */
export function historyFrames(log: ChatLog, reader: ChatReader, unread: number): HistoryFrame[] {
  const readSeq = log.read[reader.key] ?? 0
  const frames: HistoryFrame[] = []
  let batch: ChatMessage[] = []
  let size = 0
  const flush = (): void => {
    frames.push({ type: 'chat-history', reset: frames.length === 0, messages: batch, unread, readSeq })
    batch = []
    size = 0
  }
  for (const message of log.messages) {
    const length = JSON.stringify(message).length
    if (batch.length > 0 && size + length > HISTORY_FRAME_CHARS) flush()
    batch.push(message)
    size += length + 1
  }
  // An empty conversation still answers (a thread opened before anyone wrote).
  if (batch.length > 0 || frames.length === 0) flush()
  return frames
}
