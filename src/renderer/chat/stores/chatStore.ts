import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { chatFileUploadPath, type ChatFile } from '../../../shared/chat/files'
import { MAX_CHAT_QUOTE_CHARS } from '../../../shared/chat/limits'
import type { ChatMessage } from '../../../shared/chat/schema'
import { CHAT_MESSAGE_MARKER, chatMarkdown, chatMarkers, chatRecordFile } from '../../../shared/chat/transcript'
import { MAX_CHAT_RECORD_FILES, type ChatRecordFile } from '../../../shared/recording/library'
import type { ServerMessage } from '../../../shared/lesson/signaling'
import { useHost } from '../../host/current'
import { i18n } from '../../i18n'
import type { LessonPass } from '../../lesson/LessonPass'
import type { LessonChannel } from '../../lesson/LessonSocket'
import { useRecordingStore } from '../../recording/stores/recordingStore'
import { formatClock, formatDateTime } from '../../ui/format'
import { ChatFiles } from '../chatFiles'
import { playMessageSound } from '../chatSound'
import { Conversation, type ConversationWire } from './conversation'
import { unsentKeys } from '../../ui/unsentText'

/** What the lesson room lends the chat while it is open. */
export interface ChatBinding {
  pass: LessonPass
  lesson: LessonChannel
}

/**
 * The lesson's chat: one Conversation (the server's messages, history after
 * each welcome and new ones live; this person's messages on their way; the
 * other person typing), as each thread between lessons has, and what only a
 * lesson has: the unread count and sound while the panel is closed, read
 * marks per seat, and chat.md with a marker per message for the lesson
 * record (the tutor's app).
 */
export const useChatStore = defineStore('chat', () => {
  /** The lesson's conversation; a fresh one for each lesson (a shallow ref: its state is reactive itself). */
  const conversation = shallowRef(new Conversation(offWire()))
  const open = ref(false)
  const unread = ref(0)
  const selfId = ref<string | null>(null)
  /** In a lesson (the chat can take a message). */
  const attached = ref(false)
  /** Where the composer keeps this lesson's unsent text (ui/unsentText.ts). */
  const unsentKey = ref<string | null>(null)
  let binding: ChatBinding | null = null
  let files: ChatFiles | null = null
  /** The chat's files offered to the lesson record (the tutor's app), by their name there. */
  const recordFiles = new Set<ChatRecordFile>()

  const state = computed(() => conversation.value.state)
  const lastSeq = computed(() => state.value.messages.at(-1)?.seq ?? 0)

  function attach(next: ChatBinding): void {
    detach()
    binding = next
    const lessonFiles = new ChatFiles({ server: next.pass.server, token: next.pass.token, uploadPath: chatFileUploadPath(next.pass.lessonId) })
    files = lessonFiles
    conversation.value = new Conversation({
      send: (clientId, draft) => next.lesson.send({ type: 'chat-send', clientId, draft }),
      typing: (typing) => next.lesson.send({ type: 'chat-typing', typing }),
      files: () => lessonFiles,
    })
    selfId.value = next.pass.participantId
    attached.value = true
    unsentKey.value = unsentKeys.chatLesson(next.pass.lessonId)
    next.lesson.on('message', onLessonMessage)
    if (next.pass.role === 'tutor') useRecordingStore().provideLessonFile('chat.md', lessonChatSource)
  }

  function detach(): void {
    if (!binding) return
    binding.lesson.off('message', onLessonMessage)
    if (binding.pass.role === 'tutor') useRecordingStore().provideLessonFile('chat.md', null)
    for (const name of recordFiles) useRecordingStore().provideLessonFile(name, null)
    recordFiles.clear()
    binding = null
    attached.value = false
    unsentKey.value = null
    files?.dispose()
    files = null
    conversation.value.dispose()
    conversation.value = new Conversation(offWire())
    unread.value = 0
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
        conversation.value.showTyping(message.typing)
        break
      case 'chat-refused':
        conversation.value.refused(message.clientId, message.code, message.retryAfterSeconds)
        break
      default:
        break
    }
  }

  function receiveHistory(message: Extract<ServerMessage, { type: 'chat-history' }>): void {
    conversation.value.history(message.messages, message.reset)
    for (const m of message.messages) keepFileWithRecord(m)
    state.value.readSeq = message.reset ? message.readSeq : Math.max(message.readSeq, state.value.readSeq)
    if (open.value) markRead()
    else unread.value = message.unread
  }

  function receive(message: ChatMessage, clientId?: string): void {
    if (!conversation.value.receive(message, clientId)) return
    keepFileWithRecord(message)
    const mine = message.from.id === selfId.value
    if (!mine) conversation.value.showTyping(false)
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

  // ---- what this person does ----

  function setOpen(next: boolean): void {
    open.value = next
    if (next) markRead()
  }

  function markRead(): void {
    unread.value = 0
    const seq = lastSeq.value
    if (seq <= state.value.readSeq) return
    state.value.readSeq = seq
    binding?.lesson.send({ type: 'chat-read', seq })
  }

  /** "Ask my tutor about this": the answer is quoted in the next message, and the chat opens to write it. */
  function askAboutAiAnswer(answer: string): void {
    const text = answer.trim().slice(0, MAX_CHAT_QUOTE_CHARS)
    if (!text || !attached.value) return
    state.value.quoteDraft = { source: 'ai-answer', text }
    setOpen(true)
  }

  /** A file's bytes as an object URL (pictures in the list, downloads). */
  function fileUrl(file: ChatFile): Promise<string> {
    return files ? files.url(file) : Promise.reject(new Error('not in a lesson'))
  }

  function fileBlob(file: ChatFile): Promise<Blob> {
    return files ? files.blob(file) : Promise.reject(new Error('not in a lesson'))
  }

  // ---- the lesson record ----

  /**
   * A file sent in the lesson goes into the lesson record with chat.md (the
   * tutor's app keeps the record), so it is in the library after the lesson
   * under the name its sender gave it. Fetched from the session server when
   * the record is saved; the server serves it to the lesson's people after
   * the lesson too.
   */
  function keepFileWithRecord(message: ChatMessage): void {
    const file = message.file
    const lessonFiles = files
    if (!file || !lessonFiles || binding?.pass.role !== 'tutor') return
    const name = chatRecordFile(message.seq, file)
    if (recordFiles.has(name) || recordFiles.size >= MAX_CHAT_RECORD_FILES) return
    recordFiles.add(name)
    useRecordingStore().provideLessonFile(name, () => ({
      version: file.id,
      make: async () => ({ data: new Uint8Array(await (await lessonFiles.blob(file)).arrayBuffer()), label: file.name }),
    }))
  }

  /** chat.md and a marker per message, in the tutor's language; a snapshot taken when the record is saved. */
  function lessonChatSource() {
    const snapshot = state.value.messages
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
    messages: computed(() => state.value.messages),
    pending: computed(() => state.value.pending),
    peerTyping: computed(() => state.value.peerTyping),
    problem: computed(() => state.value.problem),
    quoteDraft: computed(() => state.value.quoteDraft),
    open,
    unread,
    selfId,
    attached,
    unsentKey,
    askAboutAiAnswer,
    clearQuote: () => (state.value.quoteDraft = null),
    attach,
    detach,
    setOpen,
    toggle: () => setOpen(!open.value),
    send: (text: string) => conversation.value.send(text),
    sendFile: (file: File, caption?: string) => conversation.value.sendFile(file, caption),
    retry: (clientId: string) => conversation.value.retry(clientId),
    discard: (clientId: string) => conversation.value.discard(clientId),
    typing: (hasText: boolean) => conversation.value.typing(hasText),
    stopTyping: () => conversation.value.stopTyping(),
    fileUrl,
    fileBlob,
  }
})

/** Outside a lesson the chat sends nothing. */
function offWire(): ConversationWire {
  return { send: () => false, typing: () => {}, files: () => null }
}
