import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AiConversationResponse } from '../../shared/ai/conversation'
import { AI_PATH_PREFIX, MAX_AI_BODY_BYTES } from '../../shared/ai/limits'
import { AiProviderRequestSchema, AiSettingsRequestSchema, AskRequestSchema, type AiLessonEvent, type AiStatus } from '../../shared/ai/schema'
import { SolveRequestSchema, type SolveResult } from '../../shared/ai/solver'
import type { Logger } from '../config'
import { MAX_HTTP_BODY_BYTES } from '../../shared/http-api'
import type { LessonRegistry } from '../lesson-registry'
import { RateLimiter } from '../rate-limit'
import type { TokenService } from '../tokens'
import { ActiveAnswers } from './answer'
import { handleAsk } from './ask'
import { authenticate, requireLive, requireTutor, type AiPrincipal } from './auth'
import type { AiConfig } from './config'
import { currentConversation, startConversation } from './conversations'
import { AiEventHub } from './events'
import { AI_CORS_HEADERS, AiHttpError, readAiJson, sendAiError, sendAiJson, toAiHttpError } from './http'
import { OllamaDetector } from './ollama'
import { lessonSettings, modeFor, providerFor, publicProvider } from './provider'
import { quotaOf } from './quota'
import { AiRecords } from './records'
import { FileAiStore, memoryAiStore } from './store'
import { SolverPool } from './solver/pool'
import { solveProblem } from './solver/solve'

export interface AiServiceOptions {
  registry: LessonRegistry
  tokens: TokenService
  logger: Logger
  now: () => number
  dataDir: string | null
  config: AiConfig
  /** Tests point the provider and Ollama probes at fakes. */
  fetchImpl?: typeof fetch
}

export interface AiService {
  ownsPath(pathname: string): boolean
  handleHttp(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void>
  close(): Promise<void>
}

type Handler = (req: IncomingMessage, res: ServerResponse, who: AiPrincipal) => Promise<unknown>

const SWEEP_INTERVAL_MS = 60_000
/** POSTs per person per minute (questions, mode changes, solver runs), as for the rest of the API. */
const POSTS_PER_MINUTE = 60

/**
 * The AI side panel's server half: a proxy to an OpenAI-compatible model that
 * streams answers, the lesson's AI settings and transcript, school limits,
 * local Ollama detection and the offline solver. Every route needs a lesson
 * token; the provider's URL and key never leave the server.
 */
export function createAiService(opts: AiServiceOptions): AiService {
  const { config, logger, now, registry } = opts
  const records = new AiRecords(opts.dataDir === null ? memoryAiStore() : new FileAiStore(opts.dataDir, logger), logger)
  const ollama = new OllamaDetector(config.ollamaUrl, now, opts.fetchImpl)
  const events = new AiEventHub()
  const active = new ActiveAnswers()
  const solver = new SolverPool()
  const limiter = new RateLimiter({ perMinute: POSTS_PER_MINUTE, now })

  const provider = (who: AiPrincipal) => providerFor(config, records.get(who.lesson.id), ollama)
  const providerOffered = config.baseUrl === undefined && config.ollamaUrl !== null

  registry.onEnded((lesson) => {
    events.close(lesson.id)
    active.supersede(ActiveAnswers.key(lesson.id, 'tutor'))
    active.supersede(ActiveAnswers.key(lesson.id, 'student'))
  })
  const sweep = (): void => records.sweep((id) => registry.get(id) !== undefined)
  sweep()
  const sweepTimer = setInterval(sweep, SWEEP_INTERVAL_MS)
  sweepTimer.unref()

  async function status(who: AiPrincipal): Promise<AiStatus> {
    const record = records.get(who.lesson.id)
    const settings = lessonSettings(config, record)
    const target = provider(who)
    const isTutor = who.claims.role === 'tutor'
    const models = isTutor && providerOffered ? await ollama.models() : null
    return {
      role: who.claims.role,
      provider: publicProvider(config, target),
      settings,
      mode: modeFor(who.claims.role, settings),
      quota: isTutor ? null : quotaOf(record, config.questionsPerStudentPerDay, now()),
      maxTokensPerAnswer: config.maxTokensPerAnswer,
      ollama: models ? { models } : null,
      lessonEnded: who.lesson.endedAt !== null,
    }
  }

  const routes: Record<string, Partial<Record<'GET' | 'POST', Handler>>> = {
    status: { GET: (_req, _res, who) => status(who) },
    events: {
      GET: async (_req, res, who) => {
        const record = records.get(who.lesson.id)
        const first: AiLessonEvent[] = [
          { type: 'settings', settings: lessonSettings(config, record) },
          { type: 'provider', provider: publicProvider(config, provider(who)) },
        ]
        if (!events.open(who.lesson.id, res, first)) throw new AiHttpError(429, 'rate_limited', 'Too many open AI panels in this lesson')
        return STREAMING
      },
    },
    ask: {
      POST: async (req, res, who) => {
        const ask = await readAiJson(req, AskRequestSchema, MAX_AI_BODY_BYTES)
        await handleAsk(res, who, ask, { config, records, active, logger, now, provider, fetchImpl: opts.fetchImpl })
        return STREAMING
      },
    },
    conversation: {
      GET: async (_req, _res, who): Promise<AiConversationResponse> => ({
        conversation: currentConversation(records.get(who.lesson.id), { role: who.claims.role, name: who.claims.name }),
      }),
    },
    'conversation/new': {
      POST: async (_req, _res, who): Promise<AiConversationResponse> => {
        const record = records.get(who.lesson.id)
        active.supersede(ActiveAnswers.key(who.lesson.id, who.claims.role))
        const conversation = startConversation(record, { role: who.claims.role, name: who.claims.name }, now())
        records.save(record)
        return { conversation }
      },
    },
    settings: {
      POST: async (req, _res, who) => {
        requireTutor(who)
        requireLive(who)
        const { studentMode } = await readAiJson(req, AiSettingsRequestSchema, MAX_HTTP_BODY_BYTES)
        if (config.lockMode) throw new AiHttpError(403, 'ai_mode_locked', 'The server policy fixes the student mode')
        const record = records.get(who.lesson.id)
        record.studentMode = studentMode
        records.save(record)
        const settings = lessonSettings(config, record)
        events.broadcast(who.lesson.id, { type: 'settings', settings })
        logger.info('AI student mode changed', { lessonId: who.lesson.id, studentMode })
        return settings
      },
    },
    provider: {
      POST: async (req, _res, who) => {
        requireTutor(who)
        requireLive(who)
        const choice = await readAiJson(req, AiProviderRequestSchema, MAX_HTTP_BODY_BYTES)
        if (!providerOffered) throw new AiHttpError(403, 'forbidden', 'This server has its AI model set in its configuration')
        const record = records.get(who.lesson.id)
        if (choice.source === 'none') {
          record.ollama = null
        } else {
          ollama.forget()
          const models = await ollama.models()
          if (!models?.includes(choice.model)) throw new AiHttpError(409, 'ai_ollama_unavailable', `Local Ollama does not offer ${choice.model}`)
          record.ollama = { model: choice.model, vision: await ollama.hasVision(choice.model) }
        }
        records.save(record)
        events.broadcast(who.lesson.id, { type: 'provider', provider: publicProvider(config, provider(who)) })
        return status(who)
      },
    },
    solve: {
      POST: async (req, _res, who): Promise<SolveResult> => {
        requireLive(who)
        const { problem } = await readAiJson(req, SolveRequestSchema, MAX_HTTP_BODY_BYTES)
        return solveProblem(solver, problem)
      },
    },
  }

  return {
    ownsPath: (pathname) => pathname.startsWith(AI_PATH_PREFIX),
    async handleHttp(req, res, pathname) {
      const route = routes[pathname.slice(AI_PATH_PREFIX.length)]
      const method = req.method ?? 'GET'
      if (!route) return sendAiError(res, new AiHttpError(404, 'not_found', `No AI route ${pathname}`))
      const allow = [...Object.keys(route), 'OPTIONS'].join(', ')
      if (method === 'OPTIONS') {
        res.writeHead(204, { ...AI_CORS_HEADERS, Allow: allow })
        res.end()
        return
      }
      const handler = route[method as 'GET' | 'POST']
      try {
        if (!handler) throw new AiHttpError(405, 'bad_request', `Method ${method} is not allowed on ${pathname}`)
        const who = await authenticate(req, opts.tokens, registry)
        if (method === 'POST') {
          const verdict = limiter.take(`${who.lesson.id}:${who.claims.role}`)
          if (!verdict.ok) throw new AiHttpError(429, 'rate_limited', 'Too many requests; slow down', verdict.retryAfterSeconds)
        }
        const result = await handler(req, res, who)
        if (result !== STREAMING) sendAiJson(res, 200, result)
      } catch (err) {
        const known = toAiHttpError(err)
        // Refused before reading the whole body: close rather than drain an unbounded upload.
        const close: Record<string, string> = req.complete ? {} : { Connection: 'close' }
        if (known) return sendAiError(res, known, { ...close, ...(known.status === 405 ? { Allow: allow } : {}) })
        logger.error('AI route failed', { path: pathname, error: err instanceof Error ? err.stack : String(err) })
        if (res.headersSent) res.end()
        else sendAiError(res, new AiHttpError(500, 'internal', 'Internal server error'), close)
      }
    },
    async close() {
      clearInterval(sweepTimer)
      active.abortAll()
      events.close()
      await solver.close()
    },
  }
}

/** A handler that already wrote its own (streaming) response. */
const STREAMING = Symbol('streaming')
