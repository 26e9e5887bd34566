import type { z } from 'zod'
import type { AiConfigLayerSchema } from '../ai/config'
import { LEGACY_AI_KEYS, type PolicyValues } from './schema'

export type AiPolicyLayer = z.infer<typeof AiConfigLayerSchema>

/** The Ai* policies (and AskAiOutsideLessons) as a layer of the session server's `ai` config. */
export function aiPolicyLayer(values: PolicyValues): AiPolicyLayer {
  const out: Record<string, unknown> = {}
  for (const [field, name] of Object.entries(LEGACY_AI_KEYS)) {
    if (values[name] !== undefined) out[field] = values[name]
  }
  return out as AiPolicyLayer
}
