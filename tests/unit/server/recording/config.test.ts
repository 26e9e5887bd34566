import { describe, expect, it } from 'vitest'
import { loadCliConfig } from '../../../../src/server/cliConfig'
import { resolveOptions } from '../../../../src/server/config'
import { ClientMessageSchema, ServerMessageSchema } from '../../../../src/shared/lesson/signaling'

describe('recording policy setting', () => {
  it('defaults to allowed and is validated like the other settings', () => {
    expect(resolveOptions({}).recording).toBe('allowed')
    expect(resolveOptions({ recording: 'always' }).recording).toBe('always')
    expect(() => resolveOptions({ recording: 'sometimes' as 'always' })).toThrow(/recording/)
  })

  it('comes from --recording or DUET_RECORDING, the flag winning', () => {
    expect(loadCliConfig(['--recording', 'forbidden'], {})).toEqual({ kind: 'ok', config: { recording: 'forbidden' } })
    expect(loadCliConfig([], { DUET_RECORDING: 'always' })).toEqual({ kind: 'ok', config: { recording: 'always' } })
    expect(loadCliConfig(['--recording', 'allowed'], { DUET_RECORDING: 'always' })).toMatchObject({ config: { recording: 'allowed' } })
    const bad = loadCliConfig(['--recording', 'yes'], {})
    expect(bad.kind).toBe('error')
    expect(bad.kind === 'error' && bad.message).toMatch(/--recording/)
    expect(loadCliConfig([], { DUET_RECORDING: 'never' })).toMatchObject({ kind: 'error', message: expect.stringMatching(/DUET_RECORDING/) })
  })
})

describe('recording messages', () => {
  it('validates the client request and the server state', () => {
    expect(ClientMessageSchema.safeParse({ type: 'recording', on: true, storage: 'server' }).success).toBe(true)
    expect(ClientMessageSchema.safeParse({ type: 'recording', on: 'yes', storage: 'server' }).success).toBe(false)
    expect(ClientMessageSchema.safeParse({ type: 'recording', on: true, storage: 'cloud' }).success).toBe(false)
    const state = { on: true, startedAt: 1, by: 'tutor', policy: 'allowed', serverStorage: true }
    expect(ServerMessageSchema.safeParse({ type: 'recording-state', state }).success).toBe(true)
    expect(ServerMessageSchema.safeParse({ type: 'recording-state', state: { ...state, by: 'student' } }).success).toBe(false)
    expect(ServerMessageSchema.safeParse({ type: 'recording-refused', reason: 'forbidden', state }).success).toBe(true)
  })
})
