import type { z } from 'zod'
import type { AiConfigLayerSchema } from '../ai/config'
import type { PolicyName, PolicyValues } from './schema'

/**
 * The `ai` object of the policy.json format before each AI setting was a policy of its own
 * (keeps old files working), and the field of the server's `ai` config each Ai* policy sets.
 */
export const LEGACY_AI_KEYS: Record<string, PolicyName> = {
  baseUrl: 'AiBaseUrl',
  model: 'AiModel',
  apiKey: 'AiApiKey',
  vision: 'AiVision',
  maxTokensPerAnswer: 'AiMaxTokensPerAnswer',
  questionsPerStudentPerDay: 'AiQuestionsPerStudentPerDay',
  studentMode: 'AiStudentMode',
  lockMode: 'AiLockMode',
  ollamaUrl: 'AiOllamaUrl',
  timeoutMs: 'AiTimeoutMs',
  allowPractice: 'AskAiOutsideLessons',
  practiceLocalTutor: 'AiPracticeLocalTutor',
}

export type AiPolicyLayer = z.infer<typeof AiConfigLayerSchema>

/** The Ai* policies (and AskAiOutsideLessons) as a layer of the session server's `ai` config. */
export function aiPolicyLayer(values: PolicyValues): AiPolicyLayer {
  const out: Record<string, unknown> = {}
  for (const [field, name] of Object.entries(LEGACY_AI_KEYS)) {
    if (values[name] !== undefined) out[field] = values[name]
  }
  return out as AiPolicyLayer
}
