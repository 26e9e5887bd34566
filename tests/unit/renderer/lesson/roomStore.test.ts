// @vitest-environment happy-dom
import mitt from 'mitt'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { provideHost } from '../../../../src/renderer/host/current'
import type { LessonPass } from '../../../../src/renderer/lesson/LessonPass'
import { useRoomStore } from '../../../../src/renderer/lesson/stores/roomStore'
import { LocalMedia } from '../../../../src/renderer/media/LocalMedia'
import type { MediaEngine, MediaEngineEvents, MediaEngineOptions } from '../../../../src/renderer/media/MediaEngine'
import { useDevicesStore } from '../../../../src/renderer/media/stores/devicesStore'
import { useRecordingStore } from '../../../../src/renderer/recording/stores/recordingStore'
import type { MediaEngineKind } from '../../../../src/shared/lesson/api'
import type { Participant } from '../../../../src/shared/lesson/lesson'
import { CloseCode, type ServerMessage } from '../../../../src/shared/lesson/signaling'
import { fakeHost } from '../fakeHost'
import { fakeMediaDevices } from '../fakeMedia'
import { FakeWebSocket } from './fakeWebSocket'
import { keepUnsentText, unsentKeys, unsentText } from '../../../../src/renderer/ui/unsentText'

/** The engines the room made, as spies: what the room tells its engine is what is checked here. */
const made = vi.hoisted(() => ({ engines: [] as { kind: string; options: unknown; engine: unknown }[] }))

vi.mock('../../../../src/renderer/media/createMediaEngine', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../../src/renderer/media/createMediaEngine')>()
  return {
    ...real,
    createMediaEngine: (kind: MediaEngineKind, options: MediaEngineOptions): MediaEngine => {
      // Only the built-in engine is faked; any other kind goes through the real factory (and its refusal).
      if (kind !== 'builtin') return real.createMediaEngine(kind, options)
      const engine = {
        kind,
        events: mitt<MediaEngineEvents>(),
        prepare: vi.fn(),
        peerJoined: vi.fn(),
        peerLeft: vi.fn(),
        receiveSignal: vi.fn(async () => {}),
        setLocalTrack: vi.fn(async () => {}),
        setPeerCameraView: vi.fn(),
        networkBack: vi.fn(),
        close: vi.fn(),
      }
      made.engines.push({ kind, options, engine })
      return engine
    },
  }
})

type FakeEngine = {
  [K in keyof MediaEngine]: MediaEngine[K] extends (...args: infer A) => infer R ? ReturnType<typeof vi.fn<(...args: A) => R>> : MediaEngine[K]
}

const TUTOR: Participant = { id: 'p-tutor', name: 'Ms Li', role: 'tutor' }
const STUDENT: Participant = { id: 'p-student', name: 'Wei', role: 'student' }
const LESSON = { id: 'lesson-1', tutorName: 'Ms Li', startedAt: null }

function pass(role: 'tutor' | 'student'): LessonPass {
  const self = role === 'tutor' ? TUTOR : STUDENT
  return { server: 'http://127.0.0.1:47300', lessonId: LESSON.id, token: `token-${role}`, participantId: self.id, role, selfName: self.name, tutorName: 'Ms Li', invite: null }
}

function welcome(self: Participant, peer: Participant | null, extra: Partial<Extract<ServerMessage, { type: 'welcome' }>> = {}): ServerMessage {
  return { type: 'welcome', self, peer, peerMedia: peer ? { audio: true, video: true, screen: false } : null, lesson: LESSON, iceServers: [{ urls: 'stun:stun.example.org' }], ...extra }
}

/** A room with camera and microphone open, entered with the pass; the test plays the session server. */
async function enterRoom(role: 'tutor' | 'student') {
  const host = fakeHost()
  provideHost(host.host)
  setActivePinia(createPinia())
  const media = fakeMediaDevices()
  const local = new LocalMedia({ cameraId: null, microphoneId: null, speakerId: null }, media.devices)
  await local.start(true)
  const devices = useDevicesStore()
  devices.local = local
  const room = useRoomStore()
  room.enter(pass(role))
  const server = FakeWebSocket.latest()
  return { room, host: host.host, local, server, devices }
}

/** The room let go of everything: the socket (closed by us), camera and microphone, the awake display. */
function expectRoomClosed({ room, server, host, devices }: Awaited<ReturnType<typeof enterRoom>>): void {
  expect(room.inLesson).toBe(false)
  expect(server.closedByClient).toBe(1000)
  expect(devices.local).toBeNull()
  expect(host.app.setLessonActive).toHaveBeenLastCalledWith(false)
}

function engine(index = 0): { kind: string; options: MediaEngineOptions; engine: FakeEngine } {
  const entry = made.engines[index]
  if (!entry) throw new Error(`no engine #${index}`)
  return entry as { kind: string; options: MediaEngineOptions; engine: FakeEngine }
}

beforeEach(() => {
  vi.stubGlobal('WebSocket', FakeWebSocket)
  // The tutor's app asks the server for the lesson's AI conversation when it leaves: there was none.
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ conversations: [] }), { status: 200 })))
  FakeWebSocket.reset()
  made.engines = []
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('room store', () => {
  it('says hello with its pass, then makes the engine the server chose and tells the server its media state', async () => {
    const { room, server, host } = await enterRoom('tutor')
    expect(String(server.url)).toBe('ws://127.0.0.1:47300/ws')
    expect(room.inLesson).toBe(true)
    expect(host.app.setLessonActive).toHaveBeenCalledWith(true)
    server.accept()
    expect(server.sent).toEqual([{ type: 'hello', token: 'token-tutor' }])

    server.deliver(welcome(TUTOR, null, { engine: 'builtin' }))
    expect(room.socketState).toBe('open')
    expect(room.self).toEqual(TUTOR)
    const made = engine()
    expect(made.kind).toBe('builtin')
    expect(made.options.iceServers).toEqual([{ urls: 'stun:stun.example.org' }])
    // The tutor offers (impolite); alone, the engine gets a connection ready for the student.
    expect(made.options.polite).toBe(false)
    expect(made.engine.prepare).toHaveBeenCalledTimes(1)
    expect(server.sentOfType('media-state')).toEqual([{ type: 'media-state', state: { audio: true, video: true, screen: false } }])
    expect(room.peerPresence).toBe('waiting')
  })

  it('a server from before engines were selectable (no engine in the welcome) gets the built-in engine', async () => {
    const { server } = await enterRoom('student')
    server.accept()
    server.deliver(welcome(STUDENT, TUTOR))
    expect(engine().kind).toBe('builtin')
    expect(engine().options.polite).toBe(true)
  })

  it('an engine this app does not have ends the room with a clear reason instead of a broken call', async () => {
    const inRoom = await enterRoom('student')
    inRoom.server.accept()
    inRoom.server.deliver(welcome(STUDENT, TUTOR, { engine: 'agora' }))
    expect(inRoom.room.fatal).toBe('engine_unavailable')
    expect(made.engines).toEqual([])
    expectRoomClosed(inRoom)
  })

  it('the other person arrives: the engine connects to them, their camera size and signals reach it, its signals go to the server', async () => {
    const { room, server } = await enterRoom('tutor')
    server.accept()
    server.deliver(welcome(TUTOR, null))
    const { engine: e, options } = engine()
    server.deliver({ type: 'peer-joined', peer: STUDENT, lesson: { ...LESSON, startedAt: 1000 } })
    expect(room.peer).toEqual(STUDENT)
    expect(room.peerPresence).toBe('present')
    expect(room.lesson?.startedAt).toBe(1000)
    expect(e.peerJoined).toHaveBeenCalledWith(STUDENT.id)

    server.deliver({ type: 'peer-media-state', peerId: STUDENT.id, state: { audio: false, video: true, screen: false, cameraView: { width: 320, height: 180 } } })
    expect(room.peerMedia?.audio).toBe(false)
    expect(e.setPeerCameraView).toHaveBeenLastCalledWith({ width: 320, height: 180 })

    const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0' } } as const
    server.deliver({ type: 'signal', from: STUDENT.id, data: offer })
    expect(e.receiveSignal).toHaveBeenCalledWith(offer)
    options.sendSignal({ kind: 'candidate', candidate: null })
    expect(server.sentOfType('signal')).toEqual([{ type: 'signal', data: { kind: 'candidate', candidate: null } }])

    // What the engine reports is what the room shows.
    e.events.emit('state', 'connected')
    expect(room.mediaState).toBe('connected')
  })

  it('tells a person who dropped from one who left, and gets ready for their return', async () => {
    const { room, server } = await enterRoom('tutor')
    server.accept()
    server.deliver(welcome(TUTOR, STUDENT))
    const { engine: e } = engine()
    server.deliver({ type: 'peer-left', peerId: STUDENT.id, reason: 'disconnected' })
    expect(room.peerPresence).toBe('reconnecting')
    expect(e.peerLeft).toHaveBeenLastCalledWith('disconnected')
    expect(e.prepare).not.toHaveBeenCalled()
    server.deliver({ type: 'peer-joined', peer: STUDENT, lesson: LESSON })
    server.deliver({ type: 'peer-left', peerId: STUDENT.id, reason: 'left' })
    expect(room.peerPresence).toBe('left')
    expect(e.prepare).toHaveBeenCalledTimes(1)
  })

  it('mute and camera off change the tracks and tell the server', async () => {
    const { room, server, local } = await enterRoom('student')
    server.accept()
    server.deliver(welcome(STUDENT, TUTOR))
    room.toggleMic()
    expect(local.audio?.enabled).toBe(false)
    await room.toggleCamera()
    expect(local.video).toBeNull()
    expect(engine().engine.setLocalTrack).toHaveBeenLastCalledWith('camera', null)
    expect(server.sentOfType('media-state').at(-1)).toEqual({ type: 'media-state', state: { audio: false, video: false, screen: false } })
  })

  it('a screen share is published and announced; the sharing bar’s Stop ends it', async () => {
    const { room, server, host, local } = await enterRoom('tutor')
    const stopRequested = vi.mocked(host.screen.onStopRequest).mock.calls[0]?.[0]
    server.accept()
    server.deliver(welcome(TUTOR, STUDENT))
    await room.startScreenShare()
    expect(room.sharingScreen).toBe(true)
    expect(engine().engine.setLocalTrack).toHaveBeenCalledWith('screen', local.screen)
    expect(host.screen.setSharingBar).toHaveBeenLastCalledWith(true)
    expect(server.sentOfType('media-state').at(-1)?.state.screen).toBe(true)
    stopRequested?.()
    expect(room.sharingScreen).toBe(false)
    expect(engine().engine.setLocalTrack).toHaveBeenLastCalledWith('screenAudio', null)
    expect(host.screen.setSharingBar).toHaveBeenLastCalledWith(false)
  })

  it('the recording follows the lesson socket itself', async () => {
    const { server } = await enterRoom('student')
    server.accept()
    server.deliver(welcome(STUDENT, TUTOR, { recording: { on: false, startedAt: null, by: null, policy: 'allowed', serverStorage: true } }))
    server.deliver({ type: 'recording-state', state: { on: true, startedAt: 5, by: 'tutor', policy: 'allowed', serverStorage: true } })
    expect(useRecordingStore().state.on).toBe(true)
    expect(useRecordingStore().notice).toBe('started')
  })

  it('a lesson the server refuses for good ends the room with the reason', async () => {
    const { room, server, local } = await enterRoom('student')
    server.accept()
    server.drop(CloseCode.lessonFull)
    expect(room.fatal).toBe('lesson_full')
    expect(room.inLesson).toBe(false)
    expect(local.audio).toBeNull()
  })

  it('the tutor ends the lesson: the summary comes from the server and the room closes', async () => {
    const { room, server, devices } = await enterRoom('tutor')
    server.accept()
    server.deliver(welcome(TUTOR, STUDENT))
    keepUnsentText(unsentKeys.chatLesson(LESSON.id), 'A thought never sent')
    await room.endLesson()
    expect(server.sentOfType('end-lesson')).toHaveLength(1)
    const summary = { lessonId: LESSON.id, tutorName: 'Ms Li', startedAt: 1, endedAt: 2, durationMs: 1, attendance: [], endedBy: 'tutor' as const }
    server.deliver({ type: 'lesson-ended', summary })
    expect(room.outcome).toEqual({ kind: 'ended', summary })
    // Nothing written in the lesson can be sent any more: this device keeps none of it.
    expect(unsentText(unsentKeys.chatLesson(LESSON.id))).toBe('')
    expect(engine().engine.close).toHaveBeenCalled()
    expect(devices.local).toBeNull()
  })
})

describe('room store while the session server is away', () => {
  it('keeps the call: the engine is left alone, the socket retries, and the same engine carries on when the server is back', async () => {
    vi.useFakeTimers()
    const { room, server } = await enterRoom('student')
    server.accept()
    server.deliver(welcome(STUDENT, TUTOR))
    const { engine: e } = engine()
    e.events.emit('state', 'connected')
    expect(e.peerJoined).toHaveBeenCalledTimes(1)

    server.drop()
    expect(room.socketState).toBe('reconnecting')
    expect(room.peerPresence).toBe('present')
    expect(room.mediaState).toBe('connected')
    expect(e.close).not.toHaveBeenCalled()
    expect(e.peerLeft).not.toHaveBeenCalled()

    // Still away: every retry fails, the call is untouched.
    await vi.advanceTimersByTimeAsync(300)
    FakeWebSocket.latest().drop()
    await vi.advanceTimersByTimeAsync(1000)
    const back = FakeWebSocket.latest()
    expect(FakeWebSocket.opened).toHaveLength(3)
    back.accept()
    expect(back.sent).toEqual([{ type: 'hello', token: 'token-student' }])
    back.deliver(welcome(STUDENT, TUTOR))
    expect(room.socketState).toBe('open')
    expect(made.engines).toHaveLength(1)
    // The engine hears the tutor is (still) there and decides to keep its connection.
    expect(e.peerJoined).toHaveBeenCalledTimes(2)
    expect(e.close).not.toHaveBeenCalled()
    expect(back.sentOfType('media-state')).toHaveLength(1)
  })

  it('Leave works at once, even before the server ever answered: the summary has who this was from the pass', async () => {
    const inRoom = await enterRoom('student')
    // The server never accepts the connection.
    inRoom.room.leave()
    expect(inRoom.room.outcome).toMatchObject({ kind: 'left', tutorName: 'Ms Li', startedAt: null, self: STUDENT, peer: null })
    expectRoomClosed(inRoom)
  })

  it('Leave while the server is away mid-lesson keeps who was there and when it started', async () => {
    const { room, server } = await enterRoom('tutor')
    server.accept()
    server.deliver(welcome(TUTOR, STUDENT, { lesson: { ...LESSON, startedAt: 500 } }))
    server.drop()
    room.leave()
    expect(room.outcome).toMatchObject({ kind: 'left', startedAt: 500, self: TUTOR, peer: STUDENT })
    expect(engine().engine.close).toHaveBeenCalled()
    // Nothing is retried after leaving.
    expect(FakeWebSocket.opened).toHaveLength(1)
  })

  it('Leave with the socket down goes over HTTP with the pass, so the other person hears "left" now; with it up, over the socket only', async () => {
    const fetchSpy = vi.mocked(fetch)
    const leaveCalls = () => fetchSpy.mock.calls.filter(([url]) => String(url).endsWith('/leave'))
    const first = await enterRoom('student')
    first.server.accept()
    first.server.deliver(welcome(STUDENT, TUTOR))
    first.room.leave()
    expect(first.server.sentOfType('leave')).toHaveLength(1)
    expect(leaveCalls()).toHaveLength(0)

    const { room, server } = await enterRoom('student')
    server.accept()
    server.deliver(welcome(STUDENT, TUTOR))
    server.drop()
    expect(room.socketState).toBe('reconnecting')
    room.leave()
    expect(leaveCalls()).toHaveLength(1)
    const [url, init] = leaveCalls()[0] ?? []
    expect(String(url)).toBe(`http://127.0.0.1:47300/api/lessons/${LESSON.id}/leave`)
    expect(init).toMatchObject({ method: 'POST', keepalive: true, headers: { Authorization: 'Bearer token-student' } })
    expect(room.outcome).toMatchObject({ kind: 'left', self: STUDENT })
  })
})
