import { describe, expect, it } from 'vitest'
import { defaultPolicyPath, PolicyService } from '../../../../../electron/main/services/PolicyService'
import { fakeLogger } from '../../fakes'

function reader(files: Record<string, string | Error>) {
  return (path: string): string => {
    const entry = files[path]
    if (entry === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' })
    if (entry instanceof Error) throw entry
    return entry
  }
}

const PATH = '/etc/duet/policy.json'

describe('PolicyService', () => {
  it('no policy file: no policy, no error', () => {
    const logger = fakeLogger()
    expect(new PolicyService({ path: PATH, readFile: reader({}), logger }).read()).toEqual({ ai: {}, error: null, path: PATH })
    expect(logger.error).not.toHaveBeenCalled()
  })

  it('reads the ai key with the server schema; other top-level keys are left to other features', () => {
    const policy = new PolicyService({
      path: PATH,
      readFile: reader({ [PATH]: JSON.stringify({ ai: { baseUrl: 'https://llm.school.example/v1/', model: 'qwen', lockMode: true, allowPractice: false }, serverUrl: 'https://x' }) }),
      logger: fakeLogger(),
    })
    expect(policy.read()).toEqual({ ai: { baseUrl: 'https://llm.school.example/v1', model: 'qwen', lockMode: true, allowPractice: false }, error: null, path: PATH })
  })

  it('bad JSON, bad values, unknown ai keys, unreadable file: ignored as a whole with a clear error, logged once', () => {
    const cases: [string | Error, RegExp][] = [
      ['{ "ai": ', /is not valid JSON/],
      [JSON.stringify({ ai: { maxTokensPerAnswer: 5 } }), /invalid: ai\.maxTokensPerAnswer/],
      [JSON.stringify({ ai: { studentMode: 'lazy' } }), /invalid: ai\.studentMode/],
      [JSON.stringify({ ai: { apikey: 'typo' } }), /invalid: ai/],
      [JSON.stringify([1, 2]), /invalid/],
      [Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }), /cannot be read: EACCES/],
    ]
    for (const [content, message] of cases) {
      const logger = fakeLogger()
      const policy = new PolicyService({ path: PATH, readFile: reader({ [PATH]: content }), logger })
      const read = policy.read()
      expect(read.ai).toEqual({})
      expect(read.error).toMatch(message)
      expect(read.error).toContain(PATH)
      policy.read()
      expect(logger.error).toHaveBeenCalledTimes(1)
    }
  })

  it('knows where each platform keeps it', () => {
    expect(defaultPolicyPath('linux', {})).toBe('/etc/duet/policy.json')
    expect(defaultPolicyPath('darwin', {})).toBe('/Library/Application Support/Duet/policy.json')
    expect(defaultPolicyPath('win32', { ProgramData: 'D:\\PD' })).toMatch(/D:\\PD[\\/]Duet[\\/]policy\.json$/)
  })
})
