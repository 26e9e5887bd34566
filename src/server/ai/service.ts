import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AiConversation, AiConversationResponse } from '../../shared/ai/conversation'
import { AI_PATH_PREFIX, MAX_AI_BODY_BYTES } from '../../shared/ai/limits'
import { PracticePassRequestSchema, type PracticePassResponse } from '../../shared/ai/practice'
import { AiProviderRequestSchema, AiSettingsRequestSchema, AskRequestSchema, type AiLessonEvent, type AiStatus } from '../../shared/ai/schema'
import { SolveRequestSchema, type SolveResult } from '../../shared/ai/solver'
import type { Logger } from '../logger'
import { MAX_HTTP_BODY_BYTES } from '../../shared/lesson/api'
import type { LessonRegistry } from '../lesson/registry'
import type { LessonAuth } from '../lesson/auth'
import type { TutorKeys } from '../lesson/tutorKeys'
import { RateLimiter } from '../http/rateLimit'
import { readJson } from '../http/body'
import { RESPONDED, type Route } from '../http/routes'
import { ActiveAnswers } from './answer'
import { handleAsk } from './ask'
import { HttpError, clientIp } from '../http/respond'
import { authenticate, personKey, requireLive, requireTutor, type AiPrincipal } from './auth'
import { AiConfigSchema, type AiConfig, type AiConfigInput } from '../../shared/ai/config'
import { currentConversation, startConversation } from './conversations'
import { AiEventHub } from './events'
import { OllamaDetector } from './ollama'
import { PASSES_PER_ADDRESS_PER_HOUR, PassIssuance, PracticePassService } from './practicePass'
import { providerFor, publicProvider, settingsOf } from './provider'
import { AddressQuota, quotaOf } from './quota'
import { AiRecords } from './records'
import type { AiLessonRecord, AiRecordStore } from './store'
import { SolverPool } from './solver/pool'
import { solveProblem } from './solver/solve'

export interface AiServiceOptions {
  registry: LessonRegistry
  auth: LessonAuth
  /** A tutor's practice pass needs the server's tutor key (the desktop app's own secret), not just a loopback address. */
  tutorKeys: TutorKeys
  logger: Logger
  now: () => number
  /** Where AI records live: the database's tables, or memory (a server without one). */
  stores: { lesson: AiRecordStore; practice: AiRecordStore }
  config: AiConfig
  /** The lesson-token secret: practice passes are signed with it too. */
  secret: Uint8Array
  /** Tests point the provider and Ollama probes at fakes. */
  fetchImpl?: typeof fetch
  /** Student records: whose personal code a device gave, and their practice (a server without a database has none). */
  students?: PracticeRecords
}

export interface PracticeRecords {
  /** The student a personal code belongs to, or null. */
  studentOf(code: string): Promise<string | null>
  /** A student asked Ask AI between lessons. */
  practiced(studentId: string): void
}

export interface AiService {
  routes: Route[]
  /**
   * Applies new AI settings at once (the desktop app's Settings): the next
   * question uses them; answers streaming now finish with the old ones.
   * Throws, changing nothing, if the config is invalid.
   */
  setConfig(input: AiConfigInput): void
  /** A lesson's conversations (both people's), for its record in the library. */
  conversations(lessonId: string): Promise<AiConversation[]>
  close(): Promise<void>
}

type Handler = (req: IncomingMessage, res: ServerResponse, who: AiPrincipal) => Promise<unknown>

/** POSTs per person per minute (questions, mode changes, solver runs), as for the rest of the API. */
const POSTS_PER_MINUTE = 60

/**
 * The AI side panel's server half: a proxy to an OpenAI-compatible model that
 * streams answers, the lesson's AI settings and transcript, school limits,
 * local Ollama detection and the offline solver. Every route needs a lesson
 * token; the provider's URL and key never leave the server.
 */
export function createAiService(opts: AiServiceOptions): AiService {
  const { logger, now, registry, tutorKeys } = opts
  let config = opts.config
  const lessonRecords = new AiRecords(opts.stores.lesson, logger)
  const practiceRecords = new AiRecords(opts.stores.practice, logger)
  let ollama = new OllamaDetector(config.ollamaUrl, now, opts.fetchImpl)
  const events = new AiEventHub()
  const active = new ActiveAnswers()
  const solver = new SolverPool()
  const limiter = new RateLimiter({ perMinute: POSTS_PER_MINUTE, now })
  const passes = new PracticePassService(opts.secret, now)
  const issuance = new PassIssuance(PASSES_PER_ADDRESS_PER_HOUR, now)
  /** Students practising are counted per address too: a cleared browser gets a new pass, not new questions. */
  const addressQuota = new AddressQuota(now)
  const practiceAllowed = (role: 'tutor' | 'student'): boolean => config.allowPractice && (role === 'tutor' || config.studentPractice)

  const recordsOf = (who: AiPrincipal): AiRecords => (who.scope === 'lesson' ? lessonRecords : practiceRecords)
  const recordOf = (who: AiPrincipal): Promise<AiLessonRecord> => recordsOf(who).get(who.scopeId)
  /** Event streams: a lesson's are shared by both people; a practice pass has its own. */
  const eventKey = (who: AiPrincipal): string => (who.scope === 'lesson' ? who.scopeId : `practice:${who.scopeId}`)
  const provider = (record: AiLessonRecord) => providerFor(config, record, ollama)
  const providerOffered = (): boolean => config.baseUrl === undefined && config.ollamaUrl !== null

  registry.onEnded((lesson) => {
    events.close(lesson.id)
    active.supersede(`lesson:${lesson.id}:tutor`)
    active.supersede(`lesson:${lesson.id}:student`)
  })

  async function status(who: AiPrincipal): Promise<AiStatus> {
    const record = await recordOf(who)
    const { settings, mode } = settingsOf(config, record, who)
    const target = provider(record)
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
    const request = await readJson(req, PracticePassRequestSchema, MAX_HTTP_BODY_BYTES)
    // Tutor passes only for the tutor's own app (it holds the server's tutor key); anyone else practises as a student.
    const role = request.role === 'tutor' && config.practiceLocalTutor && tutorKeys.required && tutorKeys.admits(req) ? 'tutor' : 'student'
    if (!practiceAllowed(role)) throw new HttpError(403, 'ai_practice_disabled', 'This server allows the AI only inside lessons')
    const verdict = issuance.take(clientIp(req))
    if (!verdict.ok) throw new HttpError(429, 'rate_limited', 'Too many practice passes from this address; try later', { retryAfterSeconds: verdict.retryAfterSeconds })
    const name = request.name ?? (role === 'tutor' ? 'Tutor' : 'Student')
    const studentId = role === 'student' && request.studentCode && opts.students ? await opts.students.studentOf(request.studentCode) : null
    const issued = await passes.issue(role, name, studentId ?? undefined)
    logger.info('AI practice pass issued', { passId: issued.claims.sub, role, studentId })
    return { pass: issued.pass, role, name, expiresAt: issued.expiresAt, studentId }
  }

  const routes: Record<string, Partial<Record<'GET' | 'POST', Handler>>> = {
    status: { GET: (_req, _res, who) => status(who) },
    events: {
      GET: async (_req, res, who) => {
        const record = await recordOf(who)
        const first: AiLessonEvent[] = [
          { type: 'settings', settings: settingsOf(config, record, who).settings },
          { type: 'provider', provider: publicProvider(config, provider(record)) },
        ]
        if (!events.open(eventKey(who), res, first)) throw new HttpError(429, 'rate_limited', 'Too many open AI panels in this lesson')
        return RESPONDED
      },
    },
    ask: {
      POST: async (req, res, who) => {
        const ask = await readJson(req, AskRequestSchema, MAX_AI_BODY_BYTES)
        if (who.scope === 'practice' && who.role === 'student') {
          const verdict = addressQuota.take(clientIp(req), config.practiceQuestionsPerAddressPerDay)
          if (!verdict.ok) throw new HttpError(429, 'ai_daily_limit', 'This network has used today’s practice questions', { retryAfterSeconds: verdict.retryAfterSeconds })
        }
        await handleAsk(res, who, ask, {
          config,
          records: recordsOf(who),
          active,
          logger,
          now,
          provider,
          fetchImpl: opts.fetchImpl,
          counted: (principal) => {
            if (principal.studentId !== null) opts.students?.practiced(principal.studentId)
          },
        })
        return RESPONDED
      },
    },
    conversation: {
      GET: async (_req, _res, who): Promise<AiConversationResponse> => ({
        conversation: currentConversation(await recordOf(who), who),
      }),
    },
    'conversation/new': {
      POST: async (_req, _res, who): Promise<AiConversationResponse> => {
        const record = await recordOf(who)
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
        const { studentMode } = await readJson(req, AiSettingsRequestSchema)
        if (config.lockMode && (who.scope === 'lesson' || who.role === 'student')) {
          throw new HttpError(403, 'ai_mode_locked', 'The server policy fixes the student mode')
        }
        const record = await recordOf(who)
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
        const choice = await readJson(req, AiProviderRequestSchema)
        if (!providerOffered()) throw new HttpError(403, 'forbidden', 'This server has its AI model set in its configuration')
        const record = await recordOf(who)
        if (choice.source === 'none') {
          record.ollama = null
        } else {
          ollama.forget()
          const models = await ollama.models()
          if (!models?.includes(choice.model)) throw new HttpError(409, 'ai_ollama_unavailable', `Local Ollama does not offer ${choice.model}`)
          record.ollama = { model: choice.model, vision: await ollama.hasVision(choice.model) }
        }
        recordsOf(who).save(record)
        events.broadcast(eventKey(who), { type: 'provider', provider: publicProvider(config, provider(record)) })
        return status(who)
      },
    },
    solve: {
      POST: async (req, _res, who): Promise<SolveResult> => {
        requireLive(who)
        const { problem } = await readJson(req, SolveRequestSchema)
        return solveProblem(solver, problem)
      },
    },
  }

  /** Every route but the pass itself: who is asking, and a per-person limit on POSTs. */
  const authorized = (handler: Handler): Route['handle'] => async (req, res) => {
    const who = await authenticate(req, { auth: opts.auth, passes, practiceAllowed })
    if (req.method === 'POST') {
      const verdict = limiter.take(personKey(who))
      if (!verdict.ok) throw new HttpError(429, 'rate_limited', 'Too many requests; slow down', { retryAfterSeconds: verdict.retryAfterSeconds })
    }
    return handler(req, res, who)
  }
  const pattern = (name: string): RegExp => new RegExp(`^${AI_PATH_PREFIX.replace(/\//g, '\\/')}${name.replace(/\//g, '\\/')}$`)

  return {
    routes: [
      { method: 'POST', pattern: pattern('practice/pass'), handle: (req) => issuePass(req) },
      ...Object.entries(routes).flatMap(([name, methods]) =>
        (Object.entries(methods) as ['GET' | 'POST', Handler][]).map(([method, handler]) => ({ method, pattern: pattern(name), handle: authorized(handler) })),
      ),
    ],
    setConfig(input) {
      const next = AiConfigSchema.parse(input)
      if (next.ollamaUrl !== config.ollamaUrl) ollama = new OllamaDetector(next.ollamaUrl, now, opts.fetchImpl)
      config = next
      logger.info('AI settings changed', { model: next.model ?? null, vision: next.vision, allowPractice: next.allowPractice, studentPractice: next.studentPractice })
    },
    async conversations(lessonId) {
      return (await lessonRecords.get(lessonId)).conversations
    },
    async close() {
      active.abortAll()
      events.close()
      await solver.close()
      await Promise.all([lessonRecords.flush(), practiceRecords.flush()])
    },
  }
}


