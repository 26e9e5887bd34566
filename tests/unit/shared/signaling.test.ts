import { describe, expect, it } from 'vitest'
import {
  ClientMessageSchema,
  MAX_WS_MESSAGE_BYTES,
  parseMessage,
  ServerMessageSchema,
  type ClientMessage,
  type ServerMessage,
} from '../../../src/shared/lesson/signaling'

const tutor = { id: 'p-tutor', name: 'Ms Li', role: 'tutor' as const }
const student = { id: 'p-student', name: 'Wei', role: 'student' as const }
const lesson = { id: 'lesson-1', tutorName: 'Ms Li', startedAt: null }
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n'

const clientMessages: ClientMessage[] = [
  { type: 'hello', token: 'eyJhbGciOi.payload.sig' },
  { type: 'signal', data: { kind: 'description', description: { type: 'offer', sdp: SDP } } },
  { type: 'signal', data: { kind: 'description', description: { type: 'rollback' } } },
  {
    type: 'signal',
    data: {
      kind: 'candidate',
      candidate: { candidate: 'candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' },
    },
  },
  { type: 'signal', data: { kind: 'candidate', candidate: null } },
  { type: 'media-state', state: { audio: true, video: false, screen: true } },
  { type: 'media-state', state: { audio: true, video: true, screen: false, cameraView: { width: 368, height: 276 } } },
  { type: 'link-report', report: { quality: 'poor', lossPct: 19.5, rttMs: 160, sendKbps: 240, action: 'video-lowered' } },
  { type: 'link-report', report: { quality: 'unknown', lossPct: null, rttMs: null, sendKbps: null, action: 'none' } },
  { type: 'leave' },
  { type: 'end-lesson' },
  { type: 'ping', t: 123.5 },
  { type: 'recording', on: true, storage: 'server' },
  { type: 'chat-send', clientId: 'c-1', draft: { kind: 'text', text: 'What is $x^2$?' } },
  { type: 'chat-send', clientId: 'c-2', draft: { kind: 'file', fileId: 'a'.repeat(64), text: 'my homework' } },
  { type: 'chat-typing', typing: true },
  { type: 'chat-read', seq: 3 },
]

const chatMessage = { id: '6f1c2a4e-8d1b-4c7a-9e2f-0a1b2c3d4e5f', seq: 1, at: 1000, from: tutor, text: 'Hi **there**' }

const serverMessages: ServerMessage[] = [
  {
    type: 'welcome',
    self: student,
    peer: tutor,
    peerMedia: { audio: true, video: true, screen: false },
    lesson,
    iceServers: [{ urls: 'stun:stun.l.google.com:19302' }, { urls: ['turn:turn.school.edu:3478?transport=udp'], username: 'u', credential: 'c' }],
    iceTransportPolicy: 'relay',
    mediaTuning: false,
  },
  { type: 'welcome', self: tutor, peer: null, peerMedia: null, lesson, iceServers: [] },
  { type: 'peer-link', peerId: 'p-student', report: { quality: 'fair', lossPct: 3, rttMs: 90, sendKbps: 1800, action: 'none' } },
  { type: 'peer-joined', peer: student, lesson: { ...lesson, startedAt: 1_700_000_000_000 } },
  { type: 'peer-left', peerId: 'p-student', reason: 'left' },
  { type: 'peer-left', peerId: 'p-student', reason: 'disconnected' },
  { type: 'signal', from: 'p-tutor', data: { kind: 'description', description: { type: 'answer', sdp: SDP } } },
  { type: 'peer-media-state', peerId: 'p-tutor', state: { audio: false, video: true, screen: false } },
  {
    type: 'lesson-ended',
    summary: {
      lessonId: 'lesson-1',
      tutorName: 'Ms Li',
      startedAt: 1000,
      endedAt: 61_000,
      durationMs: 60_000,
      attendance: [
        { ...tutor, joinedAt: 500, leftAt: null },
        { ...student, joinedAt: 1000, leftAt: 61_000 },
      ],
      endedBy: 'tutor',
    },
  },
  { type: 'pong', t: 42 },
  { type: 'recording-state', state: { on: true, startedAt: 5, by: 'tutor', policy: 'allowed', serverStorage: false } },
  { type: 'recording-refused', reason: 'no-storage', state: { on: false, startedAt: null, by: null, policy: 'allowed', serverStorage: false } },
  { type: 'error', code: 'lesson_full', message: 'Lesson is full', fatal: true },
  { type: 'chat-history', reset: true, messages: [chatMessage], unread: 1, readSeq: 0 },
  { type: 'chat-message', message: chatMessage, clientId: 'c-1' },
  { type: 'chat-typing', from: 'p-tutor', typing: false },
  { type: 'chat-refused', clientId: 'c-1', code: 'rate_limited', message: 'Too many messages', retryAfterSeconds: 3 },
]

describe('parseMessage', () => {
  it.each(clientMessages.map((m) => [m.type, m]))('accepts a valid client %s message', (_type, message) => {
    expect(parseMessage(ClientMessageSchema, JSON.stringify(message))).toEqual({ ok: true, value: message })
  })

  it.each(serverMessages.map((m) => [m.type, m]))('accepts a valid server %s message', (_type, message) => {
    expect(parseMessage(ServerMessageSchema, JSON.stringify(message))).toEqual({ ok: true, value: message })
  })

  it('covers every message type of both schemas', () => {
    const clientTypes = ClientMessageSchema.options.map((o) => o.shape.type.value).sort()
    const serverTypes = ServerMessageSchema.options.map((o) => o.shape.type.value).sort()
    expect([...new Set(clientMessages.map((m) => m.type))].sort()).toEqual(clientTypes)
    expect([...new Set(serverMessages.map((m) => m.type))].sort()).toEqual(serverTypes)
  })

  it('fills in defaults (screen: false)', () => {
    expect(parseMessage(ClientMessageSchema, JSON.stringify({ type: 'media-state', state: { audio: true, video: true } }))).toEqual({
      ok: true,
      value: { type: 'media-state', state: { audio: true, video: true, screen: false } },
    })
  })

  it.each([['not json'], ['{'], [''], ["{'type':'leave'}"], ['undefined']])('reports "not JSON" for %j', (raw) => {
    expect(parseMessage(ClientMessageSchema, raw)).toEqual({ ok: false, error: 'not JSON' })
  })

  it('refuses a frame larger than MAX_WS_MESSAGE_BYTES before parsing it', () => {
    const big = JSON.stringify({ type: 'hello', token: 'x'.repeat(MAX_WS_MESSAGE_BYTES) })
    expect(parseMessage(ClientMessageSchema, big)).toEqual({ ok: false, error: 'message too large' })
    // Not even JSON: size is checked first.
    expect(parseMessage(ClientMessageSchema, '{'.repeat(MAX_WS_MESSAGE_BYTES + 1))).toEqual({ ok: false, error: 'message too large' })
    // Exactly at the limit is parsed (and here fails only on the schema).
    const atLimit = JSON.stringify({ type: 'ping', t: 1, pad: '' })
    const padded = atLimit.replace('"pad":""', `"pad":"${'p'.repeat(MAX_WS_MESSAGE_BYTES - atLimit.length)}"`)
    expect(padded.length).toBe(MAX_WS_MESSAGE_BYTES)
    expect(parseMessage(ClientMessageSchema, padded)).toEqual({ ok: true, value: { type: 'ping', t: 1 } })
  })

  it.each([
    [{ width: 0, height: 180 }],
    [{ width: 320.5, height: 180 }],
    [{ width: 320, height: 1e9 }],
    [{ width: '320', height: 180 }],
    [{ width: 320 }],
  ])('refuses a camera view that is not a sane box in whole pixels: %j', (cameraView) => {
    const result = parseMessage(ClientMessageSchema, JSON.stringify({ type: 'media-state', state: { audio: true, video: true, cameraView } }))
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatch(/^state\.cameraView/)
  })

  it.each([
    [{ quality: 'awful', lossPct: 1, rttMs: 1, sendKbps: 1, action: 'none' }, /^report\.quality/],
    [{ quality: 'good', lossPct: 120, rttMs: 1, sendKbps: 1, action: 'none' }, /^report\.lossPct/],
    [{ quality: 'good', lossPct: 1, rttMs: 1.5, sendKbps: 1, action: 'none' }, /^report\.rttMs/],
    [{ quality: 'good', lossPct: 1, rttMs: 1, sendKbps: -1, action: 'none' }, /^report\.sendKbps/],
    [{ quality: 'good', lossPct: 1, rttMs: 1, sendKbps: 1, action: 'reboot' }, /^report\.action/],
    [{ quality: 'good', lossPct: 1, rttMs: 1, sendKbps: 1 }, /^report\.action/],
  ])('refuses a link report that is not sane: %j', (report, error) => {
    const result = parseMessage(ClientMessageSchema, JSON.stringify({ type: 'link-report', report }))
    expect(result.ok === false && result.error).toMatch(error)
  })

  it('names the field path of a schema error', () => {
    const nested = parseMessage(ClientMessageSchema, JSON.stringify({ type: 'media-state', state: { audio: 'yes', video: true } }))
    expect(nested.ok).toBe(false)
    if (!nested.ok) expect(nested.error).toMatch(/^state\.audio: /)

    const deep = parseMessage(
      ClientMessageSchema,
      JSON.stringify({ type: 'signal', data: { kind: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: -1 } } }),
    )
    expect(deep.ok).toBe(false)
    if (!deep.ok) expect(deep.error).toMatch(/^data\.candidate\.sdpMLineIndex: /)

    const welcome = parseMessage(ServerMessageSchema, JSON.stringify({ ...serverMessages[0], iceServers: [{ urls: 'http://evil' }] }))
    expect(welcome.ok).toBe(false)
    if (!welcome.ok) expect(welcome.error).toMatch(/^iceServers\.0\.urls/)
    const policy = parseMessage(ServerMessageSchema, JSON.stringify({ ...serverMessages[0], iceTransportPolicy: 'none' }))
    expect(policy.ok === false && policy.error).toMatch(/^iceTransportPolicy/)

    const token = parseMessage(ClientMessageSchema, JSON.stringify({ type: 'hello', token: '' }))
    expect(token.ok).toBe(false)
    if (!token.ok) expect(token.error).toMatch(/^token: /)
  })

  it('reports an unknown type and a non-object at the message level', () => {
    const unknown = parseMessage(ClientMessageSchema, JSON.stringify({ type: 'shutdown' }))
    expect(unknown.ok).toBe(false)
    if (!unknown.ok) expect(unknown.error).toMatch(/^type: /)

    for (const raw of ['null', '42', '"hello"', '[]']) {
      const result = parseMessage(ClientMessageSchema, raw)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.error).toMatch(/^message: /)
    }
  })

  it('does not accept server messages as client messages or vice versa', () => {
    expect(parseMessage(ClientMessageSchema, JSON.stringify({ type: 'pong', t: 1 })).ok).toBe(false)
    expect(parseMessage(ServerMessageSchema, JSON.stringify({ type: 'hello', token: 't' })).ok).toBe(false)
  })

  it('rejects an error message with an unknown code', () => {
    expect(parseMessage(ServerMessageSchema, JSON.stringify({ type: 'error', code: 'teapot', message: 'x', fatal: false }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^code: /),
    })
  })
})
