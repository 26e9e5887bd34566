import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Role } from '../../../shared/lesson/lesson'
import type { RecordingCloseResult, RecordingOpenFailure, RecordingWriteFailure } from '../../../shared/recording/io'
import type { LessonExtraFile, LessonMeta } from '../../../shared/recording/library'
import { recordingOff, type RecordingRefusal, type RecordingState } from '../../../shared/recording/state'
import type { ServerMessage } from '../../../shared/lesson/signaling'
import { useHost } from '../../host/current'
import type { LessonPass } from '../../lesson/LessonPass'
import type { LessonChannel, SocketState } from '../../lesson/LessonSocket'
import { AudioMixer } from '../audioMixer'
import { Compositor } from '../compositor'
import { HostSink } from '../hostSink'
import type { LessonFileSource } from '../lessonFiles'
import { LessonRecord } from '../lessonRecord'
import { LessonRecorder, pickMimeType } from '../recorder'
import { RoomScene, type RoomMedia } from '../roomScene'
import type { MainAreaSource } from '../scene'
import { ServerSink } from '../serverSink'
import type { RecordingSink } from '../sink'
import { createTicker } from '../ticker'

/** Why recording did not start or stopped by itself (translated under recording.problems). */
export type RecordingProblem = RecordingRefusal | RecordingOpenFailure | RecordingWriteFailure | 'encoder' | 'memory' | 'unsupported' | 'server-away'

/** What the lesson room lends the recording while it is open. */
export interface RecordingBinding {
  pass: LessonPass
  /** The lesson socket: the recording follows the server's messages and sends its own. */
  lesson: LessonChannel
  /** This person started (true) or stopped (false) sharing a screen; returns the unsubscribe. */
  onOwnScreen(listener: (sharing: boolean) => void): () => void
  media(): RoomMedia
  /** Microphone, the other person's voice, screen audio: whatever is live. */
  audioTracks(): (MediaStreamTrack | null)[]
  /** What the room knows about the lesson, for the desktop library's record. */
  meta(): LessonMeta
}

/**
 * `resumed`: the session server went away mid-recording and came back; the
 * tutor's app records on into a new part. `stopped-away`: recording went off
 * while this app could not reach the server (the server restarted without
 * it, or gave up waiting for the recorder).
 */
export type RecordingNotice = 'started' | 'on-join' | 'stopped' | 'saved' | 'resumed' | 'stopped-away'

/**
 * Recording in the lesson room. Both people mirror the server's state (the
 * indicator); the tutor's app also records, starting and stopping its
 * recorder to follow that state, so the two never disagree.
 */
export const useRecordingStore = defineStore('recording', () => {
  const state = ref<RecordingState>(recordingOff('allowed', false))
  const role = ref<Role | null>(null)
  /** The tutor's own recorder. */
  const phase = ref<'idle' | 'starting' | 'recording' | 'stopping'>('idle')
  /** Asked the server, waiting for its answer. */
  const pending = ref(false)
  const problem = ref<RecordingProblem | null>(null)
  const lowSpaceBytes = ref<number | null>(null)
  const lowSpace = ref(false)
  const notice = ref<RecordingNotice | null>(null)
  const lastSaved = ref<RecordingCloseResult | null>(null)
  const mainAreaSource = shallowRef<MainAreaSource | null>(null)
  /** Board PDF, AI conversation, chat, markers: saved with the lesson record by the tutor's app. */
  const record = new LessonRecord()
  let binding: RecordingBinding | null = null
  let recorder: LessonRecorder | null = null
  let following: Promise<void> = Promise.resolve()
  let audioTimer: ReturnType<typeof setInterval> | null = null
  /** After a failure the recorder does not restart by itself until recording was off or the tutor asks again. */
  let suppressed = false
  /** The server lost the part being uploaded (it went away): record on into a new part once it is back and says "on". */
  let resuming = false
  /** The lesson socket is open (the server can be reached). */
  let online = false
  /** The tutor pressed Stop while the server was out of reach: recording stopped here, the server is told when it is back. */
  let offWhenBack = false
  /** The other person is sharing a screen (for the timeline's share markers). */
  let peerSharing = false
  let unsubscribe: (() => void) | null = null

  const isTutor = computed(() => role.value === 'tutor')
  const canToggle = computed(() => isTutor.value && state.value.policy === 'allowed' && !pending.value && phase.value !== 'starting' && phase.value !== 'stopping')

  function storage(): 'local' | 'server' {
    return useHost().recording.storage
  }

  /**
   * Entering the room. Subscribe after the room store has: the room handles
   * each message first, so the record's meta sees the lesson and people it
   * just learnt of.
   */
  function attach(next: RecordingBinding): void {
    unsubscribe?.()
    binding = next
    role.value = next.pass.role
    record.open(next.pass)
    peerSharing = false
    next.lesson.on('message', onLessonMessage)
    next.lesson.on('state', onSocketState)
    const stopOwnScreen = next.onOwnScreen((sharing) => addMarker(sharing ? 'screen-share-start' : 'screen-share-stop', next.media().selfName))
    unsubscribe = () => {
      next.lesson.off('message', onLessonMessage)
      next.lesson.off('state', onSocketState)
      stopOwnScreen()
    }
  }

  function onSocketState(socketState: SocketState): void {
    online = socketState === 'open'
  }

  function onLessonMessage(message: ServerMessage): void {
    // The room may leave while handling this very message (the lesson ended): then it is no longer ours.
    if (!binding) return
    switch (message.type) {
      case 'welcome':
        online = true
        peerSharing = message.peerMedia?.screen ?? false
        onWelcome(message.recording)
        break
      case 'peer-joined':
        peerSharing = false
        lessonChanged()
        break
      case 'peer-media-state':
        if (message.state.screen !== peerSharing) addMarker(message.state.screen ? 'screen-share-start' : 'screen-share-stop', binding?.media().peerName ?? '')
        peerSharing = message.state.screen
        break
      case 'recording-state':
        apply(message.state, false)
        break
      case 'recording-refused':
        problem.value = message.reason
        apply(message.state, false)
        break
      default:
        break
    }
  }

  /** Leaving the room: the recording (if any) is finished and saved first. */
  async function detach(): Promise<void> {
    const b = binding
    // Asked before anything closes: the board is still there to take its snapshot.
    const files = startLessonFiles()
    unsubscribe?.()
    unsubscribe = null
    binding = null
    following = following.then(() => stopRecorder(false))
    await following
    if (b && storage() === 'local') await record.saveMeta(b.meta())
    void saveLessonFiles(files)
    state.value = recordingOff(state.value.policy, state.value.serverStorage)
    notice.value = null
    lowSpace.value = false
    resuming = false
    offWhenBack = false
  }

  function onWelcome(next: RecordingState | undefined): void {
    apply(next ?? recordingOff('allowed', false), true)
    // Every lesson may leave a record (board pages, AI conversation) even unrecorded: keep the key to it.
    record.rememberKey(state.value.serverStorage)
    if (binding && storage() === 'local') void record.saveMeta(binding.meta())
    // The server records every lesson: the tutor's app starts as soon as it is in.
    if (isTutor.value && next?.policy === 'always' && !next.on) send(true)
  }

  /** The lesson changed (the other person arrived, the lesson ended): keep the desktop record up to date. */
  function lessonChanged(): void {
    if (binding && storage() === 'local') void record.saveMeta(binding.meta())
  }

  function apply(next: RecordingState, joining: boolean): void {
    if (offWhenBack) {
      offWhenBack = false
      // Still on at the server: keep showing it off here and say Stop now; its "off" follows.
      if (next.on && isTutor.value) return send(false)
    }
    const was = state.value.on
    state.value = next
    pending.value = false
    if (next.on) record.rememberKey(next.serverStorage)
    if (next.on && !was) notice.value = joining ? 'on-join' : 'started'
    // Off in the welcome after a reconnect: it went off while we were away, and the tutor must hear why.
    else if (!next.on && was && notice.value !== 'saved') notice.value = joining && isTutor.value ? 'stopped-away' : 'stopped'
    if (!next.on) {
      suppressed = false
      resuming = false
    } else if (suppressed && isTutor.value) {
      // This app gave up recording while the server could not hear it say so: say it now, so the student is not told "recording".
      send(false, true)
    }
    if (isTutor.value) follow()
  }

  function send(on: boolean, failed = false): void {
    if (!binding) return
    pending.value = binding.lesson.send({ type: 'recording', on, storage: storage(), ...(failed ? { failed } : {}) })
  }

  /** The tutor's Record / Stop button. */
  function toggle(): void {
    if (!canToggle.value) return
    problem.value = null
    suppressed = false
    if (state.value.on) {
      if (!online) {
        // Stop means stop, now, even when the server cannot hear it (a student asked): it hears at its welcome.
        offWhenBack = true
        suppressed = true
        state.value = recordingOff(state.value.policy, state.value.serverStorage)
        notice.value = 'stopped'
      } else {
        // Stop encoding at the click, not a round trip later; the server's "off" follows.
        send(false)
      }
      following = following.then(() => stopRecorder())
      return
    }
    if (!online) {
      // A request the server cannot hear would be lost without a word.
      problem.value = 'server-away'
      return
    }
    if (typeof MediaRecorder === 'undefined' || !pickMimeType()) {
      problem.value = 'unsupported'
      return
    }
    if (storage() === 'server' && !state.value.serverStorage) {
      problem.value = 'no-storage'
      return
    }
    send(true)
  }

  /** Runs the recorder to match the server's state, one change at a time. */
  function follow(): void {
    following = following.then(() => (state.value.on && binding ? startRecorder() : stopRecorder())).catch((error: unknown) => console.warn('[duet] recording', error))
  }

  async function startRecorder(): Promise<void> {
    if (recorder || !binding || suppressed) return
    const mimeType = typeof MediaRecorder === 'undefined' ? null : pickMimeType()
    if (!mimeType) return giveUp('unsupported')
    phase.value = 'starting'
    const b = binding
    const scene = new RoomScene(() => b.media(), () => mainAreaSource.value)
    const mixer = new AudioMixer()
    mixer.update(b.audioTracks())
    const sink: RecordingSink = storage() === 'local' ? new HostSink(useHost()) : new ServerSink(b.pass.server, b.pass.token)
    const next = new LessonRecorder(new Compositor(scene, createTicker()), mixer, sink, mimeType)
    const opened = await next.start({ lessonId: b.pass.lessonId, meta: b.meta() })
    if (!opened.ok) {
      mixer.close()
      scene.dispose()
      phase.value = 'idle'
      return giveUp(resuming && opened.reason === 'io' ? 'lost' : opened.reason)
    }
    recorder = next
    phase.value = 'recording'
    if (resuming) notice.value = 'resumed'
    resuming = false
    lowSpace.value = false
    lowSpaceBytes.value = opened.freeBytes
    next.events.on('lowSpace', ({ freeBytes }) => {
      lowSpace.value = true
      lowSpaceBytes.value = freeBytes
    })
    next.events.on('failed', ({ reason }) => (partLost(reason) ? resume(next) : giveUp(reason)))
    // New voices (a shared screen's sound, a switched microphone) join the mix.
    audioTimer = setInterval(() => mixer.update(binding?.audioTracks() ?? []), 500)
  }

  /** Stops this app's recorder; `withFiles`: then save the board PDF and AI conversation with it. */
  async function stopRecorder(withFiles = true): Promise<void> {
    const current = recorder
    if (!current) return
    const files = withFiles ? startLessonFiles() : []
    recorder = null
    if (audioTimer !== null) clearInterval(audioTimer)
    audioTimer = null
    phase.value = 'stopping'
    const result = await current.stop()
    phase.value = 'idle'
    if (result) {
      lastSaved.value = result
      // "Stopped while away" says more than "saved": keep it.
      if (notice.value !== 'stopped-away') notice.value = 'saved'
    }
    void saveLessonFiles(files)
  }

  /**
   * A browser upload the session server can no longer take: it restarted
   * (and finished the part), or it has been out of reach for longer than
   * the upload retries. Not the recorder's fault, so not the end of it.
   */
  function partLost(reason: RecordingProblem): boolean {
    return storage() === 'server' && (reason === 'lost' || (reason === 'io' && !online))
  }

  /**
   * Ends the lost part here (the server has finished its side of it) and
   * records on into a new part as soon as the server says recording is on:
   * at once if it is reachable, else at its welcome when the socket is back.
   * If it says off by then, the tutor is told why (stopped-away).
   */
  function resume(lost: LessonRecorder): void {
    resuming = true
    following = following
      .then(async () => {
        if (recorder !== lost) return
        recorder = null
        if (audioTimer !== null) clearInterval(audioTimer)
        audioTimer = null
        await lost.stop()
        phase.value = 'idle'
        if (online) follow()
      })
      .catch((error: unknown) => console.warn('[duet] recording', error))
  }

  /** The recorder cannot go on: say why, and switch recording off so the student is not told otherwise. */
  function giveUp(reason: RecordingProblem): void {
    problem.value = reason
    suppressed = true
    if (state.value.on) send(false, true)
    follow()
  }

  /** Tutor pressed End lesson: save the recording before the lesson (and its upload) ends. */
  async function finishBeforeEnd(): Promise<void> {
    const files = startLessonFiles()
    following = following.then(() => stopRecorder(false))
    await following
    // Not awaited: a long board takes seconds to render, and ending the lesson must not wait for it.
    void saveLessonFiles(files)
  }

  /** The tutor's app asks the features for their files now (synchronously, so snapshots are current). */
  function startLessonFiles(): ReturnType<LessonRecord['startFiles']> {
    return record.startFiles(isTutor.value && (storage() === 'local' || state.value.serverStorage))
  }

  /** In the background: never holds up Stop, Leave or End. */
  function saveLessonFiles(started: ReturnType<LessonRecord['startFiles']>): Promise<void> {
    return record.saveFiles(started, state.value.serverStorage)
  }

  // ---- the lesson record, for other features ----

  /** A moment on the recording's timeline (page change, AI question); only while this app records. */
  function addMarker(kind: string, label: string): void {
    if (recorder) record.addMarker(kind, label)
  }

  /** The whiteboard's PDF, the AI conversation, the chat: stored with the lesson record. */
  function saveLessonFile(name: LessonExtraFile, data: Uint8Array): Promise<void> {
    return record.addFile(name, data)
  }

  /** A feature's file for the lesson record (the whiteboard's PDF); null to withdraw it. */
  function provideLessonFile(name: LessonExtraFile, source: LessonFileSource | null): void {
    record.provide(name, source)
  }

  /** The whiteboard offers its canvas for the main area (null to give it back). */
  function provideMainArea(source: MainAreaSource | null): void {
    mainAreaSource.value = source
  }

  return {
    state,
    role,
    phase,
    pending,
    problem,
    lowSpace,
    lowSpaceBytes,
    notice,
    lastSaved,
    canToggle,
    isTutor,
    attach,
    detach,
    toggle,
    finishBeforeEnd,
    addMarker,
    saveLessonFile,
    provideMainArea,
    provideLessonFile,
    dismissNotice: () => (notice.value = null),
    dismissProblem: () => (problem.value = null),
  }
})
