import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  BRIDGE_GROUPS,
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  IPC_PREFIX,
  isEventName,
  isInvokeChannel,
  isHttpUrl,
  ParsedInviteSchema,
} from '../../../src/shared/ipc'

/** Recording and the lesson library (tests/unit/electron/main/ipc/recordingIpc.test.ts covers their schemas). */
const RECORDING_CHANNELS = [
  'duet:recording:open',
  'duet:recording:write',
  'duet:recording:thumbnail',
  'duet:recording:close',
  'duet:library:saveMeta',
  'duet:library:addMarker',
  'duet:library:addFile',
  'duet:library:list',
  'duet:library:rename',
  'duet:library:delete',
  'duet:library:reveal',
  'duet:library:export',
]

describe('IPC channel map', () => {
  it('gives every invoke channel the duet: prefix, a bridge group and method name and zod request/response schemas', () => {
    const entries = Object.entries(INVOKE_CHANNELS)
    expect(entries.length).toBeGreaterThanOrEqual(7)
    for (const [channel, spec] of entries) {
      expect(channel.startsWith(IPC_PREFIX)).toBe(true)
      expect(BRIDGE_GROUPS).toContain(spec.group)
      expect(spec.method).toMatch(/^[a-z][A-Za-z]+$/)
      expect(spec.request).toBeInstanceOf(z.ZodType)
      expect(spec.response).toBeInstanceOf(z.ZodType)
    }
  })

  it('has unique method names within each bridge group, and groups that do not clash with on/appVersion', () => {
    const names = Object.values(INVOKE_CHANNELS).map((s) => `${s.group}.${s.method}`)
    expect(new Set(names).size).toBe(names.length)
    expect(BRIDGE_GROUPS).not.toContain('on')
    expect(BRIDGE_GROUPS).not.toContain('appVersion')
    for (const group of BRIDGE_GROUPS) expect(Object.values(INVOKE_CHANNELS).some((s) => s.group === group), group).toBe(true)
  })

  it('contains the foundation channels plus screen sharing, permissions, recording, AI, policy and updates', () => {
    expect(Object.keys(INVOKE_CHANNELS).sort()).toEqual(
      [
        'duet:app:info',
        'duet:invite:ready',
        'duet:lesson:setActive',
        'duet:lessonServer:ensure',
        'duet:settings:get',
        'duet:settings:update',
        'duet:shell:openExternal',
        'duet:screenPicker:answer',
        'duet:screenPicker:refresh',
        'duet:sharingBar:set',
        'duet:permissions:get',
        'duet:permissions:openSettings',
        ...RECORDING_CHANNELS,
        'duet:aiSettings:get',
        'duet:aiSettings:update',
        'duet:notifications:show',
        'duet:aiSettings:test',
        'duet:policy:get',
        'duet:update:status',
        'duet:update:check',
        'duet:update:download',
        'duet:update:install',
      ].sort(),
    )
    expect(Object.keys(EVENT_CHANNELS).sort()).toEqual(['invite', 'policy:changed', 'screenPicker:request', 'settings:changed', 'sharing:stopRequested', 'update:status'])
    expect(EVENT_CHANNELS['screenPicker:request'].channel).toBe('duet:screenPicker:request')
    expect(EVENT_CHANNELS['sharing:stopRequested'].channel).toBe('duet:sharing:stopRequested')
  })

  it('names the bridge methods the Host uses', () => {
    const at = (channel: keyof typeof INVOKE_CHANNELS) => `${INVOKE_CHANNELS[channel].group}.${INVOKE_CHANNELS[channel].method}`
    expect(at('duet:screenPicker:answer')).toBe('screen.answerPicker')
    expect(at('duet:screenPicker:refresh')).toBe('screen.refreshSources')
    expect(at('duet:sharingBar:set')).toBe('screen.setSharingBar')
    expect(at('duet:permissions:get')).toBe('permissions.get')
    expect(at('duet:permissions:openSettings')).toBe('permissions.openSettings')
  })

  it('validates picker answers: request id, a source id or null, an audio flag', () => {
    const schema = INVOKE_CHANNELS['duet:screenPicker:answer'].request
    expect(schema.safeParse({ requestId: 'r1', choice: null }).success).toBe(true)
    expect(schema.safeParse({ requestId: 'r1', choice: { sourceId: 'screen:1:0', withAudio: false } }).success).toBe(true)
    for (const bad of [
      { requestId: '', choice: null },
      { requestId: 'r1' },
      { requestId: 'r1', choice: { sourceId: 'screen:1:0' } },
      { requestId: 'r1', choice: { sourceId: 'x'.repeat(257), withAudio: false } },
      { requestId: 'x'.repeat(65), choice: null },
      'r1',
      undefined,
    ]) {
      expect(schema.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })

  it('takes a request id on refresh, a boolean on sharingBar:set and a known kind on openSettings', () => {
    expect(INVOKE_CHANNELS['duet:screenPicker:refresh'].request.safeParse('r1').success).toBe(true)
    expect(INVOKE_CHANNELS['duet:screenPicker:refresh'].request.safeParse('').success).toBe(false)
    expect(INVOKE_CHANNELS['duet:sharingBar:set'].request.safeParse(false).success).toBe(true)
    expect(INVOKE_CHANNELS['duet:sharingBar:set'].request.safeParse('false').success).toBe(false)
    for (const kind of ['camera', 'microphone', 'screen']) {
      expect(INVOKE_CHANNELS['duet:permissions:openSettings'].request.safeParse(kind).success).toBe(true)
    }
    expect(INVOKE_CHANNELS['duet:permissions:openSettings'].request.safeParse('location').success).toBe(false)
    expect(INVOKE_CHANNELS['duet:permissions:get'].request.safeParse(undefined).success).toBe(true)
  })

  it('validates the picker request event, sources included', () => {
    const schema = EVENT_CHANNELS['screenPicker:request'].payload
    const source = { id: 'window:42:0', name: 'Slides', kind: 'window', thumbnail: 'data:image/png;base64,AAAA', appIcon: null }
    const request = { requestId: 'r1', sources: [source], systemAudio: { supported: false, reason: 'os-unsupported' } }
    expect(schema.safeParse(request).success).toBe(true)
    expect(schema.safeParse({ ...request, sources: [{ ...source, thumbnail: 'https://evil.example/x.png' }] }).success).toBe(false)
    expect(EVENT_CHANNELS['sharing:stopRequested'].payload.safeParse({}).success).toBe(true)
  })

  it('gives every event a duet: channel and a payload schema', () => {
    for (const spec of Object.values(EVENT_CHANNELS)) {
      expect(spec.channel.startsWith(IPC_PREFIX)).toBe(true)
      expect(spec.payload).toBeInstanceOf(z.ZodType)
    }
    expect(isEventName('invite')).toBe(true)
  })

  it('recognises only declared channels and events', () => {
    expect(isInvokeChannel('duet:settings:get')).toBe(true)
    expect(isInvokeChannel('duet:settings:delete')).toBe(false)
    expect(isInvokeChannel('toString')).toBe(false)
    expect(isInvokeChannel('__proto__')).toBe(false)
    expect(isEventName('constructor')).toBe(false)
  })

  it('accepts only http(s) URLs for shell:openExternal', () => {
    const schema = INVOKE_CHANNELS['duet:shell:openExternal'].request
    expect(schema.safeParse('https://example.com/a?b=1').success).toBe(true)
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'duet://join/ABCDEFGH', 'smb://host/share', 'not a url', 42]) {
      expect(schema.safeParse(bad).success, String(bad)).toBe(false)
    }
    expect(isHttpUrl('http://127.0.0.1:47300')).toBe(true)
  })

  it('validates invites: code alphabet and http(s) server', () => {
    expect(ParsedInviteSchema.safeParse({ code: 'K7P2QXMA', server: null }).success).toBe(true)
    expect(ParsedInviteSchema.safeParse({ code: 'K7P2QXMA', server: 'https://school.example' }).success).toBe(true)
    expect(ParsedInviteSchema.safeParse({ code: 'K7P2QXM0', server: null }).success).toBe(false)
    expect(ParsedInviteSchema.safeParse({ code: 'K7P2QXMA', server: 'file:///x' }).success).toBe(false)
  })

  it('takes no argument on the getter channels and a boolean on lesson:setActive', () => {
    expect(INVOKE_CHANNELS['duet:settings:get'].request.safeParse(undefined).success).toBe(true)
    expect(INVOKE_CHANNELS['duet:settings:get'].request.safeParse({ x: 1 }).success).toBe(false)
    expect(INVOKE_CHANNELS['duet:lesson:setActive'].request.safeParse(true).success).toBe(true)
    expect(INVOKE_CHANNELS['duet:lesson:setActive'].request.safeParse('true').success).toBe(false)
  })
})
