import { defineStore } from 'pinia'
import { nextTick, ref, shallowRef } from 'vue'
import type { AiAction, AiMessage, AiMessageStatus, AiMode } from '../../../shared/ai/conversation'
import type { AiStatus, AskRequest } from '../../../shared/ai/schema'
import type { SolveResult } from '../../../shared/ai/solver'
import { aiApi, AiRequestError, type AiClientErrorCode, type AiEndpoint } from '../aiApi'
import { listenToLessonAi } from '../lessonEvents'
import { streamAnswer } from '../streamClient'

export type NoteCode = 'image_not_sent' | 'answer_truncated'

/** A message as the panel shows it. */
export interface PanelMessage {
  id: string
  role: 'user' | 'assistant'
  text: string
  status: AiMessageStatus | 'streaming'
  action?: AiAction
  attempt?: string
  image?: boolean
  /** This session's preview of the attached picture (never stored). */
  imageUrl?: string
  mode?: AiMode
  errorCode?: AiClientErrorCode
  /** Epoch ms before which "Try again" waits (provider or school rate limit). */
  retryAt?: number
  notes: NoteCode[]
  /** The server recorded this question (false: refused before it was asked). */
  recorded?: boolean
}

export interface SolverEntry {
  id: number
  input: string
  result: SolveResult | null
  error: AiClientErrorCode | null
  /** Steps revealed so far: hints come one at a time. */
  shown: number
}

export type Phase = 'idle' | 'thinking' | 'streaming'

let localIds = 0
const localId = (): string => `local-${++localIds}`

function fromServer(message: AiMessage): PanelMessage {
  return { ...message, notes: [], recorded: true }
}

/**
 * The AI side panel's state: status (model, modes, quota), the conversation,
 * the answer streaming now, and the offline solver's work. Components render
 * it and call its actions; only this store talks to the server.
 */
export const useAiStore = defineStore('ai', () => {
  const endpoint = shallowRef<AiEndpoint | null>(null)
  const status = ref<AiStatus | null>(null)
  const loadError = ref<AiRequestError | null>(null)
  const messages = ref<PanelMessage[]>([])
  const phase = ref<Phase>('idle')
  const solver = ref<SolverEntry[]>([])
  /** The tutor just switched the student mode (students see a notice). */
  const modeNotice = ref<AiMode | null>(null)
  const busy = ref(false)
  let controller: AbortController | null = null
  let stopEvents: (() => void) | null = null

  async function open(next: AiEndpoint): Promise<void> {
    const same = endpoint.value?.server === next.server && endpoint.value.token === next.token
    if (!same) {
      stop()
      endpoint.value = next
      messages.value = []
      solver.value = []
      status.value = null
    }
    stopEvents?.()
    stopEvents = listenToLessonAi(next, onLessonEvent)
    await refresh(!same)
  }

  async function refresh(withConversation: boolean): Promise<void> {
    const ep = endpoint.value
    if (!ep) return
    try {
      loadError.value = null
      status.value = await aiApi.status(ep)
      if (withConversation) {
        const { conversation } = await aiApi.conversation(ep)
        if (phase.value === 'idle') messages.value = conversation?.messages.map(fromServer) ?? []
      }
    } catch (error) {
      loadError.value = error instanceof AiRequestError ? error : new AiRequestError('unexpected', String(error))
    }
  }

  function close(): void {
    stop()
    stopEvents?.()
    stopEvents = null
  }

  function onLessonEvent(event: Parameters<Parameters<typeof listenToLessonAi>[1]>[0]): void {
    const current = status.value
    if (!current) return
    if (event.type === 'provider') {
      current.provider = event.provider
      return
    }
    const practice = current.scope === 'practice'
    // Only in a lesson does someone else (the tutor) change the student's mode.
    if (!practice && current.role === 'student' && current.settings.studentMode !== event.settings.studentMode) modeNotice.value = event.settings.studentMode
    current.settings = event.settings
    current.mode = current.role === 'tutor' && !practice ? 'direct' : event.settings.studentMode
  }

  /** Stop the answer streaming now (Stop, Esc, or a new question): keep what arrived. */
  function stop(): void {
    if (!controller) return
    performance.mark('duet:ai-stop')
    controller.abort()
    controller = null
    phase.value = 'idle'
    const streaming = messages.value.findLast((m) => m.status === 'streaming')
    if (streaming) streaming.status = 'stopped'
  }

  async function run(body: AskRequest, question: PanelMessage | null): Promise<void> {
    const ep = endpoint.value
    if (!ep) return
    stop() // barge-in: the answer on screen stops where it is and stays in the history
    if (question) messages.value.push(question)
    messages.value.push({ id: localId(), role: 'assistant', text: '', status: 'streaming', notes: [] })
    const answer = messages.value[messages.value.length - 1] as PanelMessage
    const asked = question ? (messages.value[messages.value.length - 2] as PanelMessage) : null
    const own = new AbortController()
    controller = own
    phase.value = 'thinking'
    performance.mark('duet:ai-ask')
    let first = true
    const end = await streamAnswer(ep, body, own.signal, (event) => {
      if (controller !== own) return
      if (event.type === 'start') {
        answer.id = event.messageId
        answer.mode = event.mode
        if (asked) {
          asked.recorded = true
          if (event.userMessageId) asked.id = event.userMessageId
        }
      } else if (event.type === 'delta') {
        answer.text += event.text
        if (first) {
          first = false
          phase.value = 'streaming'
          void nextTick(() => performance.mark('duet:ai-first-token'))
        }
      } else if (event.type === 'note') {
        answer.notes.push(event.code)
      }
    })
    if (controller !== own) return // stopped or superseded: already marked
    controller = null
    phase.value = 'idle'
    if (end.kind === 'done') {
      answer.status = end.finishReason === 'length' ? 'truncated' : end.finishReason === 'stopped' ? 'stopped' : 'complete'
    } else if (end.kind === 'aborted') {
      answer.status = 'stopped'
    } else {
      const cut = answer.text.length > 0 && ['ai_stream_cut', 'ai_bad_chunk', 'ai_provider_timeout', 'network'].includes(end.error.code)
      answer.status = cut ? 'cut' : 'error'
      answer.errorCode = end.error.code
      if (end.error.retryAfterSeconds) answer.retryAt = Date.now() + end.error.retryAfterSeconds * 1000
      if (end.error.code === 'ai_not_configured') void refresh(false)
    }
    if (status.value?.quota) void refresh(false)
  }

  function ask(input: { question: string; attempt?: string; image?: string; locale?: string }): Promise<void> {
    const attempt = input.attempt?.trim() || undefined
    const question: PanelMessage = {
      id: localId(),
      role: 'user',
      text: input.question.trim(),
      status: 'complete',
      action: 'ask',
      attempt,
      image: input.image ? true : undefined,
      imageUrl: input.image,
      notes: [],
      recorded: false,
    }
    return run({ action: 'ask', question: question.text, attempt, image: input.image, locale: locale(input.locale) }, question)
  }

  function followUp(action: 'simpler' | 'practice' | 'reveal', uiLocale?: string): Promise<void> {
    const question: PanelMessage = { id: localId(), role: 'user', text: '', status: 'complete', action, notes: [], recorded: false }
    return run({ action, locale: locale(uiLocale) }, question)
  }

  /** Asks the last question again: the failed answer makes way for a new one. */
  function retry(uiLocale?: string): Promise<void> {
    const failed = messages.value.at(-1)
    const question = messages.value.at(-2)
    if (!failed || failed.role !== 'assistant' || !question || question.role !== 'user') return Promise.resolve()
    messages.value.splice(-1, 1)
    if (question.recorded) return run({ action: 'retry', locale: locale(uiLocale) }, null)
    // Refused before the server recorded it (limit, network): send it as new.
    messages.value.splice(-1, 1)
    if (question.action && question.action !== 'ask') return followUp(question.action as 'simpler' | 'practice' | 'reveal', uiLocale)
    return ask({ question: question.text, attempt: question.attempt, image: question.imageUrl, locale: uiLocale })
  }

  async function guarded<T>(work: (ep: AiEndpoint) => Promise<T>): Promise<T | null> {
    const ep = endpoint.value
    if (!ep || busy.value) return null
    busy.value = true
    try {
      loadError.value = null
      return await work(ep)
    } catch (error) {
      loadError.value = error instanceof AiRequestError ? error : new AiRequestError('unexpected', String(error))
      return null
    } finally {
      busy.value = false
    }
  }

  async function setStudentMode(mode: AiMode): Promise<void> {
    const settings = await guarded((ep) => aiApi.setStudentMode(ep, mode))
    if (settings && status.value) {
      status.value.settings = settings
      // Outside lessons the setting is the person's own mode.
      if (status.value.scope === 'practice') status.value.mode = settings.studentMode
    }
  }

  async function useOllama(model: string | null): Promise<void> {
    const next = await guarded((ep) => aiApi.useOllama(ep, model))
    if (next) status.value = next
  }

  async function newChat(): Promise<void> {
    stop()
    const fresh = await guarded((ep) => aiApi.newConversation(ep))
    if (fresh) messages.value = []
  }

  async function solve(problem: string): Promise<void> {
    const ep = endpoint.value
    if (!ep || !problem.trim()) return
    solver.value.push({ id: ++localIds, input: problem.trim(), result: null, error: null, shown: 0 })
    const entry = solver.value[solver.value.length - 1] as SolverEntry
    try {
      entry.result = await aiApi.solve(ep, problem)
      entry.shown = 1
    } catch (error) {
      entry.error = error instanceof AiRequestError ? error.code : 'unexpected'
    }
  }

  function revealStep(entry: SolverEntry, all = false): void {
    const total = entry.result?.ok ? entry.result.steps.length : 0
    entry.shown = all ? total : Math.min(total, entry.shown + 1)
  }

  return {
    endpoint,
    status,
    loadError,
    messages,
    phase,
    solver,
    modeNotice,
    busy,
    open,
    close,
    refresh,
    ask,
    followUp,
    retry,
    stop,
    setStudentMode,
    useOllama,
    newChat,
    solve,
    revealStep,
    dismissModeNotice: () => (modeNotice.value = null),
  }
})

function locale(value: string | undefined): 'en' | 'zh-CN' | undefined {
  return value === 'en' || value === 'zh-CN' ? value : undefined
}
