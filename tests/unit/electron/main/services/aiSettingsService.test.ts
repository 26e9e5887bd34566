import { describe, expect, it, vi } from 'vitest'
import { AI_SETTINGS_KEY, AiSettingsService, type SecretBox } from '../../../../../electron/main/services/AiSettingsService'
import { jsonPolicySource } from '../../../../../electron/main/policy/sources'
import { PolicyService } from '../../../../../electron/main/services/PolicyService'
import { nodeTimers } from '../../../../../electron/main/timers'
import type { KeyValueStore } from '../../../../../electron/main/services/SettingsService'
import { AiConfigSchema } from '../../../../../src/shared/ai/config'
import { fakeModelPerTest } from '../../../../support/fakeModel'
import { fakeLogger } from '../../fakes'

const KEY = 'sk-desktop-secret-0123456789'

function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>()
  return { data, get: (k) => structuredClone(data.get(k)), set: (k, v) => void data.set(k, structuredClone(v)) }
}

/** A reversible stand-in for safeStorage: the stored bytes must not contain the key. */
function fakeSecrets(available = true, backend?: string): SecretBox & { failDecrypt: boolean } {
  const box = {
    failDecrypt: false,
    isEncryptionAvailable: () => available,
    encryptString: (plain: string) => Buffer.from(`enc:${Buffer.from(plain).toString('hex').split('').reverse().join('')}`),
    decryptString: (encrypted: Buffer) => {
      if (box.failDecrypt) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString')
      const text = encrypted.toString()
      if (!text.startsWith('enc:')) throw new Error('not ours')
      return Buffer.from(text.slice(4).split('').reverse().join(''), 'hex').toString()
    },
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
  }
  return box
}

const POLICY_PATH = '/etc/duet/policy.json'

function setup(opts: { policy?: string | null; encryption?: boolean; backend?: string; platform?: NodeJS.Platform } = {}) {
  const store = memoryStore()
  const secrets = fakeSecrets(opts.encryption ?? true, opts.backend)
  const files = new Map<string, string>()
  if (opts.policy) files.set(POLICY_PATH, opts.policy)
  const source = jsonPolicySource(POLICY_PATH, {
    readFile: async (p) => {
      const text = files.get(p)
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${p}'`), { code: 'ENOENT' })
      return new TextEncoder().encode(text)
    },
    exportRegistryKey: async () => null,
    env: {},
    username: 'li',
  })
  const policy = new PolicyService({ sources: [source], logger: fakeLogger(), watchDir: () => ({ close() {} }), timers: nodeTimers })
  /** An admin edits policy.json; the app re-reads it (the watcher's job in the app). */
  const setPolicy = async (text: string) => {
    files.set(POLICY_PATH, text)
    await policy.refresh()
  }
  const apply = vi.fn(async () => 'live' as const)
  const service = new AiSettingsService({ store, secrets, policy, platform: opts.platform ?? 'linux', apply, applies: () => 'on-start', logger: fakeLogger() })
  return { store, secrets, setPolicy, service, apply }
}

const fake = fakeModelPerTest({ tokens: ['O', 'K'] })

describe('AiSettingsService', () => {
  it('saves the provider, encrypts the key, never returns it, and hands the merged config to the server', async () => {
    const { service, store, apply } = setup()
    const view = await service.update({ baseUrl: 'https://api.deepseek.com/v1/', model: 'deepseek-chat', apiKey: KEY, vision: true })
    expect(view).toEqual({
      baseUrl: 'https://api.deepseek.com/v1',
      model: 'deepseek-chat',
      vision: true,
      allowPractice: true,
      studentPractice: false,
      apiKeySet: true,
      keyStorage: 'encrypted',
      locked: [],
      policyError: null,
      osEncryption: true,
      applies: 'live',
    })
    expect(apply).toHaveBeenCalledTimes(1)
    expect(JSON.stringify(view)).not.toContain(KEY)
    expect(JSON.stringify(service.view())).not.toContain(KEY)
    // On disk: encrypted, not the key.
    expect(JSON.stringify(store.data.get(AI_SETTINGS_KEY))).not.toContain(KEY)
    expect(service.serverConfig()).toEqual({ baseUrl: 'https://api.deepseek.com/v1', model: 'deepseek-chat', apiKey: KEY, vision: true })
    expect(AiConfigSchema.safeParse(service.serverConfig()).success).toBe(true)
  })

  it('keeps the key when other fields change, removes it on null, and says when it is stored without encryption', async () => {
    const { service } = setup({ encryption: false })
    await service.update({ baseUrl: 'http://10.0.0.2:8000/v1', model: 'qwen', apiKey: KEY, allowUnencryptedKey: true })
    expect(service.view().keyStorage).toBe('plain')
    await service.update({ model: 'qwen2.5' })
    expect(service.serverConfig()).toMatchObject({ model: 'qwen2.5', apiKey: KEY })
    await service.update({ apiKey: null })
    expect(service.view()).toMatchObject({ apiKeySet: false, keyStorage: 'none' })
    expect(service.serverConfig().apiKey).toBeUndefined()
    // The tutor may keep Ask AI outside lessons off their server (and their key).
    await service.update({ allowPractice: false })
    expect(service.view().allowPractice).toBe(false)
    expect(service.serverConfig().allowPractice).toBe(false)
  })

  it('never sends the saved key to a new host: changing the address without a new key forgets it', async () => {
    const { service } = setup()
    await service.update({ baseUrl: 'https://api.deepseek.com/v1', model: 'deepseek-chat', apiKey: KEY })
    // Same host, another path: the key stays.
    await service.update({ baseUrl: 'https://api.deepseek.com/beta' })
    expect(service.serverConfig().apiKey).toBe(KEY)
    // Another host: the key is gone and Settings says none is set, so the next question cannot carry it there.
    await service.update({ baseUrl: 'https://llm.elsewhere.example/v1' })
    expect(service.view()).toMatchObject({ apiKeySet: false, keyStorage: 'none' })
    expect(service.serverConfig().apiKey).toBeUndefined()
    // A new host with its own key keeps that key.
    await service.update({ baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-for-openai-0000' })
    expect(service.serverConfig()).toMatchObject({ baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-for-openai-0000' })
  })

  it('lets students practise on the tutor’s key only when the tutor turns it on', async () => {
    const { service } = setup()
    expect(service.view().studentPractice).toBe(false)
    await service.update({ studentPractice: true })
    expect(service.view().studentPractice).toBe(true)
    expect(service.serverConfig().studentPractice).toBe(true)
  })

  it('refuses invalid values and a base URL without a model, changing nothing', async () => {
    const { service, store, apply } = setup()
    await expect(service.update({ baseUrl: 'ftp://x', model: 'm' })).rejects.toThrow(/baseUrl: must be an http/)
    await expect(service.update({ baseUrl: 'https://api.openai.com/v1' })).rejects.toThrow(/model: baseUrl and model must be set together/)
    await expect(service.update({ apiKey: 42 })).rejects.toThrow(/Invalid AI settings: apiKey/)
    await expect(service.update({ lockMode: true })).rejects.toThrow(/Invalid AI settings/)
    expect(store.data.size).toBe(0)
    expect(apply).not.toHaveBeenCalled()
  })

  it('a key that cannot be decrypted any more reads as not set (typed again), never as garbage', async () => {
    const { service, secrets } = setup()
    await service.update({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKey: KEY })
    secrets.failDecrypt = true
    expect(service.view()).toMatchObject({ apiKeySet: false, keyStorage: 'none' })
    expect(service.serverConfig().apiKey).toBeUndefined()
  })

  it('merge order defaults < user < policy; policy fields are locked and cannot be changed', async () => {
    const { service, setPolicy } = setup()
    await service.update({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKey: KEY, vision: true })
    await setPolicy(JSON.stringify({ ai: { baseUrl: 'https://llm.school.example/v1', model: 'qwen2.5-14b', apiKey: 'sk-school', questionsPerStudentPerDay: 30, lockMode: true }, updates: { channel: 'stable' } }))
    const view = service.view()
    expect(view).toMatchObject({ baseUrl: 'https://llm.school.example/v1', model: 'qwen2.5-14b', vision: true, apiKeySet: true, keyStorage: 'policy' })
    expect(view.locked.sort()).toEqual(['apiKey', 'baseUrl', 'lockMode', 'model', 'questionsPerStudentPerDay'])
    expect(service.serverConfig()).toEqual({
      baseUrl: 'https://llm.school.example/v1',
      model: 'qwen2.5-14b',
      apiKey: 'sk-school',
      vision: true, // not in the policy: the user's
      questionsPerStudentPerDay: 30,
      lockMode: true,
    })
    await expect(service.update({ model: 'gpt-4o' })).rejects.toThrow(/model is set by your school's policy/)
    await expect(service.update({ vision: false })).resolves.toMatchObject({ vision: false })
    expect(JSON.stringify(service.view())).not.toContain('sk-school')
  })

  it('a broken policy value is ignored with a clear error; the rest of the policy, the user settings and defaults stay', async () => {
    const { service, setPolicy } = setup()
    await service.update({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini' })
    await setPolicy('{ "ai": { "model": ')
    expect(service.view()).toMatchObject({ model: 'gpt-4o-mini', locked: [], policyError: expect.stringMatching(/policy\.json: is not valid JSON/) })
    await setPolicy(JSON.stringify({ ai: { model: 'qwen2.5-14b', questionsPerStudentPerDay: 0 } }))
    expect(service.view()).toMatchObject({ baseUrl: 'https://api.openai.com/v1', model: 'qwen2.5-14b', locked: ['model'], policyError: expect.stringMatching(/AiQuestionsPerStudentPerDay: .*ignored/) })
    await setPolicy(JSON.stringify({ ai: { apikey: 'typo' } }))
    expect(service.view().policyError).toMatch(/ai\.apikey: unknown ai setting; ignored/)
    expect(service.serverConfig()).toEqual({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini' })
  })

  it("Linux without a keychain (safeStorage's basic_text): refuses to keep a key unless the user agrees, then says it is unencrypted", async () => {
    const { service, store } = setup({ backend: 'basic_text' })
    expect(service.view().osEncryption).toBe(false)
    await expect(service.update({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKey: KEY })).rejects.toThrow(/no keychain to encrypt the API key/)
    expect(store.data.size).toBe(0)
    const agreed = await service.update({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKey: KEY, allowUnencryptedKey: true })
    expect(agreed).toMatchObject({ apiKeySet: true, keyStorage: 'plain' })
    expect(service.serverConfig().apiKey).toBe(KEY)
    // Other fields save without asking again; a real keychain encrypts as before.
    await expect(service.update({ vision: true })).resolves.toMatchObject({ vision: true })
    const keychain = setup({ backend: 'gnome_libsecret' })
    await expect(keychain.service.update({ baseUrl: 'https://api.openai.com/v1', model: 'm', apiKey: KEY })).resolves.toMatchObject({ keyStorage: 'encrypted' })
  })

  it('a key sealed by basic_text before this check counts as unencrypted', async () => {
    const { service, store } = setup({ backend: 'basic_text' })
    store.set(AI_SETTINGS_KEY, { baseUrl: 'https://api.openai.com/v1', model: 'm', apiKey: { encrypted: true, value: fakeSecrets().encryptString(KEY).toString('base64') } })
    expect(service.view()).toMatchObject({ apiKeySet: true, keyStorage: 'plain' })
  })

  it('tests the connection with the form values and reports provider errors', async () => {
    const { service } = setup()
    const ok = await service.testConnection({ baseUrl: fake().baseUrl, model: 'fake-model', apiKey: KEY })
    expect(ok).toMatchObject({ ok: true, model: 'fake-model', reply: 'OK' })
    expect(fake().requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
    fake().script({ status: 401, errorMessage: 'Incorrect API key provided' })
    expect(await service.testConnection({ baseUrl: fake().baseUrl, model: 'fake-model', apiKey: 'sk-wrong-key-1234' })).toMatchObject({ ok: false, code: 'ai_provider_auth' })
    expect(await service.testConnection({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm' })).toMatchObject({ ok: false, code: 'ai_provider_unreachable' })
    expect(await service.testConnection({ baseUrl: 'not a url', model: 'm' })).toMatchObject({ ok: false, code: 'invalid' })
  })

  it('sends the saved key only to the address it was saved for', async () => {
    const { service } = setup()
    await service.update({ baseUrl: fake().baseUrl, model: 'fake-model', apiKey: KEY })
    expect(await service.testConnection({ baseUrl: fake().baseUrl, model: 'fake-model' })).toMatchObject({ ok: true })
    expect(fake().requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`)
    const elsewhere = await service.testConnection({ baseUrl: 'https://attacker.example/v1', model: 'x' })
    expect(elsewhere).toMatchObject({ ok: false, code: 'key_needed' })
    expect(fake().requests).toHaveLength(1)
  })
})
