import { createHash, randomUUID } from 'node:crypto'
import { cleanFileName, type ChatFile } from '../../shared/chat/files'
import { CHAT_MESSAGES_PER_MINUTE, MAX_CHAT_CONVERSATION_FILE_BYTES, MAX_CHAT_MESSAGES } from '../../shared/chat/limits'
import type { ChatDraft, ChatMessage } from '../../shared/chat/schema'
import type { Participant } from '../../shared/lesson/lesson'
import { HttpError } from '../http/respond'
import { RateLimiter } from '../http/rateLimit'
import type { Logger } from '../logger'
import { sniffChatFile } from './sniff'
import type { ChatLog, ChatStore } from './store'

const READ_SAVE_DELAY_MS = 1000

/** Who reads a conversation: the key of their read mark, and which messages are their own. */
export interface ChatReader {
  key: string
  isOwn(message: ChatMessage): boolean
}

export interface ChatConversationsOptions {
  store: ChatStore
  now: () => number
  logger: Logger
  messagesPerMinute?: number
}

/**
 * The server's authority over conversations, whatever carries them: it
 * numbers, checks, rate-limits and stores each message before anyone hears of
 * it, keeps read marks and counts what a reader has not seen. Refusals are
 * HttpErrors with the shared error codes; the lesson socket turns them into
 * `chat-refused`. Logs are loaded once and kept in memory.
 */
export class ChatConversations {
  private readonly logs = new Map<string, Promise<ChatLog>>()
  private readonly limiter: RateLimiter
  /** Read marks waiting to be stored (one write per conversation per second, not one per message read). */
  private readonly unsavedReads = new Map<string, NodeJS.Timeout>()

  constructor(private readonly opts: ChatConversationsOptions) {
    this.limiter = new RateLimiter({ perMinute: opts.messagesPerMinute ?? CHAT_MESSAGES_PER_MINUTE, now: opts.now })
  }

  /** The conversation as stored (loaded on first use, then kept). */
  log(conversation: string): Promise<ChatLog> {
    let log = this.logs.get(conversation)
    if (!log) {
      log = this.opts.store.load(conversation)
      this.logs.set(conversation, log)
      // A failed load is not cached: the next try reads again.
      log.catch(() => this.logs.delete(conversation))
    }
    return log
  }

  /** Checks, numbers and stores one message; returns it once it is stored. */
  async post(conversation: string, from: Participant, draft: ChatDraft): Promise<ChatMessage> {
    const verdict = this.limiter.take(`${conversation}:${from.id}`)
    if (!verdict.ok) {
      throw new HttpError(429, 'rate_limited', `Too many messages; wait ${verdict.retryAfterSeconds} s`, { retryAfterSeconds: verdict.retryAfterSeconds })
    }
    const log = await this.log(conversation)
    if (log.messages.length >= MAX_CHAT_MESSAGES) throw new HttpError(409, 'payload_too_large', `A conversation keeps at most ${MAX_CHAT_MESSAGES} messages`)
    let file: ChatFile | undefined
    if (draft.kind === 'file') {
      file = (await this.opts.store.files(conversation)).find((f) => f.id === draft.fileId)
      if (!file) throw new HttpError(404, 'not_found', 'No such file in this conversation; upload it first')
    }
    const text = draft.text.trim()
    const message: ChatMessage = {
      id: randomUUID(),
      seq: (log.messages.at(-1)?.seq ?? 0) + 1,
      at: Math.round(this.opts.now()),
      from: { id: from.id, name: from.name, role: from.role },
      text,
      ...(file ? { file } : {}),
      ...(draft.kind === 'text' && draft.quote ? { quote: draft.quote } : {}),
    }
    // Numbered and kept before the disk write, so two people sending at once get distinct, ordered seqs.
    log.messages.push(message)
    try {
      await this.opts.store.append(conversation, message)
    } catch (error) {
      log.messages.splice(log.messages.indexOf(message), 1)
      this.opts.logger.error('Could not store a chat message', { conversation, error: String(error) })
      throw new HttpError(500, 'internal', 'The message could not be stored')
    }
    return message
  }

  /** Messages by others after the reader's read mark. */
  unread(log: ChatLog, reader: ChatReader): number {
    const seen = log.read[reader.key] ?? 0
    let count = 0
    for (const message of log.messages) if (message.seq > seen && !reader.isOwn(message)) count += 1
    return count
  }

  /**
   * The reader has seen everything up to `seq` (never moves back, never past
   * the last message). Returns the mark and what is still unread when the mark
   * moved, null when it did not.
   */
  async markRead(conversation: string, reader: ChatReader, seq: number): Promise<{ readSeq: number; unread: number } | null> {
    const log = await this.log(conversation)
    const upTo = Math.min(seq, log.messages.at(-1)?.seq ?? 0)
    if (upTo <= (log.read[reader.key] ?? 0)) return null
    log.read[reader.key] = upTo
    if (!this.unsavedReads.has(conversation)) {
      const timer = setTimeout(() => void this.saveReads(conversation), READ_SAVE_DELAY_MS)
      timer.unref()
      this.unsavedReads.set(conversation, timer)
    }
    return { readSeq: upTo, unread: this.unread(log, reader) }
  }

  private async saveReads(conversation: string): Promise<void> {
    const timer = this.unsavedReads.get(conversation)
    if (timer) clearTimeout(timer)
    this.unsavedReads.delete(conversation)
    const log = await this.logs.get(conversation)?.catch(() => null)
    if (!log) return
    try {
      await this.opts.store.markRead(conversation, log.read)
    } catch (error) {
      this.opts.logger.error('Could not store a chat read mark', { conversation, error: String(error) })
    }
  }

  /** Server shutdown: read marks still waiting are stored, files closed. */
  async close(): Promise<void> {
    await Promise.all([...this.unsavedReads.keys()].map((c) => this.saveReads(c)))
    this.opts.store.close()
  }

  /** Stores a file for this conversation if it is a kind a chat may carry and fits; returns what messages refer to. */
  async addFile(conversation: string, rawName: string, bytes: Uint8Array): Promise<ChatFile> {
    const sniffed = await sniffChatFile(bytes)
    if (!sniffed) throw new HttpError(415, 'chat_file_unsupported', 'Only pictures, PDFs and office documents can be sent')
    const id = createHash('sha256').update(bytes).digest('hex')
    const files = await this.opts.store.files(conversation)
    const kept = files.find((f) => f.id === id)
    if (kept) return kept
    const total = files.reduce((sum, f) => sum + f.bytes, 0)
    if (total + bytes.length > MAX_CHAT_CONVERSATION_FILE_BYTES) {
      throw new HttpError(413, 'payload_too_large', `A conversation holds at most ${MAX_CHAT_CONVERSATION_FILE_BYTES} bytes of files`)
    }
    const file: ChatFile = { id, name: cleanFileName(rawName), mime: sniffed.mime, kind: sniffed.kind, bytes: bytes.length }
    await this.opts.store.putFile(conversation, file, bytes)
    return file
  }

  getFile(conversation: string, id: string): ReturnType<ChatStore['getFile']> {
    return this.opts.store.getFile(conversation, id)
  }

  /** Drops a conversation from memory and storage (its lesson is gone). */
  async remove(conversation: string): Promise<void> {
    const timer = this.unsavedReads.get(conversation)
    if (timer) clearTimeout(timer)
    this.unsavedReads.delete(conversation)
    this.logs.delete(conversation)
    await this.opts.store.remove(conversation)
  }

  conversationIds(): Promise<string[]> {
    return this.opts.store.conversations()
  }
}
