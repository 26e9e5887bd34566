import { describe, expect, it } from 'vitest'
import { AiConfigSchema, aiFromEnv } from '../../../../src/shared/ai/config'
import { loadCliConfig } from '../../../../src/server/cliConfig'
import { resolveOptions } from '../../../../src/server/config'

describe('AI config', () => {
  it('has safe defaults: no model, hint-first, local Ollama probe', () => {
    expect(resolveOptions({}).ai).toEqual({
      vision: false,
      maxTokensPerAnswer: 1024,
      questionsPerStudentPerDay: 100,
      studentMode: 'hint-first',
      lockMode: false,
      ollamaUrl: 'http://127.0.0.1:11434',
      timeoutMs: 60_000,
      allowPractice: true,
      practiceLocalTutor: true,
      // Students practise on the school's key only when the tutor or a policy says so.
      studentPractice: false,
      practiceQuestionsPerAddressPerDay: 300,
    })
  })

  it('needs baseUrl and model together and refuses bad values and unknown keys', () => {
    expect(() => resolveOptions({ ai: { baseUrl: 'https://api.example.com/v1' } })).toThrow(/ai\.model/)
    expect(AiConfigSchema.safeParse({ baseUrl: 'ftp://x', model: 'm' }).success).toBe(false)
    expect(AiConfigSchema.safeParse({ maxTokensPerAnswer: 0 }).success).toBe(false)
    expect(AiConfigSchema.safeParse({ studentMode: 'lazy' }).success).toBe(false)
    expect(AiConfigSchema.safeParse({ apikey: 'typo' }).success).toBe(false)
    expect(AiConfigSchema.parse({ baseUrl: 'https://api.example.com/v1/', model: 'm' }).baseUrl).toBe('https://api.example.com/v1')
  })

  it('reads DUET_AI_* variables', () => {
    expect(
      aiFromEnv({
        DUET_AI_BASE_URL: 'https://api.deepseek.com/v1',
        DUET_AI_API_KEY: 'sk-1',
        DUET_AI_MODEL: 'deepseek-chat',
        DUET_AI_VISION: 'true',
        DUET_AI_MAX_TOKENS: '800',
        DUET_AI_QUESTIONS_PER_DAY: '20',
        DUET_AI_STUDENT_MODE: 'direct',
        DUET_AI_LOCK_MODE: '1',
        DUET_AI_OLLAMA_URL: 'off',
        DUET_AI_TIMEOUT_MS: '',
      }),
    ).toEqual({
      baseUrl: 'https://api.deepseek.com/v1',
      apiKey: 'sk-1',
      model: 'deepseek-chat',
      vision: true,
      maxTokensPerAnswer: 800,
      questionsPerStudentPerDay: 20,
      studentMode: 'direct',
      lockMode: true,
      ollamaUrl: null,
    })
    expect(aiFromEnv({})).toBeUndefined()
  })

  it('layers file < env < flags key by key, and names a bad variable', () => {
    const result = loadCliConfig(['--ai-model', 'from-flag'], { DUET_AI_API_KEY: 'sk-env', DUET_AI_BASE_URL: 'http://127.0.0.1:8000/v1' })
    expect(result).toEqual({ kind: 'ok', config: { ai: { apiKey: 'sk-env', baseUrl: 'http://127.0.0.1:8000/v1', model: 'from-flag' } } })
    const bad = loadCliConfig([], { DUET_AI_VISION: 'maybe' })
    expect(bad.kind).toBe('error')
    expect(bad.kind === 'error' && bad.message).toMatch(/DUET_AI_\* setting \(vision\)/)
  })
})
