// @vitest-environment happy-dom
import mitt from 'mitt'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { provideHost } from '../../../../src/renderer/host/current'
import { useRecordingStore, type RecordingBinding } from '../../../../src/renderer/recording/stores/recordingStore'
import type { RecordingState } from '../../../../src/shared/recording/state'
import type { ClientMessage, ServerMessage } from '../../../../src/shared/lesson/signaling'
import type { FatalCode, LessonChannel, SocketState } from '../../../../src/renderer/lesson/LessonSocket'
import { fakeHost } from '../fakeHost'
import { LESSON_ID, meta } from '../../shared/recording/helpers'

const OFF: RecordingState = { on: false, startedAt: null, by: null, policy: 'allowed', serverStorage: true }
const ON: RecordingState = { on: true, startedAt: 5, by: 'tutor', policy: 'allowed', serverStorage: true }

/** A welcome as the server sends it, with the recording state under test. */
function welcome(recording: RecordingState): ServerMessage {
  const self = { id: 'p-1', name: 'Ms Li', role: 'tutor' as const }
  return { type: 'welcome', self, peer: null, peerMedia: null, lesson: { id: LESSON_ID, tutorName: 'Ms Li', startedAt: null }, iceServers: [], recording }
}

function setup(role: 'tutor' | 'student') {
  const fake = fakeHost()
  provideHost(fake.host)
  setActivePinia(createPinia())
  const sent: ClientMessage[] = []
  // The lesson socket as the recording sees it: the server's messages, and what the recording sends.
  const socket = mitt<{ message: ServerMessage; state: SocketState; fatal: { code: FatalCode; message: string } }>()
  const lesson: LessonChannel = {
    on: socket.on,
    off: socket.off,
    send: (m) => {
      sent.push(m)
      return true
    },
  }
  const binding: RecordingBinding = {
    pass: { server: 'http://127.0.0.1:1', lessonId: LESSON_ID, token: 't', participantId: role, role, selfName: role === 'tutor' ? 'Ms Li' : 'Wei', tutorName: 'Ms Li', invite: null },
    lesson,
    onOwnScreen: () => () => {},
    media: () => ({ selfName: 'x', selfRole: role, peerName: 'y', remoteCamera: null, remoteScreen: null, ownCamera: null, ownScreen: null }),
    audioTracks: () => [],
    meta: () => meta({ role }),
  }
  const store = useRecordingStore()
  store.attach(binding)
  const server = (message: ServerMessage) => socket.emit('message', message)
  return { store, sent, host: fake.host, server }
}

beforeEach(() => {
  vi.stubGlobal('MediaRecorder', { isTypeSupported: () => true })
})

describe('recording store', () => {
  it('the student mirrors the server: indicator state and a notice when it starts', () => {
    const { store, sent, server } = setup('student')
    server(welcome(OFF))
    expect(store.notice).toBeNull()
    server({ type: 'recording-state', state: ON })
    expect(store.state.on).toBe(true)
    expect(store.notice).toBe('started')
    server({ type: 'recording-state', state: OFF })
    expect(store.notice).toBe('stopped')
    // Joining a lesson that is already recorded says so at once.
    const late = setup('student')
    late.server(welcome(ON))
    expect(late.store.notice).toBe('on-join')
    expect(sent).toEqual([])
    store.toggle()
    expect(sent).toEqual([])
  })

  it('the tutor asks the server; a refusal is explained', () => {
    const { store, sent, server } = setup('tutor')
    server(welcome(OFF))
    expect(store.canToggle).toBe(true)
    store.toggle()
    expect(sent).toEqual([{ type: 'recording', on: true, storage: 'local' }])
    expect(store.pending).toBe(true)
    expect(store.canToggle).toBe(false)
    server({ type: 'recording-refused', reason: 'forbidden', state: { ...OFF, policy: 'forbidden' } })
    expect(store.problem).toBe('forbidden')
    expect(store.pending).toBe(false)
  })

  it('under an always-record policy the tutor’s app switches recording on by itself', () => {
    const { store, sent, server } = setup('tutor')
    server(welcome({ ...OFF, policy: 'always' }))
    expect(sent).toEqual([{ type: 'recording', on: true, storage: 'local' }])
    expect(store.canToggle).toBe(false)
  })

  it('does not start where the browser cannot record', () => {
    vi.stubGlobal('MediaRecorder', { isTypeSupported: () => false })
    const { store, sent, server } = setup('tutor')
    server(welcome(OFF))
    store.toggle()
    expect(store.problem).toBe('unsupported')
    expect(sent).toEqual([])
  })

  it('saves lesson metadata to the desktop library and takes files for the record; markers only while recording', async () => {
    const { store, host, server } = setup('tutor')
    server(welcome(OFF))
    expect(host.library.saveMeta).toHaveBeenCalledWith(expect.objectContaining({ lessonId: LESSON_ID, role: 'tutor' }))
    await store.saveLessonFile('ai.md', new Uint8Array([35]))
    expect(host.library.addFile).toHaveBeenCalledWith(LESSON_ID, 'ai.md', new Uint8Array([35]))
    store.addMarker('page', 'Page 2')
    expect(host.library.addMarker).not.toHaveBeenCalled()
    await store.detach()
    await expect(store.saveLessonFile('ai.md', new Uint8Array(1))).resolves.toBeUndefined()
  })

  it('follows the lesson socket itself: a newcomer is put in the record, and after leaving the socket is no longer followed', async () => {
    const { store, host, server } = setup('tutor')
    server(welcome(OFF))
    expect(host.library.saveMeta).toHaveBeenCalledTimes(1)
    server({ type: 'peer-joined', peer: { id: 'p-2', name: 'Wei', role: 'student' }, lesson: { id: LESSON_ID, tutorName: 'Ms Li', startedAt: 9 } })
    expect(host.library.saveMeta).toHaveBeenCalledTimes(2)
    await store.detach()
    const saved = vi.mocked(host.library.saveMeta).mock.calls.length
    server({ type: 'recording-state', state: ON })
    server({ type: 'peer-joined', peer: { id: 'p-2', name: 'Wei', role: 'student' }, lesson: { id: LESSON_ID, tutorName: 'Ms Li', startedAt: 9 } })
    expect(store.state.on).toBe(false)
    expect(host.library.saveMeta).toHaveBeenCalledTimes(saved)
  })
})
