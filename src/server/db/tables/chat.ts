import type { ChatFileKind, ChatFileMime } from '../../../shared/chat/files'
import type { ChatMessage } from '../../../shared/chat/schema'
import type { Json } from '../json'

/**
 * Conversations of the chat (006): a lesson's chat, named by the lesson id,
 * or a thread between a student and their tutor (`thread-<studentId>`).
 * A message is kept whole as JSON (checked again when read back); seq and at
 * are columns for order and for counting.
 */
export interface ChatMessagesTable {
  conversation: string
  seq: number
  id: string
  at: number
  message: Json<ChatMessage>
}

/** How far each reader of a conversation has read (a seat in a lesson, a person in a thread). */
export interface ChatReadsTable {
  conversation: string
  reader: string
  seq: number
}

/** A file of a conversation, by the SHA-256 of its bytes. */
export interface ChatFilesTable {
  conversation: string
  id: string
  name: string
  mime: ChatFileMime
  kind: ChatFileKind
  bytes: number
  data: Uint8Array
}
