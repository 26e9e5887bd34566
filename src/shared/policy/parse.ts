import { z } from 'zod'
import { DEFAULT_SETTINGS, type Settings } from '../settings'
import {
  isPolicyName,
  POLICY,
  POLICY_NAMES,
  type PolicyName,
  type PolicyValues,
} from './schema'
import { LEGACY_AI_KEYS } from './ai'
import { RECOMMENDED_KEY, type LockableSetting, type PolicyDefinition } from './definition'

/**
 * Turning what an admin wrote (registry values, a plist, policy.json) into
 * policy values. Each value is judged on its own: a broken one is dropped
 * with a problem that says where and why, everything else still applies.
 */

export const PolicyProblemSchema = z.object({
  /** Where the value came from: a registry key, a file path. */
  source: z.string().max(1024),
  /** The policy it concerns; null for the source as a whole (unreadable, not JSON). */
  policy: z.string().max(200).nullable(),
  message: z.string().max(1000),
})
export type PolicyProblem = z.infer<typeof PolicyProblemSchema>

/** One source's values: enforced (locked) and recommended (a starting value the user may change). */
export interface PolicyLayer {
  enforced: PolicyValues
  recommended: PolicyValues
}

export interface ParsedPolicySource extends PolicyLayer {
  source: string
  problems: PolicyProblem[]
}

/** All sources merged: what is in force on this computer. */
export interface EffectivePolicy extends PolicyLayer {
  problems: PolicyProblem[]
  /** Sources that set at least one policy, strongest first. */
  sources: string[]
}

export const NO_POLICY: EffectivePolicy = { enforced: {}, recommended: {}, problems: [], sources: [] }

const MAX_PROBLEMS = 100

type Coerced = { ok: true; value: unknown } | { ok: false; reason: string }

/**
 * Registry and plist values arrive typed by the platform (REG_DWORD numbers,
 * plist booleans, strings); this maps them onto the policy's kind before the
 * schema judges the value. Booleans take 1/0 because the registry has no
 * boolean; json takes the JSON text because REG_SZ is the only way to write it.
 */
export function coercePolicyValue(definition: PolicyDefinition, raw: unknown): Coerced {
  // A secret's value is never repeated in a message, not even a wrong one.
  const describeRaw = definition.secret ? () => 'a value of another type' : describeValue
  switch (definition.kind) {
    case 'boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw }
      if (raw === 0 || raw === 1) return { ok: true, value: raw === 1 }
      return { ok: false, reason: `must be true or false (a REG_DWORD of 1 or 0), not ${describeRaw(raw)}` }
    case 'integer':
      if (typeof raw === 'number' && Number.isInteger(raw)) return { ok: true, value: raw }
      return { ok: false, reason: `must be a whole number (a REG_DWORD), not ${describeRaw(raw)}` }
    case 'string':
    case 'enum':
      if (typeof raw === 'string') return { ok: true, value: raw }
      return { ok: false, reason: `must be text (a REG_SZ), not ${describeRaw(raw)}` }
    case 'json':
      if (typeof raw !== 'string') return { ok: true, value: raw }
      try {
        return { ok: true, value: JSON.parse(raw) as unknown }
      } catch (error) {
        return { ok: false, reason: `is not valid JSON (${error instanceof Error ? error.message : String(error)})` }
      }
  }
}

function describeValue(raw: unknown): string {
  if (raw === null) return 'null'
  if (Array.isArray(raw)) return 'a list'
  if (typeof raw === 'string') return `text "${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}"`
  if (typeof raw === 'number') return `the number ${raw}`
  return typeof raw === 'object' ? 'an object' : typeof raw
}

/** One policy value, judged: the value to use or why it is ignored. */
export function parsePolicyValue(name: PolicyName, raw: unknown): Coerced {
  const definition: PolicyDefinition = POLICY[name]
  const coerced = coercePolicyValue(definition, raw)
  if (!coerced.ok) return coerced
  const parsed = definition.value.safeParse(coerced.value)
  if (parsed.success) return { ok: true, value: parsed.data }
  if (definition.options) {
    const shown = definition.secret ? 'another value' : describeValue(coerced.value)
    return { ok: false, reason: `must be one of: ${definition.options.map((o) => o.value).join(', ')}, not ${shown}` }
  }
  // The policy is named beside the message already; only a place inside the value (IceServers.0.urls) is added.
  const first = parsed.error.issues[0]
  const where = first && first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : ''
  return { ok: false, reason: `${where}${first?.message ?? 'invalid value'}` }
}

/** A name that is ours but spelled with other capitals ("serverurl") gets a hint. */
function unknownKeyMessage(key: string): string {
  const near = POLICY_NAMES.find((name) => name.toLowerCase() === key.toLowerCase())
  return near ? `unknown policy (did you mean ${near}?); ignored` : 'unknown policy; ignored'
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Reads one source's document: top-level keys are enforced, the
 * `Recommended` object holds recommendations, and the older `ai` object of
 * policy.json still works (each of its keys is the Ai* policy of that name).
 */
export function parsePolicyDocument(raw: unknown, source: string): ParsedPolicySource {
  const out: ParsedPolicySource = { source, enforced: {}, recommended: {}, problems: [] }
  const problem = (policy: string | null, message: string): void => {
    if (out.problems.length < MAX_PROBLEMS) out.problems.push({ source, policy, message })
  }
  if (!isRecord(raw)) {
    problem(null, 'must be an object of policy names and values; the whole source is ignored')
    return out
  }
  const take = (target: PolicyValues, name: string, value: unknown, recommended: boolean): void => {
    if (!isPolicyName(name)) return problem(name, unknownKeyMessage(name))
    if (recommended && !POLICY[name].recommendable) return problem(name, 'can only be enforced, not recommended; ignored')
    const parsed = parsePolicyValue(name, value)
    if (!parsed.ok) return problem(name, `${parsed.reason}; ignored`)
    Object.assign(target, { [name]: parsed.value })
  }
  for (const [key, value] of Object.entries(raw)) {
    if (key === RECOMMENDED_KEY) {
      if (!isRecord(value)) {
        problem(RECOMMENDED_KEY, 'must be an object of policy names and values; ignored')
        continue
      }
      for (const [name, inner] of Object.entries(value)) take(out.recommended, name, inner, true)
    } else if (key === 'ai' && isRecord(value)) {
      for (const [field, inner] of Object.entries(value)) {
        const name = LEGACY_AI_KEYS[field]
        if (!name) problem(`ai.${field}`, 'unknown ai setting; ignored')
        // The old format wrote "no Ollama search" as null.
        else take(out.enforced, name, name === 'AiOllamaUrl' && inner === null ? 'off' : inner, false)
      }
    } else {
      take(out.enforced, key, value, false)
    }
  }
  return out
}

/**
 * Merges sources listed strongest first: for each policy the first source
 * that sets it wins (machine before user, managed store before policy.json).
 * Then the rules between policies: ServerUrlOnly means nothing without ServerUrl.
 */
export function mergePolicySources(sources: readonly ParsedPolicySource[], extraProblems: readonly PolicyProblem[] = []): EffectivePolicy {
  const enforced: PolicyValues = {}
  const recommended: PolicyValues = {}
  for (const layer of [...sources].reverse()) {
    Object.assign(enforced, layer.enforced)
    Object.assign(recommended, layer.recommended)
  }
  const problems = [...extraProblems, ...sources.flatMap((s) => s.problems)].slice(0, MAX_PROBLEMS)
  if (enforced.ServerUrlOnly === true && enforced.ServerUrl === undefined) {
    delete enforced.ServerUrlOnly
    const from = sources.find((s) => s.enforced.ServerUrlOnly !== undefined)?.source ?? ''
    problems.push({ source: from, policy: 'ServerUrlOnly', message: 'needs ServerUrl (the one server to use); ignored' })
  }
  const used = sources.filter((s) => Object.keys(s.enforced).length + Object.keys(s.recommended).length > 0).map((s) => s.source)
  return { enforced, recommended, problems, sources: used }
}

/** Which policy sets each lockable setting. */
export const SETTING_POLICIES: Record<LockableSetting, PolicyName> = Object.fromEntries(
  POLICY_NAMES.flatMap((name) => {
    const setting = (POLICY[name] as PolicyDefinition).setting
    return setting ? [[setting, name]] : []
  }),
) as Record<LockableSetting, PolicyName>

/** The settings an enforced policy locks. */
export function lockedSettings(policy: PolicyLayer): LockableSetting[] {
  return (Object.keys(SETTING_POLICIES) as LockableSetting[]).filter((setting) => policy.enforced[SETTING_POLICIES[setting]] !== undefined)
}

/** The values a policy layer gives settings (recommended or enforced). */
function settingsFrom(values: PolicyValues): Partial<Settings> {
  const out: Partial<Settings> = {}
  for (const [setting, name] of Object.entries(SETTING_POLICIES) as [LockableSetting, PolicyName][]) {
    const value = values[name]
    if (value !== undefined) Object.assign(out, { [setting]: value })
  }
  return out
}

/** What the app uses: defaults < recommended < the user's own choices < enforced. */
export function effectiveSettings(user: Partial<Settings>, policy: PolicyLayer): Settings {
  return { ...structuredClone(DEFAULT_SETTINGS), ...settingsFrom(policy.recommended), ...user, ...settingsFrom(policy.enforced) }
}
