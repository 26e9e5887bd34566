import { describe, expect, it } from 'vitest'
import { aiPolicyLayer } from '../../../../src/shared/policy/ai'
import { effectiveSettings, lockedSettings, mergePolicySources, parsePolicyDocument } from '../../../../src/shared/policy/parse'
import type { PolicyDefinition } from '../../../../src/shared/policy/definition'
import { POLICY, POLICY_NAMES } from '../../../../src/shared/policy/schema'
import { policyView } from '../../../../src/shared/policy/view'
import { DEFAULT_SETTINGS } from '../../../../src/shared/settings'

const SRC = '/etc/duet/policy.json'

describe('policy schema', () => {
  it('every policy has en and zh-CN text, a default, and an example its own validator accepts', () => {
    for (const name of POLICY_NAMES) {
      const p: PolicyDefinition = POLICY[name]
      for (const text of [p.title, p.description, p.defaultText]) {
        expect(text.en.length, name).toBeGreaterThan(0)
        expect(text['zh-CN'].length, name).toBeGreaterThan(0)
      }
      expect(parsePolicyDocument({ [name]: p.example }, SRC).problems, name).toEqual([])
      if (p.kind === 'enum') expect(p.options?.length, name).toBeGreaterThan(1)
      if (p.recommendable) expect(p.setting, `${name}: only settings can be recommended`).toBeDefined()
    }
  })

  it('covers what the issue names', () => {
    for (const name of ['ServerUrl', 'ServerUrlOnly', 'IceServers', 'AiBaseUrl', 'Recording', 'RecordingFolder', 'UpdateMode', 'UpdateFeedUrl', 'UpdateChannel', 'UpdateInstallWindow', 'Language', 'AdminContact', 'AskAiOutsideLessons', 'AllowLanJoin']) {
      expect(POLICY_NAMES).toContain(name)
    }
  })
})

describe('parsePolicyDocument', () => {
  it('reads enforced values at the top and recommendations under Recommended', () => {
    const parsed = parsePolicyDocument({ ServerUrl: 'https://lessons.school.example/', UpdateMode: 'manual', Recommended: { Language: 'zh-CN', UpdateChannel: 'beta' } }, SRC)
    expect(parsed).toEqual({
      source: SRC,
      enforced: { ServerUrl: 'https://lessons.school.example', UpdateMode: 'manual' },
      recommended: { Language: 'zh-CN', UpdateChannel: 'beta' },
      problems: [],
    })
  })

  it('takes registry and plist typing: DWORD 1/0 for booleans, JSON text for IceServers', () => {
    const parsed = parsePolicyDocument({ AllowLanJoin: 1, AiVision: 0, AiQuestionsPerStudentPerDay: 30, IceServers: '[{"urls":"turn:t.example:3478","username":"u","credential":"p"}]' }, SRC)
    expect(parsed.problems).toEqual([])
    expect(parsed.enforced).toEqual({ AllowLanJoin: true, AiVision: false, AiQuestionsPerStudentPerDay: 30, IceServers: [{ urls: 'turn:t.example:3478', username: 'u', credential: 'p' }] })
  })

  it('drops each broken value with a reason and keeps the rest', () => {
    const parsed = parsePolicyDocument(
      {
        ServerUrl: 'ftp://nope',
        UpdateMode: 'sometimes',
        AllowLanJoin: 'yes',
        IceServers: '[{"urls":',
        AiQuestionsPerStudentPerDay: 0,
        UpdateInstallWindow: '25:00-07:00',
        serverurl: 'https://x.example',
        Colour: 'blue',
        Recommended: { AdminContact: 'x', Language: 'fr' },
        Language: 'zh-CN',
      },
      SRC,
    )
    expect(parsed.enforced).toEqual({ Language: 'zh-CN' })
    expect(parsed.recommended).toEqual({})
    const byPolicy = Object.fromEntries(parsed.problems.map((p) => [p.policy, p.message]))
    expect(byPolicy).toEqual({
      ServerUrl: expect.stringMatching(/http:\/\/ or https:\/\/ URL; ignored$/),
      UpdateMode: expect.stringMatching(/one of: auto, manual, none/),
      AllowLanJoin: expect.stringMatching(/must be true or false .* not text "yes"/),
      IceServers: expect.stringMatching(/is not valid JSON/),
      AiQuestionsPerStudentPerDay: expect.stringMatching(/ignored$/),
      UpdateInstallWindow: expect.stringMatching(/18:00-07:00/),
      serverurl: 'unknown policy (did you mean ServerUrl?); ignored',
      Colour: 'unknown policy; ignored',
      AdminContact: 'can only be enforced, not recommended; ignored',
      Language: expect.stringMatching(/one of: en, zh-CN/),
    })
    expect(parsed.problems.every((p) => p.source === SRC)).toBe(true)
  })

  it('never repeats a secret in a message', () => {
    const parsed = parsePolicyDocument({ AiApiKey: 123456789 }, SRC)
    expect(parsed.problems[0]?.message).not.toContain('123456789')
  })

  it('keeps the older policy.json format ({ "ai": { … } }) working', () => {
    const parsed = parsePolicyDocument({ ai: { baseUrl: 'https://llm.school.example/v1', model: 'qwen', allowPractice: false, ollamaUrl: null, lockmode: true } }, SRC)
    expect(parsed.enforced).toEqual({ AiBaseUrl: 'https://llm.school.example/v1', AiModel: 'qwen', AskAiOutsideLessons: false, AiOllamaUrl: null })
    expect(parsed.problems).toEqual([{ source: SRC, policy: 'ai.lockmode', message: 'unknown ai setting; ignored' }])
    expect(aiPolicyLayer(parsed.enforced)).toEqual({ baseUrl: 'https://llm.school.example/v1', model: 'qwen', allowPractice: false, ollamaUrl: null })
  })

  it('a document that is not an object is ignored as a whole, said once', () => {
    for (const raw of [[1, 2], 'text', null, 7]) {
      const parsed = parsePolicyDocument(raw, SRC)
      expect(parsed.enforced).toEqual({})
      expect(parsed.problems).toEqual([{ source: SRC, policy: null, message: expect.stringMatching(/must be an object/) }])
    }
  })
})

describe('mergePolicySources and settings', () => {
  const hklm = parsePolicyDocument({ UpdateMode: 'none', AdminContact: 'IT desk, ext 1234' }, 'HKLM')
  const hkcu = parsePolicyDocument({ UpdateMode: 'auto', Language: 'en', Recommended: { UpdateChannel: 'beta' } }, 'HKCU')
  const file = parsePolicyDocument({ ServerUrl: 'https://lessons.school.example', ServerUrlOnly: true, Recommended: { UpdateChannel: 'stable', AllowLanJoin: true } }, SRC)

  it('the first source listed wins each policy (machine before user before policy.json)', () => {
    const merged = mergePolicySources([hklm, hkcu, file])
    expect(merged.enforced).toEqual({ UpdateMode: 'none', AdminContact: 'IT desk, ext 1234', Language: 'en', ServerUrl: 'https://lessons.school.example', ServerUrlOnly: true })
    expect(merged.recommended).toEqual({ UpdateChannel: 'beta', AllowLanJoin: true })
    expect(merged.sources).toEqual(['HKLM', 'HKCU', SRC])
  })

  it('ServerUrlOnly without ServerUrl is dropped with a reason', () => {
    const merged = mergePolicySources([parsePolicyDocument({ ServerUrlOnly: true }, SRC)])
    expect(merged.enforced).toEqual({})
    expect(merged.problems).toEqual([{ source: SRC, policy: 'ServerUrlOnly', message: expect.stringMatching(/needs ServerUrl/) }])
  })

  it('settings: defaults < recommended < the user < enforced; enforced ones are locked', () => {
    const merged = mergePolicySources([hklm, hkcu, file])
    const user = { locale: 'zh-CN' as const, updateChannel: 'stable' as const, displayName: 'Ms Li' }
    expect(effectiveSettings(user, merged)).toEqual({
      ...DEFAULT_SETTINGS,
      displayName: 'Ms Li',
      locale: 'en', // enforced beats the user
      serverUrl: 'https://lessons.school.example',
      updateMode: 'none',
      updateChannel: 'stable', // the user beats the recommendation
      lanAccess: true, // recommended, the user never chose
    })
    expect(lockedSettings(merged).sort()).toEqual(['locale', 'serverUrl', 'updateMode'])
  })

  it('the view for the window: names, locks, contact, what is off; never a secret value', () => {
    const merged = mergePolicySources([parsePolicyDocument({ AiApiKey: 'sk-school-secret', AskAiOutsideLessons: false, KeepStudentLinks: false, ServerUrl: 'https://s.example', ServerUrlOnly: true, AdminContact: 'Mr Wang' }, SRC)])
    const view = policyView(merged)
    expect(view).toMatchObject({ askAiOutsideLessons: false, keepStudentLinks: false, onlyServer: 'https://s.example', adminContact: 'Mr Wang', lockedSettings: ['serverUrl'] })
    expect(view.enforced).toContain('AiApiKey')
    expect(JSON.stringify(view)).not.toContain('sk-school-secret')
  })
})
