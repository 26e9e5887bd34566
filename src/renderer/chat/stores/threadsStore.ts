import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowReactive, shallowRef } from 'vue'
import type { ChatFile } from '../../../shared/chat/files'
import { MAX_CHAT_QUOTE_CHARS } from '../../../shared/chat/limits'
import type { ChatMessage, ChatQuote } from '../../../shared/chat/schema'
import { studentOfThread, threadFileUploadPath, type ThreadRole, type ThreadServerMessage } from '../../../shared/chat/thread'
import { samePerson, type Participant } from '../../../shared/lesson/lesson'
import { ChatFiles } from '../chatFiles'
import { playMessageSound } from '../chatSound'
import { notifyThreadMessage } from '../threadNotice'
import { ThreadSocket } from '../ThreadSocket'
import { Conversation, type ConversationState } from './conversation'

/** What a page keeps of a thread beside its conversation. */
interface ThreadExtra {
  /** The history has arrived (the view shows "loading" until then). */
  loaded: boolean
  /** The read mark the history came with: the other person's messages after it are shown as new. */
  newAfter: number
}

/** One thread as this page holds it: its conversation's state (messages, pending, typing…) and ThreadExtra. */
export type ThreadState = ConversationState & ThreadExtra

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
 * screen. Each thread is a Conversation, as the lesson's chat is.
 */
export const useThreadsStore = defineStore('threads', () => {
  const state = ref<'idle' | 'connecting' | 'open' | 'closed' | 'refused'>('idle')
  const self = ref<Participant | null>(null)
  const role = ref<ThreadRole | null>(null)
  /** Unread messages per thread (the other person's, after this person's read mark). */
  const unread = reactive(new Map<string, number>())
  /** The student of each thread this person follows, by name (a tutor's home lists who wrote). */
  const studentNames = reactive(new Map<string, string>())
  /** Shallow: each Conversation's state is reactive itself. */
  const threads = shallowReactive(new Map<string, Conversation<ThreadExtra>>())
  /** The thread on screen now (null: none). */
  const viewing = ref<string | null>(null)
  /** "Ask my tutor about this" from the practice page: waits for the student's thread to open. */
  const askedQuote = ref<ChatQuote | null>(null)
  /** The link signed in with (reactive, so views can tell whose counts they show). */
  const link = shallowRef<ThreadLink | null>(null)
  let socket: ThreadSocket | null = null
  const files = new Map<string, ChatFiles>()

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
    for (const t of threads.values()) t.dispose()
    threads.clear()
    for (const f of files.values()) f.dispose()
    files.clear()
  }

  function conversationOf(thread: string): Conversation<ThreadExtra> {
    let found = threads.get(thread)
    if (!found) {
      found = new Conversation<ThreadExtra>(
        {
          send: (clientId, draft) => socket?.send({ type: 'chat-send', thread, clientId, draft }) ?? false,
          typing: (typing) => socket?.send({ type: 'chat-typing', thread, typing }),
          files: () => filesOf(thread),
        },
        { loaded: false, newAfter: 0 },
      )
      threads.set(thread, found)
    }
    return found
  }

  function threadOf(thread: string): ThreadState {
    return conversationOf(thread).state
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
        conversationOf(message.thread).history(message.messages, message.reset)
        const t = threadOf(message.thread)
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
        conversationOf(message.thread).showTyping(message.typing)
        break
      case 'chat-refused':
        conversationOf(message.thread).refused(message.clientId, message.code, message.retryAfterSeconds)
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
    const conversation = conversationOf(thread)
    if (!conversation.receive(message, clientId)) return
    if (message.from.role === 'student') studentNames.set(thread, message.from.name)
    const mine = samePerson(message.from, self.value)
    if (mine) return
    conversation.showTyping(false)
    if (onScreen(thread)) markRead(thread)
    else {
      unread.set(thread, (unread.get(thread) ?? 0) + 1)
      playMessageSound()
    }
    if (!onScreen(thread) || !document.hasFocus()) notifyThreadMessage(thread, message)
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

  function filesOf(thread: string): ChatFiles | null {
    const studentId = studentOfThread(thread)
    const signedIn = link.value
    if (!signedIn || !studentId) return null
    let found = files.get(thread)
    if (!found) files.set(thread, (found = new ChatFiles({ server: signedIn.server, token: signedIn.token, uploadPath: threadFileUploadPath(studentId) })))
    return found
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
    /** Sends a text message (with the quoted AI answer if one waits); false when there is nothing to send. */
    send: (thread: string, text: string) => conversationOf(thread).send(text),
    sendFile: (thread: string, file: File) => conversationOf(thread).sendFile(file),
    retry: (thread: string, clientId: string) => conversationOf(thread).retry(clientId),
    discard: (thread: string, clientId: string) => conversationOf(thread).discard(clientId),
    typing: (thread: string, hasText: boolean) => conversationOf(thread).typing(hasText),
    stopTyping: (thread: string) => conversationOf(thread).stopTyping(),
    askAboutAiAnswer,
    clearQuote: (thread: string) => (threadOf(thread).quoteDraft = null),
    fileUrl,
  }
})
