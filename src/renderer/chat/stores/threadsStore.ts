import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef } from 'vue'
import type { ChatFile } from '../../../shared/chat/files'
import { MAX_CHAT_QUOTE_CHARS, MAX_CHAT_TEXT_CHARS, TYPING_REPEAT_MS, TYPING_SHOWN_MS } from '../../../shared/chat/limits'
import type { ChatDraft, ChatMessage, ChatQuote } from '../../../shared/chat/schema'
import { studentOfThread, threadFileUploadPath, type ThreadRole, type ThreadServerMessage } from '../../../shared/chat/thread'
import type { ErrorCode } from '../../../shared/errors'
import { samePerson, type Participant } from '../../../shared/lesson/lesson'
import { ApiRequestError } from '../../lesson/ApiRequestError'
import { ChatFiles } from '../chatFiles'
import { playMessageSound } from '../chatSound'
import { notifyThreadMessage } from '../threadNotice'
import { ThreadSocket } from '../ThreadSocket'
import { ACK_TIMEOUT_MS, canRetry, mergeBySeq, newClientId, type ChatProblem, type PendingMessage } from './chatStore'

/** One thread as this page holds it. */
export interface ThreadState {
  messages: ChatMessage[]
  pending: PendingMessage[]
  readSeq: number
  peerTyping: boolean
  problem: { code: ChatProblem; retryAfterSeconds?: number } | null
  quoteDraft: ChatQuote | null
  /** The history has arrived (the view shows "loading" until then). */
  loaded: boolean
  /** The read mark the history came with: the other person's messages after it are shown as new. */
  newAfter: number
}

/** Who this page signs in as on the threads socket: the server and a personal code or tutor key. */
export interface ThreadLink {
  server: string
  token: string
}

/**
 * The threads between lessons of the person using this page (a student:
 * their one thread; a tutor: one per student), on one socket kept open while
 * the app runs: unread counts per thread (home, roster, the student's page),
 * the threads on screen with their messages, this person's messages on their
 * way, and an OS notification for a message in a thread that is not on
 * screen. Same messages, pending bubbles and refusals as the lesson chat.
 */
export const useThreadsStore = defineStore('threads', () => {
  const state = ref<'idle' | 'connecting' | 'open' | 'closed' | 'refused'>('idle')
  const self = ref<Participant | null>(null)
  const role = ref<ThreadRole | null>(null)
  /** Unread messages per thread (the other person's, after this person's read mark). */
  const unread = reactive(new Map<string, number>())
  /** The student of each thread this person follows, by name (a tutor's home lists who wrote). */
  const studentNames = reactive(new Map<string, string>())
  const threads = reactive(new Map<string, ThreadState>())
  /** The thread on screen now (null: none). */
  const viewing = ref<string | null>(null)
  /** "Ask my tutor about this" from the practice page: waits for the student's thread to open. */
  const askedQuote = ref<ChatQuote | null>(null)
  /** The link signed in with (reactive, so views can tell whose counts they show). */
  const link = shallowRef<ThreadLink | null>(null)
  let socket: ThreadSocket | null = null
  const files = new Map<string, ChatFiles>()
  const ackTimers = new Map<string, ReturnType<typeof setTimeout>>()
  const typingHide = new Map<string, ReturnType<typeof setTimeout>>()
  let typingSentAt = 0

  const totalUnread = computed(() => [...unread.values()].reduce((a, b) => a + b, 0))

  /** Signs in (once per server and code or key; a different one replaces the connection). */
  function connect(next: ThreadLink): void {
    if (follows(next) && state.value !== 'refused') return
    disconnect()
    link.value = next
    socket = new ThreadSocket(next.server, next.token, onMessage, (s) => (state.value = s))
  }

  /**
   * Signs in with `next` only if this page follows no threads yet: a student's
   * home follows their kept link, and a tutor's roster, if this device keeps
   * one, takes the connection over (connect) rather than being taken over.
   */
  function connectIfIdle(next: ThreadLink): void {
    if (state.value === 'idle') connect(next)
  }

  /** Whether the counts and threads here are those of `of` (signed in, or signing in, with it). */
  function follows(of: ThreadLink): boolean {
    return link.value?.server === of.server && link.value.token === of.token
  }

  function disconnect(): void {
    socket?.close()
    socket = null
    link.value = null
    state.value = 'idle'
    unread.clear()
    studentNames.clear()
    threads.clear()
    for (const f of files.values()) f.dispose()
    files.clear()
  }

  function threadOf(thread: string): ThreadState {
    let found = threads.get(thread)
    if (!found) {
      threads.set(thread, { messages: [], pending: [], readSeq: 0, peerTyping: false, problem: null, quoteDraft: null, loaded: false, newAfter: 0 })
      found = threads.get(thread) as ThreadState
    }
    return found
  }

  // ---- what the server says ----

  function onMessage(message: ThreadServerMessage): void {
    switch (message.type) {
      case 'thread-welcome':
        self.value = message.self
        role.value = message.role
        unread.clear()
        for (const summary of message.threads) {
          unread.set(summary.thread, summary.unread)
          studentNames.set(summary.thread, summary.studentName)
        }
        // Signed in (again, after a drop): the thread on screen is read again.
        if (viewing.value) socket?.send({ type: 'thread-open', thread: viewing.value })
        break
      case 'chat-history': {
        const t = threadOf(message.thread)
        t.messages = message.reset ? [...message.messages] : mergeBySeq(t.messages, message.messages)
        t.readSeq = message.reset ? message.readSeq : Math.max(t.readSeq, message.readSeq)
        if (!t.loaded) t.newAfter = message.readSeq
        t.loaded = true
        if (onScreen(message.thread)) markRead(message.thread)
        else unread.set(message.thread, message.unread)
        break
      }
      case 'chat-message':
        receive(message.thread, message.message, message.clientId)
        break
      case 'chat-read': {
        // Read on another of this person's devices: the count here follows.
        const t = threadOf(message.thread)
        t.readSeq = Math.max(t.readSeq, message.readSeq)
        if (!onScreen(message.thread)) unread.set(message.thread, message.unread)
        break
      }
      case 'chat-typing':
        showTyping(message.thread, message.typing)
        break
      case 'chat-refused':
        refused(message.thread, message.clientId, message.code, message.retryAfterSeconds)
        break
      case 'error':
        console.warn('[duet] threads:', message.code, message.message)
        break
      default:
        break
    }
  }

  function onScreen(thread: string): boolean {
    return viewing.value === thread && document.visibilityState === 'visible'
  }

  function receive(thread: string, message: ChatMessage, clientId?: string): void {
    const t = threadOf(thread)
    if (clientId) {
      t.pending = t.pending.filter((p) => p.clientId !== clientId)
      clearAck(clientId)
    }
    const before = t.messages.length
    t.messages = mergeBySeq(t.messages, [message])
    if (t.messages.length === before) return
    if (message.from.role === 'student') studentNames.set(thread, message.from.name)
    const mine = samePerson(message.from, self.value)
    if (mine) return
    showTyping(thread, false)
    if (onScreen(thread)) markRead(thread)
    else {
      unread.set(thread, (unread.get(thread) ?? 0) + 1)
      playMessageSound()
    }
    if (!onScreen(thread) || !document.hasFocus()) notifyThreadMessage(thread, message)
  }

  function refused(thread: string, clientId: string, code: ErrorCode, retryAfterSeconds?: number): void {
    const t = threadOf(thread)
    clearAck(clientId)
    const item = t.pending.find((p) => p.clientId === clientId)
    if (item) Object.assign(item, { status: 'failed', problem: code, retryAfterSeconds })
    t.problem = { code, retryAfterSeconds }
  }

  function showTyping(thread: string, typing: boolean): void {
    threadOf(thread).peerTyping = typing
    const timer = typingHide.get(thread)
    if (timer) clearTimeout(timer)
    if (typing) typingHide.set(thread, setTimeout(() => (threadOf(thread).peerTyping = false), TYPING_SHOWN_MS))
  }

  function clearAck(clientId: string): void {
    const timer = ackTimers.get(clientId)
    if (timer) clearTimeout(timer)
    ackTimers.delete(clientId)
  }

  // ---- what this person does ----

  /** A thread comes on screen: its history is asked for, what arrives is read. */
  function show(thread: string): void {
    viewing.value = thread
    const t = threadOf(thread)
    if (askedQuote.value && role.value !== 'tutor') {
      t.quoteDraft = askedQuote.value
      askedQuote.value = null
    }
    socket?.send({ type: 'thread-open', thread })
    if (t.loaded) markRead(thread)
  }

  function hide(thread: string): void {
    if (viewing.value === thread) viewing.value = null
  }

  function markRead(thread: string): void {
    const t = threadOf(thread)
    unread.set(thread, 0)
    const seq = t.messages.at(-1)?.seq ?? 0
    if (seq <= t.readSeq) return
    t.readSeq = seq
    socket?.send({ type: 'chat-read', thread, seq })
  }

  function sendDraft(thread: string, item: PendingMessage): void {
    if (!item.draft) return
    item.status = 'sending'
    item.problem = undefined
    if (!socket?.send({ type: 'chat-send', thread, clientId: item.clientId, draft: item.draft })) {
      failLocally(thread, item, 'offline')
      return
    }
    ackTimers.set(
      item.clientId,
      setTimeout(() => {
        ackTimers.delete(item.clientId)
        const still = threadOf(thread).pending.find((p) => p.clientId === item.clientId)
        if (still?.status === 'sending') failLocally(thread, still, 'no_answer')
      }, ACK_TIMEOUT_MS),
    )
  }

  function failLocally(thread: string, item: PendingMessage, code: ChatProblem): void {
    item.status = 'failed'
    item.problem = code
    threadOf(thread).problem = { code }
  }

  /** Sends a text message (with the quoted AI answer if one waits); false when there is nothing to send. */
  function send(thread: string, text: string): boolean {
    const t = threadOf(thread)
    const trimmed = text.trim()
    if (!trimmed || text.length > MAX_CHAT_TEXT_CHARS) return false
    const quote = t.quoteDraft ?? undefined
    t.problem = null
    t.quoteDraft = null
    stopTyping(thread)
    const draft: ChatDraft = { kind: 'text', text: trimmed, ...(quote ? { quote } : {}) }
    t.pending.push({ clientId: newClientId(), text: draft.text, quote, draft, status: 'sending' })
    sendDraft(thread, t.pending.at(-1) as PendingMessage)
    return true
  }

  function filesOf(thread: string): ChatFiles | null {
    const studentId = studentOfThread(thread)
    const signedIn = link.value
    if (!signedIn || !studentId) return null
    let found = files.get(thread)
    if (!found) files.set(thread, (found = new ChatFiles({ server: signedIn.server, token: signedIn.token, uploadPath: threadFileUploadPath(studentId) })))
    return found
  }

  async function sendFile(thread: string, file: File): Promise<void> {
    const t = threadOf(thread)
    t.problem = null
    t.pending.push({ clientId: newClientId(), text: '', fileName: file.name, draft: null, file, status: 'uploading' })
    await upload(thread, t.pending.at(-1) as PendingMessage)
  }

  async function upload(thread: string, item: PendingMessage): Promise<void> {
    const target = filesOf(thread)
    if (!target || !item.file) return
    item.status = 'uploading'
    item.problem = undefined
    try {
      const stored = await target.upload(item.file)
      item.draft = { kind: 'file', fileId: stored.id, text: item.text }
    } catch (error) {
      failLocally(thread, item, error instanceof ApiRequestError ? error.code : 'unexpected')
      return
    }
    sendDraft(thread, item)
  }

  function retry(thread: string, clientId: string): void {
    const t = threadOf(thread)
    const item = t.pending.find((p) => p.clientId === clientId)
    if (!item || item.status !== 'failed' || !canRetry(item.problem)) return
    t.problem = null
    if (item.draft) sendDraft(thread, item)
    else void upload(thread, item)
  }

  function discard(thread: string, clientId: string): void {
    const t = threadOf(thread)
    t.pending = t.pending.filter((p) => p.clientId !== clientId)
    if (t.pending.every((p) => p.status !== 'failed')) t.problem = null
  }

  function typing(thread: string, hasText: boolean): void {
    if (!hasText) return stopTyping(thread)
    const now = Date.now()
    if (now - typingSentAt < TYPING_REPEAT_MS) return
    typingSentAt = now
    socket?.send({ type: 'chat-typing', thread, typing: true })
  }

  function stopTyping(thread: string): void {
    if (typingSentAt === 0) return
    typingSentAt = 0
    socket?.send({ type: 'chat-typing', thread, typing: false })
  }

  /** "Ask my tutor about this" outside lessons: the answer is quoted in the student's next message in their thread. */
  function askAboutAiAnswer(answer: string): void {
    const text = answer.trim().slice(0, MAX_CHAT_QUOTE_CHARS)
    if (text) askedQuote.value = { source: 'ai-answer', text }
  }

  function fileUrl(thread: string, file: ChatFile): Promise<string> {
    return filesOf(thread)?.url(file) ?? Promise.reject(new Error('not signed in'))
  }

  return {
    state,
    self,
    role,
    unread,
    studentNames,
    totalUnread,
    threads,
    viewing,
    askedQuote,
    connect,
    connectIfIdle,
    follows,
    disconnect,
    threadOf,
    show,
    hide,
    markRead,
    send,
    sendFile,
    retry,
    discard,
    typing,
    stopTyping,
    askAboutAiAnswer,
    clearQuote: (thread: string) => (threadOf(thread).quoteDraft = null),
    fileUrl,
  }
})
