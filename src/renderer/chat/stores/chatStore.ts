import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { chatFileUploadPath, type ChatFile } from '../../../shared/chat/files'
import { MAX_CHAT_QUOTE_CHARS, MAX_CHAT_TEXT_CHARS, TYPING_REPEAT_MS, TYPING_SHOWN_MS } from '../../../shared/chat/limits'
import type { ChatDraft, ChatMessage, ChatQuote } from '../../../shared/chat/schema'
import { CHAT_MESSAGE_MARKER, chatMarkdown, chatMarkers } from '../../../shared/chat/transcript'
import type { ErrorCode } from '../../../shared/errors'
import type { ServerMessage } from '../../../shared/lesson/signaling'
import { useHost } from '../../host/current'
import { i18n } from '../../i18n'
import { ApiRequestError } from '../../lesson/ApiRequestError'
import type { LessonPass } from '../../lesson/LessonPass'
import type { LessonChannel } from '../../lesson/LessonSocket'
import { useRecordingStore } from '../../recording/stores/recordingStore'
import { formatClock, formatDateTime } from '../../ui/format'
import { ChatFiles } from '../chatFiles'
import { playMessageSound } from '../chatSound'

/** What the lesson room lends the chat while it is open. */
export interface ChatBinding {
  pass: LessonPass
  lesson: LessonChannel
}

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

/**
 * The lesson's chat: the server's messages (history after each welcome, new
 * ones live), this person's messages on their way, unread count and sound
 * while the panel is closed, the other person typing, and chat.md with a
 * marker per message for the lesson record (the tutor's app).
 */
export const useChatStore = defineStore('chat', () => {
  /** In seq order, as the server numbered them. Shallow: thousands of messages stay cheap. */
  const messages = shallowRef<ChatMessage[]>([])
  const pending = ref<PendingMessage[]>([])
  const open = ref(false)
  const unread = ref(0)
  const peerTyping = ref(false)
  /** The last refusal, shown above the composer until the next send. */
  const problem = ref<{ code: ChatProblem; retryAfterSeconds?: number } | null>(null)
  const selfId = ref<string | null>(null)
  /** In a lesson (the chat can take a message). */
  const attached = ref(false)
  /** An AI answer the person is about to ask the tutor about; sent with the next message. */
  const quoteDraft = ref<ChatQuote | null>(null)
  let binding: ChatBinding | null = null
  let files: ChatFiles | null = null
  let readSeq = 0
  let typingSentAt = 0
  let typingTimer: ReturnType<typeof setTimeout> | null = null
  const ackTimers = new Map<string, ReturnType<typeof setTimeout>>()

  const lastSeq = computed(() => messages.value.at(-1)?.seq ?? 0)

  function attach(next: ChatBinding): void {
    detach()
    binding = next
    files = new ChatFiles({ server: next.pass.server, token: next.pass.token, uploadPath: chatFileUploadPath(next.pass.lessonId) })
    selfId.value = next.pass.participantId
    attached.value = true
    next.lesson.on('message', onLessonMessage)
    if (next.pass.role === 'tutor') useRecordingStore().provideLessonFile('chat.md', lessonChatSource)
  }

  function detach(): void {
    if (!binding) return
    binding.lesson.off('message', onLessonMessage)
    if (binding.pass.role === 'tutor') useRecordingStore().provideLessonFile('chat.md', null)
    binding = null
    attached.value = false
    quoteDraft.value = null
    files?.dispose()
    files = null
    for (const timer of ackTimers.values()) clearTimeout(timer)
    ackTimers.clear()
    if (typingTimer) clearTimeout(typingTimer)
    messages.value = []
    pending.value = []
    unread.value = 0
    readSeq = 0
    peerTyping.value = false
    problem.value = null
    open.value = false
  }

  // ---- what the server says ----

  function onLessonMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        selfId.value = message.self.id
        break
      case 'chat-history':
        receiveHistory(message)
        break
      case 'chat-message':
        receive(message.message, message.clientId)
        break
      case 'chat-typing':
        showTyping(message.typing)
        break
      case 'chat-refused':
        refused(message.clientId, message.code, message.retryAfterSeconds)
        break
      default:
        break
    }
  }

  function receiveHistory(message: Extract<ServerMessage, { type: 'chat-history' }>): void {
    const kept = message.reset ? [] : messages.value
    messages.value = mergeBySeq(kept, message.messages)
    readSeq = message.reset ? message.readSeq : Math.max(message.readSeq, readSeq)
    if (open.value) markRead()
    else unread.value = message.unread
  }

  function receive(message: ChatMessage, clientId?: string): void {
    if (clientId) {
      pending.value = pending.value.filter((p) => p.clientId !== clientId)
      const timer = ackTimers.get(clientId)
      if (timer) clearTimeout(timer)
      ackTimers.delete(clientId)
    }
    const before = messages.value.length
    messages.value = mergeBySeq(messages.value, [message])
    if (messages.value.length === before) return
    const mine = message.from.id === selfId.value
    if (!mine) showTyping(false)
    // On the recording's timeline (only while this app records: the tutor's).
    useRecordingStore().addMarker(CHAT_MESSAGE_MARKER, chatMarkers([message])[0]?.label ?? '')
    if (open.value && !document.hidden) markRead()
    else if (!mine) {
      unread.value += 1
      playMessageSound()
    }
    if (!mine) notify(message)
  }

  /** Duet in the background (another app in front, the window minimised): an OS notification (the host decides when). */
  function notify(message: ChatMessage): void {
    if (document.visibilityState === 'visible' && document.hasFocus()) return
    const { t } = i18n.global
    const body = message.text.replace(/\s+/g, ' ').trim() || (message.file ? t('chat.recordFile', { name: message.file.name }) : '')
    void useHost()
      .notifications.show({ title: t('chat.notifyTitle', { name: message.from.name }).slice(0, 120), body: body.slice(0, 300), tag: `chat-${binding?.pass.lessonId ?? 'lesson'}`.slice(0, 80) })
      .catch((error: unknown) => console.warn('[duet] notification', error))
  }

  function refused(clientId: string, code: ErrorCode, retryAfterSeconds?: number): void {
    const item = pending.value.find((p) => p.clientId === clientId)
    const timer = ackTimers.get(clientId)
    if (timer) clearTimeout(timer)
    ackTimers.delete(clientId)
    if (item) {
      item.status = 'failed'
      item.problem = code
      item.retryAfterSeconds = retryAfterSeconds
    }
    problem.value = { code, retryAfterSeconds }
  }

  let typingHide: ReturnType<typeof setTimeout> | null = null
  function showTyping(typing: boolean): void {
    peerTyping.value = typing
    if (typingHide) clearTimeout(typingHide)
    typingHide = typing ? setTimeout(() => (peerTyping.value = false), TYPING_SHOWN_MS) : null
  }

  // ---- what this person does ----

  function setOpen(next: boolean): void {
    open.value = next
    if (next) markRead()
  }

  function markRead(): void {
    unread.value = 0
    const seq = lastSeq.value
    if (seq <= readSeq) return
    readSeq = seq
    binding?.lesson.send({ type: 'chat-read', seq })
  }

  function sendDraft(item: PendingMessage): void {
    if (!item.draft) return
    item.status = 'sending'
    item.problem = undefined
    const sent = binding?.lesson.send({ type: 'chat-send', clientId: item.clientId, draft: item.draft }) ?? false
    if (!sent) {
      item.status = 'failed'
      item.problem = 'offline'
      problem.value = { code: 'offline' }
      return
    }
    ackTimers.set(
      item.clientId,
      setTimeout(() => {
        ackTimers.delete(item.clientId)
        const still = pending.value.find((p) => p.clientId === item.clientId)
        if (still?.status === 'sending') refusedLocally(still, 'no_answer')
      }, ACK_TIMEOUT_MS),
    )
  }

  function refusedLocally(item: PendingMessage, code: ChatProblem): void {
    item.status = 'failed'
    item.problem = code
    problem.value = { code }
  }

  /** Sends a text message (Markdown with maths), with the quoted AI answer if one waits; false when there is nothing to send or it is too long. */
  function send(text: string): boolean {
    const trimmed = text.trim()
    const quote = quoteDraft.value ?? undefined
    if (!trimmed || text.length > MAX_CHAT_TEXT_CHARS) return false
    problem.value = null
    quoteDraft.value = null
    stopTyping()
    const draft: ChatDraft = { kind: 'text', text: trimmed, ...(quote ? { quote } : {}) }
    const item: PendingMessage = { clientId: newClientId(), text: draft.text, quote, draft, status: 'sending' }
    pending.value.push(item)
    sendDraft(pending.value.at(-1)!)
    return true
  }

  /** "Ask my tutor about this": the answer is quoted in the next message, and the chat opens to write it. */
  function askAboutAiAnswer(answer: string): void {
    const text = answer.trim().slice(0, MAX_CHAT_QUOTE_CHARS)
    if (!text || !attached.value) return
    quoteDraft.value = { source: 'ai-answer', text }
    setOpen(true)
  }

  /** Uploads a file, then sends it as a message (with an optional caption). */
  async function sendFile(file: File, caption = ''): Promise<void> {
    if (!files) return
    problem.value = null
    pending.value.push({ clientId: newClientId(), text: caption.trim(), fileName: file.name, draft: null, file, status: 'uploading' })
    await upload(pending.value.at(-1)!)
  }

  async function upload(item: PendingMessage): Promise<void> {
    if (!files || !item.file) return
    item.status = 'uploading'
    item.problem = undefined
    let stored: ChatFile
    try {
      stored = await files.upload(item.file)
    } catch (error) {
      refusedLocally(item, error instanceof ApiRequestError ? error.code : 'unexpected')
      return
    }
    item.draft = { kind: 'file', fileId: stored.id, text: item.text }
    sendDraft(item)
  }

  /** Try again, or drop, a message that did not go. */
  function retry(clientId: string): void {
    const item = pending.value.find((p) => p.clientId === clientId)
    if (!item || item.status !== 'failed' || !canRetry(item.problem)) return
    problem.value = null
    if (item.draft) sendDraft(item)
    else void upload(item)
  }

  function discard(clientId: string): void {
    pending.value = pending.value.filter((p) => p.clientId !== clientId)
    if (pending.value.every((p) => p.status !== 'failed')) problem.value = null
  }

  /** The composer changed: tell the other person this one is typing (at most every few seconds). */
  function typing(hasText: boolean): void {
    if (!hasText) return stopTyping()
    const now = Date.now()
    if (now - typingSentAt < TYPING_REPEAT_MS) return
    typingSentAt = now
    binding?.lesson.send({ type: 'chat-typing', typing: true })
    if (typingTimer) clearTimeout(typingTimer)
    typingTimer = setTimeout(stopTyping, TYPING_SHOWN_MS - 1000)
  }

  function stopTyping(): void {
    if (typingTimer) clearTimeout(typingTimer)
    typingTimer = null
    if (typingSentAt === 0) return
    typingSentAt = 0
    binding?.lesson.send({ type: 'chat-typing', typing: false })
  }

  /** A file's bytes as an object URL (pictures in the list, downloads). */
  function fileUrl(file: ChatFile): Promise<string> {
    return files ? files.url(file) : Promise.reject(new Error('not in a lesson'))
  }

  function fileBlob(file: ChatFile): Promise<Blob> {
    return files ? files.blob(file) : Promise.reject(new Error('not in a lesson'))
  }

  // ---- the lesson record ----

  /** chat.md and a marker per message, in the tutor's language; a snapshot taken when the record is saved. */
  function lessonChatSource() {
    const snapshot = messages.value
    const pass = binding?.pass
    if (snapshot.length === 0 || !pass) return null
    const { t, locale } = i18n.global
    const lang = locale.value
    return {
      version: `${snapshot.length}:${snapshot.at(-1)?.seq ?? 0}`,
      make: async () => {
        const markdown = chatMarkdown(snapshot, {
          title: t('chat.recordTitle'),
          when: t('chat.recordWhen', { tutor: pass.tutorName, date: formatDateTime(snapshot[0]?.at ?? Date.now(), lang) }),
          time: (at) => formatClock(at, lang),
          file: (name) => t('chat.recordFile', { name }),
          quote: t('chat.quoteAi'),
        })
        return markdown ? { data: new TextEncoder().encode(markdown) } : null
      },
    }
  }

  return {
    messages,
    pending,
    open,
    unread,
    peerTyping,
    problem,
    selfId,
    attached,
    quoteDraft,
    askAboutAiAnswer,
    clearQuote: () => (quoteDraft.value = null),
    attach,
    detach,
    setOpen,
    toggle: () => setOpen(!open.value),
    send,
    sendFile,
    retry,
    discard,
    typing,
    stopTyping,
    fileUrl,
    fileBlob,
  }
})

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
