import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  IPC_PREFIX,
  isEventName,
  isInvokeChannel,
  isHttpUrl,
  ParsedInviteSchema,
} from '../../../src/shared/ipc'

describe('IPC channel map', () => {
  it('gives every invoke channel the duet: prefix, a method name and zod request/response schemas', () => {
    const entries = Object.entries(INVOKE_CHANNELS)
    expect(entries.length).toBeGreaterThanOrEqual(7)
    for (const [channel, spec] of entries) {
      expect(channel.startsWith(IPC_PREFIX)).toBe(true)
      expect(spec.method).toMatch(/^[a-z][A-Za-z]+$/)
      expect(spec.request).toBeInstanceOf(z.ZodType)
      expect(spec.response).toBeInstanceOf(z.ZodType)
    }
  })

  it('has unique bridge method names that do not clash with on/appVersion', () => {
    const methods = Object.values(INVOKE_CHANNELS).map((s) => s.method)
    expect(new Set(methods).size).toBe(methods.length)
    expect(methods).not.toContain('on')
    expect(methods).not.toContain('appVersion')
  })

  it('contains the channels the foundation needs', () => {
    expect(Object.keys(INVOKE_CHANNELS).sort()).toEqual(
      [
        'duet:app:info',
        'duet:invite:ready',
        'duet:lesson:setActive',
        'duet:lessonServer:ensure',
        'duet:settings:get',
        'duet:settings:update',
        'duet:shell:openExternal',
      ].sort(),
    )
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
