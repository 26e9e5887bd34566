import type { z } from 'zod'
import { AiConversationResponseSchema, type AiConversationResponse, type AiMode } from '../../shared/ai/conversation'
import type { ErrorCode } from '../../shared/errors'
import { AiLessonSettingsSchema, AiStatusSchema, type AiLessonSettings, type AiStatus } from '../../shared/ai/schema'
import { SolveResultSchema, type SolveResult } from '../../shared/ai/solver'
import { ApiRequestError } from '../lesson/ApiRequestError'
import { apiRequest, errorFromResponse as apiErrorFromResponse } from '../lesson/apiRequest'

/** Codes the panel can show: the server's, plus what can go wrong on the way to it. */
export type AiClientErrorCode = ErrorCode | 'network' | 'unexpected'

export class AiRequestError extends Error {
  constructor(
    readonly code: AiClientErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
    this.name = 'AiRequestError'
  }
}

/** Where the AI routes are and who is asking (the lesson pass). */
export interface AiEndpoint {
  server: string
  token: string
}

const TIMEOUT_MS = 15_000

export function authHeaders(endpoint: AiEndpoint, json = false): Record<string, string> {
  return { Authorization: `Bearer ${endpoint.token}`, ...(json ? { 'Content-Type': 'application/json' } : {}) }
}

/** The app's HTTP failure as the AI panel's error. */
function asAiError(error: ApiRequestError): AiRequestError {
  return new AiRequestError(error.code, error.message, error.retryAfterSeconds)
}

/** A non-2xx response from an AI route (read as every call's is, by apiRequest's errorFromResponse) as the panel's error. */
export async function errorFromResponse(response: Response, server: string): Promise<AiRequestError> {
  return asAiError(await apiErrorFromResponse(response, server))
}

/**
 * One JSON call to the AI routes: the app's one HTTP client (apiRequest),
 * its failure told as the AI panel's error (which also names what goes wrong
 * in an answer's stream). `bearer`: the lesson or practice pass, a tutor key.
 */
export async function aiRequest<T>(server: string, method: 'GET' | 'POST', path: string, body: unknown, schema: z.ZodType<T>, bearer?: string | null): Promise<T> {
  try {
    return await apiRequest(server, method, path, body, schema, bearer, { timeoutMs: TIMEOUT_MS })
  } catch (error) {
    throw error instanceof ApiRequestError ? asAiError(error) : error
  }
}

function request<T>(endpoint: AiEndpoint, method: 'GET' | 'POST', path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
  return aiRequest(endpoint.server, method, path, body, schema, endpoint.token)
}

/** Typed client for the AI routes that answer with JSON; every reply is validated. */
export const aiApi = {
  status: (e: AiEndpoint): Promise<AiStatus> => request(e, 'GET', '/api/ai/status', undefined, AiStatusSchema),
  conversation: (e: AiEndpoint): Promise<AiConversationResponse> => request(e, 'GET', '/api/ai/conversation', undefined, AiConversationResponseSchema),
  newConversation: (e: AiEndpoint): Promise<AiConversationResponse> => request(e, 'POST', '/api/ai/conversation/new', {}, AiConversationResponseSchema),
  setStudentMode: (e: AiEndpoint, studentMode: AiMode): Promise<AiLessonSettings> => request(e, 'POST', '/api/ai/settings', { studentMode }, AiLessonSettingsSchema),
  useOllama: (e: AiEndpoint, model: string | null): Promise<AiStatus> =>
    request(e, 'POST', '/api/ai/provider', model === null ? { source: 'none' } : { source: 'ollama', model }, AiStatusSchema),
  solve: (e: AiEndpoint, problem: string): Promise<SolveResult> => request(e, 'POST', '/api/ai/solve', { problem }, SolveResultSchema),
}
