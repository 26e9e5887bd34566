import { markRaw, reactive } from 'vue'
import { MAX_CHAT_TEXT_CHARS, TYPING_REPEAT_MS, TYPING_SHOWN_MS } from '../../../shared/chat/limits'
import type { ChatDraft, ChatMessage, ChatQuote } from '../../../shared/chat/schema'
import type { ErrorCode } from '../../../shared/errors'
import { ApiRequestError } from '../../lesson/ApiRequestError'
import type { ChatFiles } from '../chatFiles'

/** Why a message did not go: a server code, or this app's own ('offline', 'no_answer'). */
export type ChatProblem = ErrorCode | 'network' | 'offline' | 'no_answer' | 'unexpected'

/** Refusals of the message itself (its file, its size) or of the person: sending the same again cannot help. */
const FINAL_PROBLEMS: ReadonlySet<ChatProblem> = new Set<ChatProblem>(['chat_file_unsupported', 'payload_too_large', 'bad_request', 'not_found', 'unauthorized', 'lesson_ended'])

/** Whether Try again is worth offering for a message that did not go. */
export function canRetry(problem: ChatProblem | undefined): boolean {
  return problem === undefined || !FINAL_PROBLEMS.has(problem)
}

/** A message on its way: shown greyed until the server's copy replaces it. */
export interface PendingMessage {
  clientId: string
  text: string
  fileName?: string
  quote?: ChatQuote
  /** Kept to try again after a refusal or a drop. */
  draft: ChatDraft | null
  file?: File
  status: 'uploading' | 'sending' | 'failed'
  problem?: ChatProblem
  retryAfterSeconds?: number
}

/** The server answers in milliseconds; after this the message is shown as not sent (with Try again). */
export const ACK_TIMEOUT_MS = 10_000

let clientCounter = 0
export const newClientId = (): string => `c${Date.now().toString(36)}${(clientCounter++).toString(36)}`

/** One conversation as a page shows it (reactive). */
export interface ConversationState {
  /** In seq order, as the server numbered them; never made deeply reactive (see setMessages). */
  messages: readonly ChatMessage[]
  pending: PendingMessage[]
  /** This person's read mark: the newest seq they have seen. */
  readSeq: number
  peerTyping: boolean
  /** The last refusal, shown above the composer until the next send. */
  problem: { code: ChatProblem; retryAfterSeconds?: number } | null
  /** An AI answer the person is about to ask the tutor about; sent with the next message. */
  quoteDraft: ChatQuote | null
}

/** How a conversation reaches the server: the lesson socket, or the threads socket with the thread's id. */
export interface ConversationWire {
  /** Sends this person's message; false when the socket is not open. */
  send(clientId: string, draft: ChatDraft): boolean
  /** Tells the other person this one started or stopped typing. */
  typing(typing: boolean): void
  /** Where this conversation's files go (null: nowhere to upload now). */
  files(): ChatFiles | null
}

/**
 * One conversation, the same in a lesson and between lessons: the server's
 * messages merged by seq, this person's messages on their way (pending until
 * the server's copy or a refusal answers, failed after ACK_TIMEOUT_MS, tried
 * again or dropped), files uploaded before their message goes, and "typing"
 * both ways. What differs (unread counts, sounds, read marks, notifications)
 * stays with the lesson's chat store and the threads store.
 */
export class Conversation<Extra extends object = object> {
  readonly state: ConversationState & Extra
  private readonly ackTimers = new Map<string, ReturnType<typeof setTimeout>>()
  private typingSentAt = 0
  private typingStop: ReturnType<typeof setTimeout> | null = null
  private typingHide: ReturnType<typeof setTimeout> | null = null

  /** `extra`: what the page keeps beside the conversation (a thread's "loaded"), reactive with it. */
  constructor(
    private readonly wire: ConversationWire,
    extra: Extra = {} as Extra,
  ) {
    const state: ConversationState = { messages: markRaw([]), pending: [], readSeq: 0, peerTyping: false, problem: null, quoteDraft: null }
    this.state = reactive({ ...state, ...extra }) as ConversationState & Extra
    // The store holding it may be reactive; the conversation's timers and wire are not state.
    markRaw(this)
  }

  /**
   * Messages are replaced, never changed in place, so the list is one
   * reactive property and its (possibly thousands of) messages stay plain
   * objects: no proxy per message on the path from the socket to the screen.
   */
  private setMessages(messages: readonly ChatMessage[]): void {
    this.state.messages = markRaw(messages as ChatMessage[])
  }

  /** History from the server: in place of what is here (`reset`), or merged with it. */
  history(messages: readonly ChatMessage[], reset: boolean): void {
    this.setMessages(reset ? [...messages] : mergeBySeq(this.state.messages, messages))
  }

  /** A message from the server; `clientId` when it is this person's own, answering their pending one. Whether it is new here. */
  receive(message: ChatMessage, clientId?: string): boolean {
    if (clientId) {
      this.state.pending = this.state.pending.filter((p) => p.clientId !== clientId)
      this.clearAck(clientId)
    }
    const before = this.state.messages.length
    this.setMessages(mergeBySeq(this.state.messages, [message]))
    return this.state.messages.length !== before
  }

  /** The server refused one of this person's messages. */
  refused(clientId: string, code: ErrorCode, retryAfterSeconds?: number): void {
    this.clearAck(clientId)
    const item = this.state.pending.find((p) => p.clientId === clientId)
    if (item) Object.assign(item, { status: 'failed', problem: code, retryAfterSeconds })
    this.state.problem = { code, retryAfterSeconds }
  }

  /** The other person started or stopped typing ("typing" goes by itself if they go quiet). */
  showTyping(typing: boolean): void {
    this.state.peerTyping = typing
    if (this.typingHide) clearTimeout(this.typingHide)
    this.typingHide = typing ? setTimeout(() => (this.state.peerTyping = false), TYPING_SHOWN_MS) : null
  }

  /** Sends a text message (Markdown with maths), with the quoted AI answer if one waits; false when there is nothing to send or it is too long. */
  send(text: string): boolean {
    const trimmed = text.trim()
    if (!trimmed || text.length > MAX_CHAT_TEXT_CHARS) return false
    const quote = this.state.quoteDraft ?? undefined
    this.state.problem = null
    this.state.quoteDraft = null
    this.stopTyping()
    const draft: ChatDraft = { kind: 'text', text: trimmed, ...(quote ? { quote } : {}) }
    this.state.pending.push({ clientId: newClientId(), text: draft.text, quote, draft, status: 'sending' })
    this.sendDraft(this.state.pending.at(-1)!)
    return true
  }

  /** Uploads a file, then sends it as a message (with an optional caption). */
  async sendFile(file: File, caption = ''): Promise<void> {
    this.state.problem = null
    this.state.pending.push({ clientId: newClientId(), text: caption.trim(), fileName: file.name, draft: null, file, status: 'uploading' })
    await this.upload(this.state.pending.at(-1)!)
  }

  /** Try again a message that did not go (if trying again can help). */
  retry(clientId: string): void {
    const item = this.state.pending.find((p) => p.clientId === clientId)
    if (!item || item.status !== 'failed' || !canRetry(item.problem)) return
    this.state.problem = null
    if (item.draft) this.sendDraft(item)
    else void this.upload(item)
  }

  /** Drops a message that did not go. */
  discard(clientId: string): void {
    this.state.pending = this.state.pending.filter((p) => p.clientId !== clientId)
    if (this.state.pending.every((p) => p.status !== 'failed')) this.state.problem = null
  }

  /** The composer changed: tell the other person this one is typing (at most every few seconds; stopped if they pause). */
  typing(hasText: boolean): void {
    if (!hasText) return this.stopTyping()
    const now = Date.now()
    if (now - this.typingSentAt < TYPING_REPEAT_MS) return
    this.typingSentAt = now
    this.wire.typing(true)
    if (this.typingStop) clearTimeout(this.typingStop)
    this.typingStop = setTimeout(() => this.stopTyping(), TYPING_SHOWN_MS - 1000)
  }

  stopTyping(): void {
    if (this.typingStop) clearTimeout(this.typingStop)
    this.typingStop = null
    if (this.typingSentAt === 0) return
    this.typingSentAt = 0
    this.wire.typing(false)
  }

  /** Stops every timer (the lesson left, the thread's socket signed out). */
  dispose(): void {
    for (const timer of this.ackTimers.values()) clearTimeout(timer)
    this.ackTimers.clear()
    for (const timer of [this.typingStop, this.typingHide]) if (timer) clearTimeout(timer)
    this.typingStop = this.typingHide = null
  }

  private sendDraft(item: PendingMessage): void {
    if (!item.draft) return
    item.status = 'sending'
    item.problem = undefined
    if (!this.wire.send(item.clientId, item.draft)) {
      this.failLocally(item, 'offline')
      return
    }
    const clientId = item.clientId
    this.ackTimers.set(
      clientId,
      setTimeout(() => {
        this.ackTimers.delete(clientId)
        const still = this.state.pending.find((p) => p.clientId === clientId)
        if (still?.status === 'sending') this.failLocally(still, 'no_answer')
      }, ACK_TIMEOUT_MS),
    )
  }

  private async upload(item: PendingMessage): Promise<void> {
    const files = this.wire.files()
    if (!files || !item.file) return
    item.status = 'uploading'
    item.problem = undefined
    try {
      const stored = await files.upload(item.file)
      item.draft = { kind: 'file', fileId: stored.id, text: item.text }
    } catch (error) {
      this.failLocally(item, error instanceof ApiRequestError ? error.code : 'unexpected')
      return
    }
    this.sendDraft(item)
  }

  private failLocally(item: PendingMessage, code: ChatProblem): void {
    item.status = 'failed'
    item.problem = code
    this.state.problem = { code }
  }

  private clearAck(clientId: string): void {
    const timer = this.ackTimers.get(clientId)
    if (timer) clearTimeout(timer)
    this.ackTimers.delete(clientId)
  }
}

/** Adds messages by seq, ignoring ones already there (a history after a live message, a repeated frame). */
export function mergeBySeq(kept: readonly ChatMessage[], added: readonly ChatMessage[]): ChatMessage[] {
  if (added.length === 0) return kept as ChatMessage[]
  const last = kept.at(-1)?.seq ?? 0
  // The common case: newer messages at the end.
  if (added.every((m, i) => m.seq > last && (i === 0 || m.seq > added[i - 1]!.seq))) return [...kept, ...added]
  const bySeq = new Map<number, ChatMessage>()
  for (const m of kept) bySeq.set(m.seq, m)
  for (const m of added) bySeq.set(m.seq, m)
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq)
}
