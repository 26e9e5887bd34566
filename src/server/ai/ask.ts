import type { ServerResponse } from 'node:http'
import type { AiConversation } from '../../shared/ai/conversation'
import type { AskRequestSchema } from '../../shared/ai/schema'
import type { z } from 'zod'
import type { Logger } from '../logger'
import { ActiveAnswers, AnswerStream } from './answer'
import { personKey, requireLive, type AiPrincipal } from './auth'
import type { AiConfig } from '../../shared/ai/config'
import { conversationFor, lastExchange, pushMessage } from './conversations'
import { HttpError } from '../http/respond'
import { EVENT_STREAM_HEADERS } from './http'
import { checkImageDataUrl } from './image'
import { actionText, buildMessages, systemPrompt, userText } from './prompts'
import { promptRole, settingsOf } from './provider'
import { streamCompletion, type ProviderTarget } from '../../node/ai/proxy'
import { refundQuestion, takeQuestion } from './quota'
import type { AiRecords } from './records'
import type { AiLessonRecord } from './store'

export interface AskDeps {
  config: AiConfig
  records: AiRecords
  active: ActiveAnswers
  logger: Logger
  now: () => number
  provider(record: AiLessonRecord): ProviderTarget | null
  fetchImpl?: typeof fetch
  /** A question was accepted and counted (practice of a student on a roster counts in their record). */
  counted?(principal: AiPrincipal): void
}

type Ask = z.output<typeof AskRequestSchema>

/** The new turn: what the model is asked, and the history it is asked with. */
interface Turn {
  text: string
  history: AiConversation['messages']
  /** retry: the failed or stopped answer that makes way for the new one. */
  drop?: AiConversation['messages'][number]
}

/**
 * POST /api/ai/ask: checks (lesson live, model set up, limits, picture),
 * records the question, then streams the answer as text/event-stream. Errors
 * found before streaming are HTTP errors; later ones are `error` events, and
 * whatever text arrived stays in the conversation.
 */
export async function handleAsk(res: ServerResponse, principal: AiPrincipal, ask: Ask, deps: AskDeps): Promise<void> {
  requireLive(principal)
  const { config, records, now } = deps
  const lessonId = principal.scopeId
  const record = await records.get(lessonId)
  const target = deps.provider(record)
  if (!target) throw new HttpError(503, 'ai_not_configured', 'No AI model is set up on this server')
  const { role, name } = principal
  const key = personKey(principal)

  // Barge-in: the answer still streaming to this person ends here, partial text kept in the history.
  deps.active.supersede(key)

  if (ask.image) {
    const problem = checkImageDataUrl(ask.image)
    if (problem) throw new HttpError(400, 'bad_request', `image: ${problem}`)
  }
  const conversation = conversationFor(record, { role, name }, now())
  const { mode } = settingsOf(config, record, principal)
  const asRole = promptRole(principal, mode)
  const turn = prepareTurn(conversation, ask, asRole, mode)

  let charged = false
  // Students are counted in lessons and outside them (per lesson, per pass).
  if (role === 'student') {
    const verdict = takeQuestion(record, config.questionsPerStudentPerDay, now())
    if (!verdict.ok) {
      throw new HttpError(429, 'ai_daily_limit', `The limit of ${config.questionsPerStudentPerDay} questions a day is reached`, { retryAfterSeconds: verdict.retryAfterSeconds })
    }
    charged = true
  }
  if (turn.drop) conversation.messages.splice(conversation.messages.indexOf(turn.drop), 1)
  if (ask.action === 'reveal' && mode === 'hint-first') conversation.revealRequests++
  if (ask.action === 'ask') conversation.revealRequests = 0
  const imageSent = Boolean(ask.image && target.vision)
  const userMessage =
    ask.action === 'retry'
      ? lastExchange(conversation).question
      : pushMessage(conversation, {
          role: 'user',
          text: ask.action === 'ask' ? ask.question : turn.text,
          attempt: ask.action === 'ask' ? ask.attempt || undefined : undefined,
          image: ask.image ? true : undefined,
          at: now(),
          action: ask.action,
          status: 'complete',
        })
  records.save(record)
  if (role === 'student') deps.counted?.(principal)

  const messages = buildMessages({
    system: systemPrompt(asRole, mode, conversation.revealRequests),
    history: turn.history,
    text: turn.text,
    image: imageSent ? ask.image : undefined,
  })

  res.writeHead(200, EVENT_STREAM_HEADERS)
  const answer = new AnswerStream(res, conversation, mode, now, () => records.save(record))
  deps.active.set(key, answer)
  // The person stopped (Esc, Stop), closed the panel or lost the connection: cancel upstream at once.
  res.on('close', () => answer.abort.abort())
  answer.send({
    type: 'start',
    conversationId: conversation.id,
    userMessageId: userMessage?.id ?? '',
    messageId: answer.messageId,
    mode,
    model: target.model,
  })
  if (ask.image && !target.vision) answer.send({ type: 'note', code: 'image_not_sent' })

  const started = now()
  const outcome = await streamCompletion({
    target,
    messages,
    maxTokens: config.maxTokensPerAnswer,
    timeoutMs: config.timeoutMs,
    signal: answer.abort.signal,
    onDelta: (text) => answer.delta(text),
    now,
    fetchImpl: deps.fetchImpl,
  })
  // A provider failure before any text costs the student nothing.
  if (outcome.kind === 'error' && answer.chars === 0 && charged) refundQuestion(record, now())
  const status = answer.finish(outcome)
  deps.active.release(key, answer)
  deps.logger.info('AI answer', {
    [principal.scope === 'lesson' ? 'lessonId' : 'passId']: lessonId,
    role,
    model: target.model,
    action: ask.action,
    status,
    code: outcome.kind === 'error' ? outcome.code : undefined,
    chars: answer.chars,
    ms: now() - started,
  })
}

/** Works out the text sent for this action and the history before it; refuses follow-ups with nothing to follow. */
function prepareTurn(conversation: AiConversation, ask: Ask, role: AiPrincipal['role'], mode: 'hint-first' | 'direct'): Turn {
  const history = conversation.messages
  if (ask.action === 'ask') return { text: userText(ask.question, ask.attempt || undefined), history: [...history] }
  const { question, answer } = lastExchange(conversation)
  if (ask.action === 'retry') {
    if (!question) throw new HttpError(400, 'bad_request', 'There is no question to ask again')
    const before = history.slice(0, history.indexOf(question))
    return { text: userText(question.text, question.attempt), history: before, drop: answer ?? undefined }
  }
  if (!answer?.text) throw new HttpError(400, 'bad_request', 'There is no answer to follow up on yet')
  return { text: actionText(ask.action, role, mode, ask.locale), history: [...history] }
}
