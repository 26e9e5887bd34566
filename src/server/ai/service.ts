import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AiConversationResponse } from '../../shared/ai/conversation'
import { AI_PATH_PREFIX, MAX_AI_BODY_BYTES } from '../../shared/ai/limits'
import { PracticePassRequestSchema, type PracticePassResponse } from '../../shared/ai/practice'
import { AiProviderRequestSchema, AiSettingsRequestSchema, AskRequestSchema, type AiLessonEvent, type AiStatus } from '../../shared/ai/schema'
import { SolveRequestSchema, type SolveResult } from '../../shared/ai/solver'
import type { Logger } from '../logger'
import { MAX_HTTP_BODY_BYTES } from '../../shared/lesson/api'
import type { LessonRegistry } from '../lesson/registry'
import { RateLimiter } from '../http/rateLimit'
import type { TokenService } from '../lesson/tokens'
import { ActiveAnswers } from './answer'
import { handleAsk } from './ask'
import { clientIp } from '../http/respond'
import { authenticate, personKey, requireLive, requireTutor, type AiPrincipal } from './auth'
import { AiConfigSchema, type AiConfig, type AiConfigInput } from '../../shared/ai/config'
import { currentConversation, startConversation } from './conversations'
import { AiEventHub } from './events'
import { AI_CORS_HEADERS, AiHttpError, readAiJson, sendAiError, sendAiJson, toAiHttpError } from './http'
import { OllamaDetector } from './ollama'
import { isLocalCaller, PASSES_PER_ADDRESS_PER_HOUR, PassIssuance, PracticePassService } from './practicePass'
import { providerFor, publicProvider, settingsOf } from './provider'
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
  /** The lesson-token secret: practice passes are signed with it too. */
  secret: Uint8Array
  /** Tests point the provider and Ollama probes at fakes. */
  fetchImpl?: typeof fetch
}

export interface AiService {
  ownsPath(pathname: string): boolean
  handleHttp(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void>
  /**
   * Applies new AI settings at once (the desktop app's Settings): the next
   * question uses them; answers streaming now finish with the old ones.
   * Throws, changing nothing, if the config is invalid.
   */
  setConfig(input: AiConfigInput): void
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
  const { logger, now, registry } = opts
  let config = opts.config
  const store = (folder: string) => (opts.dataDir === null ? memoryAiStore() : new FileAiStore(opts.dataDir, logger, folder))
  const lessonRecords = new AiRecords(store('ai'), logger)
  const practiceRecords = new AiRecords(store('ai-practice'), logger)
  let ollama = new OllamaDetector(config.ollamaUrl, now, opts.fetchImpl)
  const events = new AiEventHub()
  const active = new ActiveAnswers()
  const solver = new SolverPool()
  const limiter = new RateLimiter({ perMinute: POSTS_PER_MINUTE, now })
  const passes = new PracticePassService(opts.secret, now)
  const issuance = new PassIssuance(PASSES_PER_ADDRESS_PER_HOUR, now)

  const recordsOf = (who: AiPrincipal): AiRecords => (who.scope === 'lesson' ? lessonRecords : practiceRecords)
  const recordOf = (who: AiPrincipal) => recordsOf(who).get(who.scopeId)
  /** Event streams: a lesson's are shared by both people; a practice pass has its own. */
  const eventKey = (who: AiPrincipal): string => (who.scope === 'lesson' ? who.scopeId : `practice:${who.scopeId}`)
  const provider = (who: AiPrincipal) => providerFor(config, recordOf(who), ollama)
  const providerOffered = (): boolean => config.baseUrl === undefined && config.ollamaUrl !== null

  registry.onEnded((lesson) => {
    events.close(lesson.id)
    active.supersede(`lesson:${lesson.id}:tutor`)
    active.supersede(`lesson:${lesson.id}:student`)
  })
  // Practice records stay: the pass (and its history) outlives any lesson.
  const sweep = (): void => lessonRecords.sweep((id) => registry.get(id) !== undefined)
  sweep()
  const sweepTimer = setInterval(sweep, SWEEP_INTERVAL_MS)
  sweepTimer.unref()

  async function status(who: AiPrincipal): Promise<AiStatus> {
    const record = recordOf(who)
    const { settings, mode } = settingsOf(config, record, who)
    const target = provider(who)
    const isTutor = who.role === 'tutor'
    const models = isTutor && providerOffered() ? await ollama.models() : null
    return {
      role: who.role,
      scope: who.scope,
      provider: publicProvider(config, target),
      settings,
      mode,
      quota: isTutor ? null : quotaOf(record, config.questionsPerStudentPerDay, now()),
      maxTokensPerAnswer: config.maxTokensPerAnswer,
      ollama: models ? { models } : null,
      lessonEnded: who.ended,
    }
  }

  /** POST /api/ai/practice/pass: the one route without a token. */
  async function issuePass(req: IncomingMessage): Promise<PracticePassResponse> {
    if (!config.allowPractice) throw new AiHttpError(403, 'ai_practice_disabled', 'This server allows the AI only inside lessons')
    const request = await readAiJson(req, PracticePassRequestSchema, MAX_HTTP_BODY_BYTES)
    const verdict = issuance.take(clientIp(req))
    if (!verdict.ok) throw new AiHttpError(429, 'rate_limited', 'Too many practice passes from this address; try later', verdict.retryAfterSeconds)
    // Tutor passes only for this machine's own app; anyone else practises as a student.
    const role = request.role === 'tutor' && config.practiceLocalTutor && isLocalCaller(req) ? 'tutor' : 'student'
    const name = request.name ?? (role === 'tutor' ? 'Tutor' : 'Student')
    const issued = await passes.issue(role, name)
    logger.info('AI practice pass issued', { passId: issued.claims.sub, role })
    return { pass: issued.pass, role, name, expiresAt: issued.expiresAt }
  }

  const routes: Record<string, Partial<Record<'GET' | 'POST', Handler>>> = {
    status: { GET: (_req, _res, who) => status(who) },
    events: {
      GET: async (_req, res, who) => {
        const record = recordOf(who)
        const first: AiLessonEvent[] = [
          { type: 'settings', settings: settingsOf(config, record, who).settings },
          { type: 'provider', provider: publicProvider(config, provider(who)) },
        ]
        if (!events.open(eventKey(who), res, first)) throw new AiHttpError(429, 'rate_limited', 'Too many open AI panels in this lesson')
        return STREAMING
      },
    },
    ask: {
      POST: async (req, res, who) => {
        const ask = await readAiJson(req, AskRequestSchema, MAX_AI_BODY_BYTES)
        await handleAsk(res, who, ask, { config, records: recordsOf(who), active, logger, now, provider, fetchImpl: opts.fetchImpl })
        return STREAMING
      },
    },
    conversation: {
      GET: async (_req, _res, who): Promise<AiConversationResponse> => ({
        conversation: currentConversation(recordOf(who), who),
      }),
    },
    'conversation/new': {
      POST: async (_req, _res, who): Promise<AiConversationResponse> => {
        const record = recordOf(who)
        active.supersede(personKey(who))
        const conversation = startConversation(record, who, now())
        recordsOf(who).save(record)
        return { conversation }
      },
    },
    settings: {
      POST: async (req, _res, who) => {
        // In a lesson the tutor sets the student's mode; outside one each person sets their own.
        if (who.scope === 'lesson') requireTutor(who)
        requireLive(who)
        const { studentMode } = await readAiJson(req, AiSettingsRequestSchema, MAX_HTTP_BODY_BYTES)
        if (config.lockMode && (who.scope === 'lesson' || who.role === 'student')) {
          throw new AiHttpError(403, 'ai_mode_locked', 'The server policy fixes the student mode')
        }
        const record = recordOf(who)
        record.studentMode = studentMode
        recordsOf(who).save(record)
        const { settings } = settingsOf(config, record, who)
        events.broadcast(eventKey(who), { type: 'settings', settings })
        logger.info('AI student mode changed', { [who.scope === 'lesson' ? 'lessonId' : 'passId']: who.scopeId, studentMode })
        return settings
      },
    },
    provider: {
      POST: async (req, _res, who) => {
        requireTutor(who)
        requireLive(who)
        const choice = await readAiJson(req, AiProviderRequestSchema, MAX_HTTP_BODY_BYTES)
        if (!providerOffered()) throw new AiHttpError(403, 'forbidden', 'This server has its AI model set in its configuration')
        const record = recordOf(who)
        if (choice.source === 'none') {
          record.ollama = null
        } else {
          ollama.forget()
          const models = await ollama.models()
          if (!models?.includes(choice.model)) throw new AiHttpError(409, 'ai_ollama_unavailable', `Local Ollama does not offer ${choice.model}`)
          record.ollama = { model: choice.model, vision: await ollama.hasVision(choice.model) }
        }
        recordsOf(who).save(record)
        events.broadcast(eventKey(who), { type: 'provider', provider: publicProvider(config, provider(who)) })
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
      const name = pathname.slice(AI_PATH_PREFIX.length)
      const route = name === PASS_ROUTE ? { POST: async () => undefined } : routes[name]
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
        if (name === PASS_ROUTE) return sendAiJson(res, 200, await issuePass(req))
        const who = await authenticate(req, { tokens: opts.tokens, registry, passes, allowPractice: () => config.allowPractice })
        if (method === 'POST') {
          const verdict = limiter.take(personKey(who))
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
    setConfig(input) {
      const next = AiConfigSchema.parse(input)
      if (next.ollamaUrl !== config.ollamaUrl) ollama = new OllamaDetector(next.ollamaUrl, now, opts.fetchImpl)
      config = next
      logger.info('AI settings changed', { model: next.model ?? null, vision: next.vision, allowPractice: next.allowPractice })
    },
    async close() {
      clearInterval(sweepTimer)
      active.abortAll()
      events.close()
      await solver.close()
    },
  }
}

/** Issues practice passes; the only AI route without a token. */
const PASS_ROUTE = 'practice/pass'

/** A handler that already wrote its own (streaming) response. */
const STREAMING = Symbol('streaming')
