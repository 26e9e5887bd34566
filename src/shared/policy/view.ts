import { z } from 'zod'
import { lockedSettings, PolicyProblemSchema, type EffectivePolicy } from './parse'
import type { LockableSetting } from './definition'
import { POLICY_NAMES, type PolicyName } from './schema'

/**
 * What the window learns about the school's policy (over IPC): which
 * settings are locked, who to ask, what the policy turns off, and which
 * values were ignored and why. Never a value marked secret.
 */
export const LockableSettingSchema = z.enum(['serverUrl', 'lanAccess', 'locale', 'updateMode', 'updateChannel']) satisfies z.ZodType<LockableSetting>
export const PolicyNameSchema = z.enum(POLICY_NAMES as [PolicyName, ...PolicyName[]])

export const PolicyViewSchema = z.object({
  /** Policies in force (enforced), by name. */
  enforced: z.array(PolicyNameSchema).max(POLICY_NAMES.length),
  recommended: z.array(PolicyNameSchema).max(POLICY_NAMES.length),
  lockedSettings: z.array(LockableSettingSchema).max(8),
  /** "Ask your school: …" beside locked settings and errors the school can fix. */
  adminContact: z.string().max(200).nullable(),
  /** false: the Ask AI screen is gone (AskAiOutsideLessons). */
  askAiOutsideLessons: z.boolean(),
  /** false: personal links kept on this computer are forgotten at each start (KeepStudentLinks). */
  keepStudentLinks: z.boolean(),
  /** Set when lessons may only happen on this server (ServerUrl + ServerUrlOnly). */
  onlyServer: z.string().max(2048).nullable(),
  problems: z.array(PolicyProblemSchema).max(100),
  sources: z.array(z.string().max(1024)).max(8),
})
export type PolicyView = z.infer<typeof PolicyViewSchema>

export const EMPTY_POLICY_VIEW: PolicyView = {
  enforced: [],
  recommended: [],
  lockedSettings: [],
  adminContact: null,
  askAiOutsideLessons: true,
  keepStudentLinks: true,
  onlyServer: null,
  problems: [],
  sources: [],
}

export function policyView(policy: EffectivePolicy): PolicyView {
  const { enforced } = policy
  return {
    enforced: POLICY_NAMES.filter((name) => enforced[name] !== undefined),
    recommended: POLICY_NAMES.filter((name) => policy.recommended[name] !== undefined),
    lockedSettings: lockedSettings(policy),
    adminContact: enforced.AdminContact ?? null,
    askAiOutsideLessons: enforced.AskAiOutsideLessons ?? true,
    keepStudentLinks: enforced.KeepStudentLinks ?? true,
    onlyServer: enforced.ServerUrlOnly === true && enforced.ServerUrl !== undefined ? enforced.ServerUrl : null,
    problems: policy.problems,
    sources: policy.sources,
  }
}
