// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { provideHost } from '../../../../src/renderer/host/current'
import { useRecordingStore, type RecordingBinding } from '../../../../src/renderer/recording/stores/recordingStore'
import type { RecordingState } from '../../../../src/shared/recording/state'
import type { ServerMessage } from '../../../../src/shared/lesson/signaling'
import { fakeLessonChannel } from '../lesson/fakeLessonChannel'
import { fakeHost } from '../fakeHost'
import { LESSON_ID, meta } from '../../shared/recording/helpers'

/** The recorder and what it draws with, as stand-ins: these tests are about when recording starts, stops and resumes. */
const recorders = vi.hoisted(() => [] as { events: import('mitt').Emitter<{ failed: { reason: string; message: string }; lowSpace: { freeBytes: number | null } }>; stopped: boolean }[])
vi.mock('../../../../src/renderer/recording/recorder', async () => {
  const { default: mittFn } = await import('mitt')
  class LessonRecorder {
    events = mittFn<{ failed: { reason: string; message: string }; lowSpace: { freeBytes: number | null } }>()
    stopped = false
    async start() {
      recorders.push(this)
      return { ok: true as const, recordingId: `rec-0000000${recorders.length}`, file: 'recording.webm', freeBytes: null }
    }
    async stop() {
      this.stopped = true
      return null
    }
  }
  return { LessonRecorder, pickMimeType: () => (MediaRecorder.isTypeSupported('video/webm') ? 'video/webm' : null) }
})
vi.mock('../../../../src/renderer/recording/compositor', () => ({ Compositor: class {} }))
vi.mock('../../../../src/renderer/recording/audioMixer', () => ({ AudioMixer: class { update() {} close() {} } }))
vi.mock('../../../../src/renderer/recording/roomScene', () => ({ RoomScene: class { dispose() {} } }))

const OFF: RecordingState = { on: false, startedAt: null, by: null, policy: 'allowed', serverStorage: true }
const ON: RecordingState = { on: true, startedAt: 5, by: 'tutor', policy: 'allowed', serverStorage: true }

/** A welcome as the server sends it, with the recording state under test. */
function welcome(recording: RecordingState): ServerMessage {
  const self = { id: 'p-1', name: 'Ms Li', role: 'tutor' as const }
  return { type: 'welcome', self, peer: null, peerMedia: null, lesson: { id: LESSON_ID, tutorName: 'Ms Li', startedAt: null }, iceServers: [], recording }
}

function setup(role: 'tutor' | 'student', storage: 'local' | 'server' = 'local') {
  const fake = fakeHost()
  ;(fake.host.recording as { storage: 'local' | 'server' }).storage = storage
  provideHost(fake.host)
  recorders.length = 0
  setActivePinia(createPinia())
  // The lesson socket as the recording sees it: the server's messages, and what the recording sends.
  const channel = fakeLessonChannel()
  const { lesson, sent } = channel
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
  return { store, sent, host: fake.host, server: channel.server, link: channel.link }
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
    expect(host.library.addFile).toHaveBeenCalledWith(LESSON_ID, 'ai.md', new Uint8Array([35]), undefined)
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

  describe('when the session server goes away while the tutor records', () => {
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

    it('a browser tutor records on into a new part once the restarted server says recording is on, and is told so', async () => {
      const { store, sent, server, link } = setup('tutor', 'server')
      server(welcome(ON))
      await settle()
      expect(recorders).toHaveLength(1)
      link(false)
      // The restarted server no longer has the part being uploaded.
      recorders[0]!.events.emit('failed', { reason: 'lost', message: 'No such open recording' })
      await settle()
      expect(recorders[0]!.stopped).toBe(true)
      expect(store.problem).toBeNull()
      expect(sent).toEqual([])
      expect(recorders).toHaveLength(1)
      link(true)
      server(welcome(ON))
      await settle()
      expect(recorders).toHaveLength(2)
      expect(store.phase).toBe('recording')
      expect(store.notice).toBe('resumed')
      expect(sent).toEqual([])
    })

    it('resumes at once when the server is already back; an upload that outlasts its retries while the server is away is no failure either', async () => {
      const quick = setup('tutor', 'server')
      quick.server(welcome(ON))
      await settle()
      recorders[0]!.events.emit('failed', { reason: 'lost', message: 'gone' })
      await settle()
      expect(recorders).toHaveLength(2)
      expect(quick.store.notice).toBe('resumed')

      const slow = setup('tutor', 'server')
      slow.server(welcome(ON))
      await settle()
      slow.link(false)
      recorders[0]!.events.emit('failed', { reason: 'io', message: 'Failed to fetch' })
      await settle()
      expect(slow.store.problem).toBeNull()
      slow.link(true)
      slow.server(welcome(ON))
      await settle()
      expect(recorders).toHaveLength(2)
    })

    it('tells the tutor plainly when recording went off while the server was out of reach', async () => {
      const browser = setup('tutor', 'server')
      browser.server(welcome(ON))
      await settle()
      browser.link(false)
      recorders[0]!.events.emit('failed', { reason: 'lost', message: 'gone' })
      await settle()
      browser.link(true)
      browser.server(welcome(OFF))
      await settle()
      expect(recorders).toHaveLength(1)
      expect(browser.store.notice).toBe('stopped-away')

      // The desktop app records to its own disk: the server coming back without the state stops it, and says why.
      const desktop = setup('tutor', 'local')
      desktop.server(welcome(ON))
      await settle()
      desktop.link(false)
      desktop.link(true)
      desktop.server(welcome(OFF))
      await settle()
      expect(recorders[0]!.stopped).toBe(true)
      expect(desktop.store.notice).toBe('stopped-away')
      // The student just sees that it stopped.
      const student = setup('student')
      student.server(welcome(ON))
      student.server(welcome(OFF))
      expect(student.store.notice).toBe('stopped')
    })

    it('Record while the server is away says why instead of nothing; Stop while away stops here at once and tells the server when it is back', async () => {
      const { store, sent, server, link } = setup('tutor', 'local')
      server(welcome(OFF))
      link(false)
      store.toggle()
      expect(store.problem).toBe('server-away')
      expect(sent).toEqual([])
      link(true)
      server(welcome(OFF))
      store.toggle()
      expect(sent).toEqual([{ type: 'recording', on: true, storage: 'local' }])
      server({ type: 'recording-state', state: ON })
      await settle()
      expect(recorders).toHaveLength(1)

      link(false)
      store.toggle()
      await settle()
      expect(recorders[0]!.stopped).toBe(true)
      expect(store.state.on).toBe(false)
      expect(sent).toHaveLength(1)
      // Back, and the server still thinks it is on: it is told Stop; nothing records meanwhile and nobody is told "recording".
      link(true)
      server(welcome(ON))
      await settle()
      expect(sent.at(-1)).toEqual({ type: 'recording', on: false, storage: 'local' })
      expect(recorders).toHaveLength(1)
      expect(store.state.on).toBe(false)
      expect(store.notice).not.toBe('on-join')
      server({ type: 'recording-state', state: OFF })
      await settle()
      expect(recorders).toHaveLength(1)
      expect(store.canToggle).toBe(true)
    })

    it('a real failure still stops recording for both; one the server could not hear is said again when it is back', async () => {
      const { store, sent, server } = setup('tutor', 'server')
      server(welcome(ON))
      await settle()
      // A refusal while the server is reachable: no new part, the student is told it stopped.
      recorders[0]!.events.emit('failed', { reason: 'io', message: 'HTTP 403' })
      await settle()
      expect(store.problem).toBe('io')
      expect(sent).toEqual([{ type: 'recording', on: false, storage: 'server', failed: true }])

      const late = setup('tutor', 'local')
      late.server(welcome(ON))
      await settle()
      late.link(false)
      recorders[0]!.events.emit('failed', { reason: 'disk-full', message: 'full' })
      await settle()
      expect(late.sent).toEqual([])
      late.link(true)
      late.server(welcome(ON))
      await settle()
      expect(late.sent).toEqual([{ type: 'recording', on: false, storage: 'local', failed: true }])
      expect(recorders).toHaveLength(1)
    })
  })
})
