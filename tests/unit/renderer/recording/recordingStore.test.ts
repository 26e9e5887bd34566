// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { provideHost } from '../../../../src/renderer/host/current'
import { useRecordingStore, type RecordingBinding } from '../../../../src/renderer/recording/stores/recordingStore'
import type { RecordingState } from '../../../../src/shared/recording/state'
import type { ClientMessage } from '../../../../src/shared/lesson/signaling'
import { fakeHost } from '../fakeHost'
import { LESSON_ID, meta } from '../../shared/recording/helpers'

const OFF: RecordingState = { on: false, startedAt: null, by: null, policy: 'allowed', serverStorage: true }
const ON: RecordingState = { on: true, startedAt: 5, by: 'tutor', policy: 'allowed', serverStorage: true }

function setup(role: 'tutor' | 'student') {
  const fake = fakeHost()
  provideHost(fake.host)
  setActivePinia(createPinia())
  const sent: ClientMessage[] = []
  const binding: RecordingBinding = {
    pass: { server: 'http://127.0.0.1:1', lessonId: LESSON_ID, token: 't', participantId: role, role, selfName: role === 'tutor' ? 'Ms Li' : 'Wei', tutorName: 'Ms Li', invite: null },
    send: (m) => {
      sent.push(m)
      return true
    },
    media: () => ({ selfName: 'x', selfRole: role, peerName: 'y', remoteCamera: null, remoteScreen: null, ownCamera: null, ownScreen: null }),
    audioTracks: () => [],
    meta: () => meta({ role }),
  }
  const store = useRecordingStore()
  store.attach(binding)
  return { store, sent, host: fake.host }
}

beforeEach(() => {
  vi.stubGlobal('MediaRecorder', { isTypeSupported: () => true })
})

describe('recording store', () => {
  it('the student mirrors the server: indicator state and a notice when it starts', () => {
    const { store, sent } = setup('student')
    store.onWelcome(OFF)
    expect(store.notice).toBeNull()
    store.onState(ON)
    expect(store.state.on).toBe(true)
    expect(store.notice).toBe('started')
    store.onState(OFF)
    expect(store.notice).toBe('stopped')
    // Joining a lesson that is already recorded says so at once.
    const late = setup('student')
    late.store.onWelcome(ON)
    expect(late.store.notice).toBe('on-join')
    expect(sent).toEqual([])
    store.toggle()
    expect(sent).toEqual([])
  })

  it('the tutor asks the server; a refusal is explained', () => {
    const { store, sent } = setup('tutor')
    store.onWelcome(OFF)
    expect(store.canToggle).toBe(true)
    store.toggle()
    expect(sent).toEqual([{ type: 'recording', on: true, storage: 'local' }])
    expect(store.pending).toBe(true)
    expect(store.canToggle).toBe(false)
    store.onRefused('forbidden', { ...OFF, policy: 'forbidden' })
    expect(store.problem).toBe('forbidden')
    expect(store.pending).toBe(false)
  })

  it('under an always-record policy the tutor’s app switches recording on by itself', () => {
    const { store, sent } = setup('tutor')
    store.onWelcome({ ...OFF, policy: 'always' })
    expect(sent).toEqual([{ type: 'recording', on: true, storage: 'local' }])
    expect(store.canToggle).toBe(false)
  })

  it('does not start where the browser cannot record', () => {
    vi.stubGlobal('MediaRecorder', { isTypeSupported: () => false })
    const { store, sent } = setup('tutor')
    store.onWelcome(OFF)
    store.toggle()
    expect(store.problem).toBe('unsupported')
    expect(sent).toEqual([])
  })

  it('saves lesson metadata to the desktop library and takes files for the record; markers only while recording', async () => {
    const { store, host } = setup('tutor')
    store.onWelcome(OFF)
    expect(host.library.saveMeta).toHaveBeenCalledWith(expect.objectContaining({ lessonId: LESSON_ID, role: 'tutor' }))
    await store.saveLessonFile('ai.md', new Uint8Array([35]))
    expect(host.library.addFile).toHaveBeenCalledWith(LESSON_ID, 'ai.md', new Uint8Array([35]))
    store.addMarker('page', 'Page 2')
    expect(host.library.addMarker).not.toHaveBeenCalled()
    await store.detach()
    await expect(store.saveLessonFile('ai.md', new Uint8Array(1))).resolves.toBeUndefined()
  })
})
