import { describe, expect, it, vi } from 'vitest'
import { LessonServerHost, type HostedServerHandle, type HostedServerOptions } from '../../../../../electron/main/services/LessonServerHost'
import type { AiConfigInput } from '../../../../../src/shared/ai/config'
import { createSessionServer } from '../../../../../src/server/index'
import { fakeLogger } from '../../fakes'

function setup() {
  let ai: AiConfigInput = { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKey: 'sk-1' }
  const school = { url: null as string | null }
  const updateAi = vi.fn()
  const createSessionServerFake = vi.fn(async (opts: HostedServerOptions): Promise<HostedServerHandle> => ({
    port: opts.port,
    url: `http://127.0.0.1:${opts.port}`,
    updateAi,
    close: async () => {},
  }))
  const host = new LessonServerHost({
    createSessionServer: createSessionServerFake,
    lanAddresses: () => [],
    schoolServerUrl: () => school.url,
    dataDir: '/d',
    webRoot: null,
    logger: fakeLogger(),
    aiConfig: () => ai,
    serverPolicy: () => ({ lanAccess: false, iceServers: [], recording: 'allowed' }),
    lessonRunning: () => false,
  })
  return { host, createSessionServerFake, updateAi, school, setAi: (next: AiConfigInput) => (ai = next) }
}

describe('LessonServerHost AI settings', () => {
  it('starts the embedded server with the AI config', async () => {
    const { host, createSessionServerFake } = setup()
    expect(host.aiState()).toBe('on-start')
    await host.ensure()
    expect(createSessionServerFake.mock.calls[0]?.[0].ai).toEqual({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKey: 'sk-1' })
    expect(host.aiState()).toBe('live')
  })

  it('applies a change live once running; before that it is read at start; a school server is not ours to set', async () => {
    const { host, updateAi, setAi, school, createSessionServerFake } = setup()
    setAi({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b' })
    expect(await host.applyAi()).toBe('on-start')
    expect(updateAi).not.toHaveBeenCalled()
    await host.ensure()
    expect(createSessionServerFake.mock.calls[0]?.[0].ai).toMatchObject({ model: 'qwen2.5:7b' })
    setAi({ baseUrl: 'https://api.deepseek.com/v1', model: 'deepseek-chat' })
    expect(await host.applyAi()).toBe('live')
    expect(updateAi).toHaveBeenCalledWith({ baseUrl: 'https://api.deepseek.com/v1', model: 'deepseek-chat' })
    school.url = 'https://lessons.school.example'
    expect(await host.applyAi()).toBe('school-server')
    expect(host.aiState()).toBe('school-server')
  })

  it('with the real session server: the model set in Settings shows on the AI status, and changes live', async () => {
    let ai: AiConfigInput = { baseUrl: 'https://api.openai.com/v1', model: 'first-model', ollamaUrl: null }
    const host = new LessonServerHost({
      createSessionServer: (opts) => createSessionServer({ ...opts, logger: { info() {}, warn() {}, error() {} } }),
      lanAddresses: () => [],
      schoolServerUrl: () => null,
      dataDir: null as unknown as string,
      webRoot: null,
      logger: fakeLogger(),
      port: 0,
      aiConfig: () => ai,
      serverPolicy: () => ({ lanAccess: false, iceServers: [], recording: 'allowed' }),
      lessonRunning: () => false,
    })
    try {
      const { url, tutorKey } = await host.ensure()
      const modelOf = async () => {
        const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${tutorKey}` }
        const pass = (await (await fetch(`${url}/api/ai/practice/pass`, { method: 'POST', headers, body: '{"role":"tutor"}' })).json()) as { pass: string }
        const status = (await (await fetch(`${url}/api/ai/status`, { headers: { Authorization: `Bearer ${pass.pass}` } })).json()) as { provider: { model: string } | null }
        return status.provider?.model
      }
      expect(await modelOf()).toBe('first-model')
      ai = { baseUrl: 'https://api.openai.com/v1', model: 'second-model', ollamaUrl: null }
      expect(await host.applyAi()).toBe('live')
      expect(await modelOf()).toBe('second-model')
    } finally {
      await host.close()
    }
  })
})
