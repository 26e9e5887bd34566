import { describe, expect, it } from 'vitest'
import en from '../../../../src/renderer/i18n/en'
import zhCN from '../../../../src/renderer/i18n/zh-CN'
import { roomBanner, roomFatalKey, type RoomConnections } from '../../../../src/renderer/lesson/roomBanner'

const inCall: RoomConnections = { socketState: 'open', peerPresence: 'present', mediaState: 'connected', online: true, isTutor: true }
const key = (change: Partial<RoomConnections>) => roomBanner({ ...inCall, ...change })?.key ?? null

describe('room banner', () => {
  it('says nothing while both paths are up', () => {
    expect(key({})).toBeNull()
  })

  it('with the session server away, says the server is down and, while the video plays, that the call goes on', () => {
    expect(key({ socketState: 'reconnecting' })).toBe('room.serverLostCallContinues')
    expect(key({ socketState: 'reconnecting', mediaState: 'reconnecting' })).toBe('room.serverUnreachable')
    expect(key({ socketState: 'reconnecting', peerPresence: 'waiting', mediaState: 'connecting' })).toBe('room.serverUnreachable')
    // Offline is said only when the browser has no network and no call is flowing.
    expect(key({ socketState: 'reconnecting', mediaState: 'reconnecting', online: false })).toBe('room.selfReconnecting')
    expect(key({ socketState: 'reconnecting', online: false })).toBe('room.serverLostCallContinues')
  })

  it('the other person dropping from the server while their video plays is not "connection lost"', () => {
    expect(key({ peerPresence: 'reconnecting' })).toBe('room.peerLostServer')
    expect(roomBanner({ ...inCall, peerPresence: 'reconnecting' })?.busy).toBe(false)
    expect(key({ peerPresence: 'reconnecting', mediaState: 'reconnecting' })).toBe('room.peerReconnecting')
    expect(key({ mediaState: 'reconnecting' })).toBe('room.peerReconnecting')
  })

  it('waiting, connecting and a person who left', () => {
    expect(key({ peerPresence: 'waiting', mediaState: 'connecting' })).toBe('room.waitingForStudent')
    expect(key({ peerPresence: 'waiting', mediaState: 'idle', isTutor: false })).toBe('room.waitingForTutor')
    // A lesson started from the student's record waits for them by name ("Waiting for Wei to join…").
    expect(key({ peerPresence: 'waiting', mediaState: 'connecting', studentNamed: true })).toBe('room.waitingForNamedStudent')
    expect(key({ peerPresence: 'waiting', mediaState: 'idle', isTutor: false, studentNamed: true })).toBe('room.waitingForTutor')
    expect(key({ mediaState: 'connecting' })).toBe('room.connecting')
    expect(roomBanner({ ...inCall, peerPresence: 'left', mediaState: 'idle' })).toEqual({ key: 'room.peerLeft', busy: false })
  })
})

describe('room that cannot go on', () => {
  const text = (messages: unknown, key: string): string => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages) as string

  it('an invite that ran out before the student came: the tutor reads that the invite expired, not that the lesson ended (en, zh-CN)', () => {
    const tutorKey = roomFatalKey('invite_expired', true)
    expect(text(en, tutorKey)).toMatch(/invite expired/i)
    expect(text(en, tutorKey)).not.toMatch(/ended/i)
    expect(text(zhCN, tutorKey)).toMatch(/邀请已过期/)
    expect(text(en, roomFatalKey('invite_expired', false))).toMatch(/invite has expired/i)
    expect(text(zhCN, roomFatalKey('invite_expired', false))).toMatch(/邀请已过期/)
    expect(roomFatalKey('lesson_ended', true)).toBe('errors.lesson_ended')
  })
})
