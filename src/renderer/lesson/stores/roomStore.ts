import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { LessonInfo, Participant } from '../../../shared/lesson/lesson'
import type { LinkReport, MediaState, ServerMessage, ViewSize } from '../../../shared/lesson/signaling'
import { cameraScaleFor } from '../../media/cameraScale'
import { useHost } from '../../host/current'
import { LessonSocket, type FatalCode, type SocketState } from '../LessonSocket'
import type { LessonOutcome } from '../LessonOutcome'
import type { LessonPass } from '../LessonPass'
import { SessionApi } from '../sessionApi'
import { WeakLinkWatch, type WeakLinkNotice } from '../weakLink'
import { createMediaEngine, MediaEngineUnavailableError } from '../../media/createMediaEngine'
import type { MediaEngine, PeerMediaState } from '../../media/MediaEngine'
import type { MediaStatsSnapshot } from '../../media/stats'
import { useDevicesStore } from '../../media/stores/devicesStore'
import { useRecordingStore } from '../../recording/stores/recordingStore'
import { roomRecordingBinding } from '../../recording/roomBinding'
import { useChatStore } from '../../chat/stores/chatStore'
import { forgetLessonUnsentText } from '../../ui/unsentText'

/** Where the other person is, as the room explains it. */
export type PeerPresence = 'waiting' | 'present' | 'reconnecting' | 'left'

/** Why this window cannot be in the lesson: the server refused it, or the server's media engine is not in this app. */
export type RoomFatal = FatalCode | 'engine_unavailable'

/**
 * The live lesson: the signaling socket, the media engine and what the room
 * shows (peer, their media, connection quality, banners, the outcome).
 * Other features follow the lesson socket themselves (the recording through
 * its binding); the room only opens and closes it for them.
 */
export const useRoomStore = defineStore('room', () => {
  const self = ref<Participant | null>(null)
  const peer = ref<Participant | null>(null)
  const peerPresence = ref<PeerPresence>('waiting')
  const peerMedia = ref<MediaState | null>(null)
  const lesson = ref<LessonInfo | null>(null)
  const socketState = ref<SocketState>('connecting')
  const mediaState = ref<PeerMediaState>('idle')
  const remoteStream = shallowRef<MediaStream | null>(null)
  const remoteScreen = shallowRef<MediaStream | null>(null)
  /** This person is sharing a screen or window. */
  const sharingScreen = ref(false)
  /** The OS refused screen capture (macOS Screen Recording off): explain instead of sending black. */
  const screenPermissionDenied = ref(false)
  const stats = ref<MediaStatsSnapshot | null>(null)
  /** Each person's own link (what they send), this person's measured here, the other's as they reported it. */
  const selfLink = ref<LinkReport | null>(null)
  const peerLink = ref<LinkReport | null>(null)
  /** Whose connection is weak and what Duet did about it (null: nobody's). */
  const weakLink = ref<WeakLinkNotice | null>(null)
  let weakWatch = new WeakLinkWatch()
  const fatal = ref<RoomFatal | null>(null)
  const notice = ref<string | null>(null)
  const outcome = ref<LessonOutcome | null>(null)
  /** How large we show the other person's camera; they send it smaller when it is a small tile. */
  let cameraView: ViewSize | null = null
  const micEnabled = ref(true)
  const cameraEnabled = ref(true)
  /** True between enter() and the end of the lesson for this window. */
  const inLesson = ref(false)
  let socket: LessonSocket | null = null
  let engine: MediaEngine | null = null
  let pass: LessonPass | null = null
  let stopHostListeners: (() => void) | null = null

  function enter(lessonPass: LessonPass): void {
    leaveQuietly()
    pass = lessonPass
    outcome.value = null
    fatal.value = null
    peerPresence.value = 'waiting'
    const devices = useDevicesStore()
    micEnabled.value = devices.local?.micEnabled ?? false
    cameraEnabled.value = (devices.local?.cameraEnabled ?? false) && devices.local?.video !== null
    devices.local?.events.on('track', ({ role, track }) => {
      void engine?.setLocalTrack(role, track)
      if (role === 'screen') onScreenTrack(track)
    })
    stopHostListeners = useHost().screen.onStopRequest(() => stopScreenShare())
    socket = new LessonSocket(lessonPass.server, lessonPass.token)
    socket.on('state', (state) => {
      // Back after a drop: the network returned, so the media path may need a new route too.
      if (state === 'open' && socketState.value === 'reconnecting') engine?.networkBack()
      socketState.value = state
    })
    window.addEventListener('online', onOnline)
    // The room hears each message first; the recording, attached next, then sees what the room just learnt.
    socket.on('message', onMessage)
    useRecordingStore().attach(roomRecordingBinding(lessonPass, { self, peer, peerMedia, lesson, outcome, remoteStream, remoteScreen, cameraEnabled }, socket))
    // After the recording, so the chat's part of the lesson record is offered to this lesson's record.
    useChatStore().attach({ pass: lessonPass, lesson: socket })
    socket.on('fatal', ({ code }) => {
      fatal.value = code
      teardown()
    })
    socket.connect()
    inLesson.value = true
    void useHost().app.setLessonActive(true)
  }

  /** The engine the server chose, made once per lesson; null (and the room says why) if this app does not have it. */
  function ensureEngine(welcome: Extract<ServerMessage, { type: 'welcome' }>): MediaEngine | null {
    if (engine) return engine
    const devices = useDevicesStore()
    let created: MediaEngine
    try {
      created = createMediaEngine(welcome.engine ?? 'builtin', {
        iceServers: welcome.iceServers,
        iceTransportPolicy: welcome.iceTransportPolicy,
        tuning: welcome.mediaTuning ?? true,
        polite: pass?.role === 'student',
        sendSignal: (data) => socket?.send({ type: 'signal', data }),
        localTracks: () => ({
          audio: devices.local?.audio ?? null,
          camera: devices.local?.video ?? null,
          screen: devices.local?.screen ?? null,
          screenAudio: devices.local?.screenAudio ?? null,
        }),
      })
    } catch (error) {
      if (!(error instanceof MediaEngineUnavailableError)) throw error
      console.warn('[duet]', error.message)
      fatal.value = 'engine_unavailable'
      teardown()
      return null
    }
    created.events.on('remote-stream', (stream) => (remoteStream.value = stream))
    created.events.on('remote-screen', (stream) => (remoteScreen.value = stream))
    created.events.on('state', (state) => (mediaState.value = state))
    created.events.on('stats', (snapshot) => (stats.value = snapshot))
    created.events.on('link', (report) => {
      selfLink.value = report
      socket?.send({ type: 'link-report', report })
      updateWeakLink()
    })
    engine = created
    return created
  }

  function onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        performance.mark('duet:welcome')
        self.value = message.self
        lesson.value = message.lesson
        if (!ensureEngine(message)) break
        sendMediaState()
        if (message.peer) {
          peer.value = message.peer
          peerMedia.value = message.peerMedia
          peerPresence.value = 'present'
          engine?.setPeerCameraView(message.peerMedia?.cameraView ?? null)
          engine?.peerJoined(message.peer.id)
        } else if (peerPresence.value === 'present') {
          peerPresence.value = 'reconnecting'
        } else {
          engine?.prepare()
        }
        break
      case 'peer-joined':
        peer.value = message.peer
        lesson.value = message.lesson
        peerMedia.value = null
        peerPresence.value = 'present'
        engine?.setPeerCameraView(null)
        engine?.peerJoined(message.peer.id)
        break
      case 'peer-link':
        peerLink.value = message.report
        updateWeakLink()
        break
      case 'peer-left':
        peerPresence.value = message.reason === 'left' ? 'left' : 'reconnecting'
        peerLink.value = null
        engine?.peerLeft(message.reason)
        if (message.reason === 'left') engine?.prepare()
        break
      case 'signal':
        void engine?.receiveSignal(message.data)
        break
      case 'peer-media-state':
        peerMedia.value = message.state
        engine?.setPeerCameraView(message.state.cameraView ?? null)
        break
      case 'lesson-ended':
        outcome.value = { kind: 'ended', summary: message.summary }
        if (pass) forgetLessonUnsentText(pass.lessonId)
        teardown()
        break
      case 'error':
        if (!message.fatal) notice.value = message.code
        break
      default:
        // pong; recording-state and recording-refused are the recording's, chat-* the chat's (each follows the socket itself).
        break
    }
  }

  function onOnline(): void {
    engine?.networkBack()
  }

  function updateWeakLink(): void {
    weakLink.value = weakWatch.update(selfLink.value, peerLink.value, Date.now())
  }

  function sendMediaState(): void {
    const state: MediaState = { audio: micEnabled.value, video: cameraEnabled.value, screen: sharingScreen.value }
    if (cameraView) state.cameraView = cameraView
    socket?.send({ type: 'media-state', state })
  }

  /** The other person's camera tile changed size (device pixels); tell them only when it changes what they should send. */
  function showingPeerCameraAt(view: ViewSize | null): void {
    const changes = cameraScaleFor(view) !== cameraScaleFor(cameraView)
    cameraView = view
    if (changes) sendMediaState()
  }

  function toggleMic(): void {
    const local = useDevicesStore().local
    if (!local?.audio) return
    local.setMicEnabled(!local.micEnabled)
    micEnabled.value = local.micEnabled
    sendMediaState()
  }

  async function toggleCamera(): Promise<void> {
    const devices = useDevicesStore()
    const local = devices.local
    if (!local) return
    try {
      await local.setCameraEnabled(!cameraEnabled.value)
      cameraEnabled.value = local.cameraEnabled
      devices.videoProblem = null
    } catch (error) {
      notice.value = 'camera'
      console.warn('[duet] camera could not be turned on', error)
    }
    sendMediaState()
  }

  /**
   * Shares a screen or window. Desktop: getDisplayMedia makes the main process
   * ask for Duet's picker (ScreenPicker.vue); browsers show their own.
   */
  async function startScreenShare(): Promise<void> {
    const local = useDevicesStore().local
    if (!local || local.sharingScreen) return
    const permissions = await useHost().permissions.get()
    if (permissions.screen === 'denied') {
      screenPermissionDenied.value = true
      return
    }
    try {
      // Audio is always asked for: the desktop picker or the browser lets the user decide.
      await local.startScreen(true)
    } catch (error) {
      notice.value = 'screen'
      console.warn('[duet] screen share failed', error)
    }
  }

  function stopScreenShare(): void {
    useDevicesStore().local?.stopScreen()
  }

  function onScreenTrack(track: MediaStreamTrack | null): void {
    sharingScreen.value = track !== null
    if (track) performance.mark('duet:share-source-chosen')
    sendMediaState()
    void useHost().screen.setSharingBar(track !== null)
  }

  /**
   * Leave the lesson; the other person stays and this person may come back.
   * Works at once whatever the server is doing: nothing here waits for it.
   * With the socket down (reconnecting) the leave goes over HTTP, so the
   * other person hears "left" now rather than after the seat's grace period.
   */
  function leave(): void {
    if (!pass) return
    outcome.value = {
      kind: 'left',
      tutorName: pass.tutorName,
      startedAt: lesson.value?.startedAt ?? null,
      leftAt: Date.now(),
      // Before the first welcome the pass says who this is.
      self: self.value ?? { id: pass.participantId, name: pass.selfName, role: pass.role },
      peer: peer.value,
    }
    if (!socket?.send({ type: 'leave' })) {
      // Best effort: a server that is away hears nothing, and the seat's grace period ends it.
      new SessionApi(pass.server).leave(pass.lessonId, pass.token).catch(() => {})
    }
    teardown()
  }

  /** Tutor only: ends the lesson for both; the server answers with the summary. The recording is saved first. */
  async function endLesson(): Promise<void> {
    await useRecordingStore().finishBeforeEnd()
    socket?.send({ type: 'end-lesson' })
  }

  function teardown(): void {
    inLesson.value = false
    cameraView = null
    // The recording asks every feature for its files as it detaches (the chat's too), so the chat goes after it.
    void useRecordingStore().detach()
    useChatStore().detach()
    stopHostListeners?.()
    stopHostListeners = null
    window.removeEventListener('online', onOnline)
    if (sharingScreen.value) void useHost().screen.setSharingBar(false)
    sharingScreen.value = false
    remoteScreen.value = null
    engine?.close()
    engine = null
    socket?.close()
    socket = null
    remoteStream.value = null
    mediaState.value = 'idle'
    stats.value = null
    selfLink.value = null
    peerLink.value = null
    weakLink.value = null
    weakWatch = new WeakLinkWatch()
    useDevicesStore().close()
    void useHost().app.setLessonActive(false)
  }

  function leaveQuietly(): void {
    if (socket) teardown()
  }

  return {
    self,
    peer,
    peerPresence,
    peerMedia,
    lesson,
    socketState,
    mediaState,
    remoteStream,
    remoteScreen,
    sharingScreen,
    screenPermissionDenied,
    startScreenShare,
    stopScreenShare,
    stats,
    selfLink,
    peerLink,
    weakLink,
    fatal,
    notice,
    outcome,
    micEnabled,
    cameraEnabled,
    inLesson,
    enter,
    toggleMic,
    toggleCamera,
    showingPeerCameraAt,
    leave,
    endLesson,
    dismissNotice: () => (notice.value = null),
  }
})
