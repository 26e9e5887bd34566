import { describe, expect, it } from 'vitest'
import { roomBanner, type RoomConnections } from '../../../../src/renderer/lesson/roomBanner'

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
    expect(key({ mediaState: 'connecting' })).toBe('room.connecting')
    expect(roomBanner({ ...inCall, peerPresence: 'left', mediaState: 'idle' })).toEqual({ key: 'room.peerLeft', busy: false })
  })
})
