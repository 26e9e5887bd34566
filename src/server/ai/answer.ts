import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { AiConversation, AiMessageStatus, AiMode } from '../../shared/ai/conversation'
import type { ErrorCode } from '../../shared/errors'
import type { AiStreamEvent } from '../../shared/ai/schema'
import { sseData } from '../../shared/ai/sse'
import { pushMessage } from './conversations'
import type { StreamOutcome } from '../../node/ai/proxy'

/**
 * One answer being streamed to one person: it forwards deltas, keeps the
 * text so far, and writes the assistant message into the conversation
 * exactly once, whether the answer finished, failed, was stopped by the
 * person, or was superseded by their next question (barge-in), which needs
 * the partial answer in the history before it is sent.
 */
export class AnswerStream {
  readonly abort = new AbortController()
  /** The id the assistant message gets in the conversation, known to the client from `start`. */
  readonly messageId = randomUUID()
  private text = ''
  private finalized = false

  constructor(
    private readonly res: ServerResponse,
    private readonly conversation: AiConversation,
    private readonly mode: AiMode,
    private readonly now: () => number,
    private readonly persist: () => void,
  ) {}

  get chars(): number {
    return this.text.length
  }

  send(event: AiStreamEvent): void {
    if (!this.res.writableEnded && !this.res.destroyed) this.res.write(sseData(event))
  }

  delta(text: string): void {
    this.text += text
    this.send({ type: 'delta', text })
  }

  /** A newer question from the same person: keep what they saw, cancel the rest now. */
  supersede(): void {
    this.finalize('stopped')
    this.abort.abort()
  }

  /** Records the outcome and ends the response. Later calls do nothing. */
  finish(outcome: StreamOutcome): AiMessageStatus {
    const status = statusOf(outcome, this.text.length > 0)
    if (outcome.kind === 'done') {
      if (outcome.finishReason === 'length') this.send({ type: 'note', code: 'answer_truncated' })
      this.send({ type: 'done', finishReason: outcome.finishReason })
    } else if (outcome.kind === 'stopped') {
      this.send({ type: 'done', finishReason: 'stopped' })
    } else {
      this.send({ type: 'error', code: outcome.code, message: outcome.message, retryAfterSeconds: outcome.retryAfterSeconds })
    }
    this.finalize(status, outcome.kind === 'error' ? outcome.code : undefined)
    if (!this.res.writableEnded) this.res.end()
    return status
  }

  private finalize(status: AiMessageStatus, errorCode?: ErrorCode): void {
    if (this.finalized) return
    this.finalized = true
    pushMessage(this.conversation, { id: this.messageId, role: 'assistant', text: this.text, at: this.now(), status, errorCode, mode: this.mode })
    this.persist()
  }
}

function statusOf(outcome: StreamOutcome, hasText: boolean): AiMessageStatus {
  if (outcome.kind === 'done') return outcome.finishReason === 'length' ? 'truncated' : 'complete'
  if (outcome.kind === 'stopped') return 'stopped'
  // A stream that broke after some text is a cut answer, kept as far as it got.
  return hasText && (outcome.code === 'ai_stream_cut' || outcome.code === 'ai_bad_chunk' || outcome.code === 'ai_provider_timeout') ? 'cut' : 'error'
}

/** The answer each person is currently receiving, so a new question can supersede it. */
export class ActiveAnswers {
  private readonly answers = new Map<string, AnswerStream>()

  static key(lessonId: string, role: string): string {
    return `${lessonId}:${role}`
  }

  supersede(key: string): void {
    this.answers.get(key)?.supersede()
    this.answers.delete(key)
  }

  set(key: string, answer: AnswerStream): void {
    this.answers.set(key, answer)
  }

  release(key: string, answer: AnswerStream): void {
    if (this.answers.get(key) === answer) this.answers.delete(key)
  }

  abortAll(): void {
    for (const answer of this.answers.values()) answer.supersede()
    this.answers.clear()
  }
}
