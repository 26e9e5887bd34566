import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BuiltinEngine } from '../../../../../src/renderer/media/builtin/BuiltinEngine'
import { ANSWERER_WAIT_MS, ICE_DISCONNECTED_GRACE_MS } from '../../../../../src/renderer/media/builtin/iceRestarts'
import { cameraScaleFor } from '../../../../../src/renderer/media/cameraScale'
import type { PeerMediaState } from '../../../../../src/renderer/media/MediaEngine'
import type { LocalTracks } from '../../../../../src/renderer/media/trackRoles'
import type { SignalData } from '../../../../../src/shared/lesson/signaling'
import { asTrack, FakeStream, FakeTrack } from '../../fakeMedia'
import { FakePeerConnection, FakeRtpReceiver, sessionOf, type FakeSender } from './fakePeerConnection'

/** A person's side of the call: the engine, its tracks, what it reported and what it signalled. */
interface Side {
  engine: BuiltinEngine
  tracks: LocalTracks
  states: PeerMediaState[]
  remoteStreams: (FakeStream | null)[]
  sent: SignalData[]
}

/**
 * The session server between two engines: each signal is relayed in order,
 * after the sender's current task, as a WebSocket delivers it.
 */
class Relay {
  private queue: Promise<void> = Promise.resolve()
  private pending = 0
  readonly sides = new Map<string, Side>()
  /** Who receives what each side sends (a reloaded page takes over its person's seat). */
  readonly peerOf = new Map<string, string>()

  send(from: string, data: SignalData): void {
    this.sides.get(from)?.sent.push(data)
    this.pending += 1
    this.queue = this.queue.then(async () => {
      this.pending -= 1
      const to = this.sides.get(this.peerOf.get(from) ?? '')
      await to?.engine.receiveSignal(structuredClone(data))
    })
  }

  /** Waits until no signal is in flight and nothing more is being negotiated. */
  async settle(): Promise<void> {
    for (let quiet = 0; quiet < 5; ) {
      await this.queue
      await new Promise((resolve) => setTimeout(resolve, 0))
      quiet = this.pending === 0 ? quiet + 1 : 0
    }
  }
}

function person(relay: Relay, name: string, polite: boolean): Side {
  const tracks: LocalTracks = {
    audio: asTrack(new FakeTrack('audio', `${name} mic`)),
    camera: asTrack(new FakeTrack('video', `${name} camera`)),
    screen: null,
    screenAudio: null,
  }
  const side: Side = {
    engine: new BuiltinEngine({
      iceServers: [{ urls: 'stun:stun.example.org' }],
      polite,
      sendSignal: (data) => relay.send(name, data),
      localTracks: () => tracks,
      statsIntervalMs: 3_600_000,
    }),
    tracks,
    states: [],
    remoteStreams: [],
    sent: [],
  }
  side.engine.events.on('state', (state) => side.states.push(state))
  side.engine.events.on('remote-stream', (stream) => side.remoteStreams.push(stream as unknown as FakeStream | null))
  relay.sides.set(name, side)
  return side
}

/** The connection an engine is using now (private to the engine; read here to check what went over the wire). */
function connectionOf(side: Side): FakePeerConnection {
  const pc = (side.engine as unknown as { pc: FakePeerConnection | null }).pc
  if (!pc) throw new Error('no connection')
  return pc
}

/** The two connections found each other: ICE and DTLS are up on both. */
function connect(...sides: Side[]): void {
  for (const side of sides) {
    connectionOf(side).setIce('connected')
    connectionOf(side).setConnection('connected')
  }
}

/** Tutor (offers: impolite) and student (answers: polite) in one call, the tutor's connection prepared while alone. */
async function call() {
  const relay = new Relay()
  relay.peerOf.set('tutor', 'student').set('student', 'tutor')
  const tutor = person(relay, 'tutor', false)
  tutor.engine.prepare()
  await relay.settle()
  const student = person(relay, 'student', true)
  student.engine.peerJoined('p-tutor')
  tutor.engine.peerJoined('p-student')
  await relay.settle()
  return { relay, tutor, student }
}

const descriptions = (side: Side) => side.sent.filter((d): d is Extract<SignalData, { kind: 'description' }> => d.kind === 'description')

beforeEach(() => {
  vi.stubGlobal('RTCPeerConnection', FakePeerConnection)
  vi.stubGlobal('RTCRtpReceiver', FakeRtpReceiver)
  vi.stubGlobal('MediaStream', FakeStream)
  FakePeerConnection.reset()
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('BuiltinEngine', () => {
  it('connects: a connection prepared while alone goes out when the student arrives, one transceiver per role, adopted by the student with its own tracks', async () => {
    const { tutor, student } = await call()
    const tutorPc = connectionOf(tutor)
    const studentPc = connectionOf(student)
    expect(FakePeerConnection.made).toHaveLength(2)
    expect(tutorPc.config).toMatchObject({ iceServers: [{ urls: 'stun:stun.example.org' }], bundlePolicy: 'max-bundle' })
    expect([tutorPc.signalingState, studentPc.signalingState]).toEqual(['stable', 'stable'])
    // Role order on both sides: audio, camera, screen, screen audio.
    expect(tutorPc.transceivers.map((t) => t.kind)).toEqual(['audio', 'video', 'video', 'audio'])
    expect(studentPc.transceivers.map((t) => t.kind)).toEqual(['audio', 'video', 'video', 'audio'])
    expect(tutorPc.transceivers.map((t) => t.sender.track)).toEqual([tutor.tracks.audio, tutor.tracks.camera, null, null])
    expect(studentPc.transceivers.map((t) => t.sender.track)).toEqual([student.tracks.audio, student.tracks.camera, null, null])
    expect(studentPc.transceivers.every((t) => t.direction === 'sendrecv')).toBe(true)
    // Each hears the other's camera and voice.
    expect(tutor.remoteStreams.at(-1)?.getTracks().map((t) => t.kind).sort()).toEqual(['audio', 'video'])
    expect(student.remoteStreams.at(-1)?.getTracks().map((t) => t.kind).sort()).toEqual(['audio', 'video'])
    // The offer asks the other side's encoder to start near HD.
    expect(descriptions(tutor)[0]?.description.sdp).toContain('x-google-start-bitrate=')
    // Voice first: both sides put RED (redundant audio) before Opus, or Chromium would not send it.
    for (const pc of [tutorPc, studentPc]) {
      for (const t of pc.transceivers.filter((t) => t.kind === 'audio')) expect(t.codecPreferences?.slice(0, 2).map((c) => c.mimeType)).toEqual(['audio/red', 'audio/opus'])
    }
    connect(tutor, student)
    expect(tutor.states.at(-1)).toBe('connected')
  })

  it('a path that breaks for both at the same moment (early in a lesson): only the tutor restarts ICE, the student answers it, and no offers cross', async () => {
    const { tutor, student } = await call()
    connect(tutor, student)
    vi.useFakeTimers()
    const tutorPc = connectionOf(tutor)
    const studentPc = connectionOf(student)
    const before = { tutor: descriptions(tutor).length, student: descriptions(student).length }
    tutorPc.setIce('disconnected')
    studentPc.setIce('disconnected')
    await vi.advanceTimersByTimeAsync(ICE_DISCONNECTED_GRACE_MS + 100)
    expect([tutorPc.restarts, studentPc.restarts]).toEqual([1, 0])
    const sentBy = (side: Side, since: number) => descriptions(side).slice(since).map((d) => d.description.type)
    expect(sentBy(tutor, before.tutor)).toEqual(['offer'])
    expect(sentBy(student, before.student)).toEqual(['answer'])
    expect(studentPc.remoteDescription?.sdp).toContain(`a=ice-ufrag:u${tutorPc.localUfrag}`)
    // The tutor's restart is under way: the student's own wait starts again from its offer.
    await vi.advanceTimersByTimeAsync(ANSWERER_WAIT_MS)
    expect(studentPc.restarts).toBe(0)
    tutorPc.setIce('connected')
    studentPc.setIce('connected')
    await vi.advanceTimersByTimeAsync(60_000)
    expect([tutorPc.restarts, studentPc.restarts]).toEqual([1, 0])
  })

  it('the student restarts ICE itself only when the tutor’s restart does not come', async () => {
    const { tutor, student } = await call()
    connect(tutor, student)
    vi.useFakeTimers()
    const studentPc = connectionOf(student)
    // Only the student's side sees the path down (say the tutor's page is stuck): nothing comes from the tutor.
    studentPc.setIce('disconnected')
    await vi.advanceTimersByTimeAsync(ICE_DISCONNECTED_GRACE_MS + ANSWERER_WAIT_MS - 100)
    expect(studentPc.restarts).toBe(0)
    await vi.advanceTimersByTimeAsync(200)
    expect(studentPc.restarts).toBe(1)
    expect(descriptions(student).at(-1)?.description.type).toBe('offer')
    expect(connectionOf(tutor).remoteDescription?.sdp).toContain(`a=ice-ufrag:u${studentPc.localUfrag}`)
  })

  it('both devices’ networks come back at once while the path is broken: only the tutor restarts ICE, so no offers cross; the student restarts only if the path is still down a wait later', async () => {
    const { tutor, student } = await call()
    connect(tutor, student)
    const warn = vi.spyOn(console, 'warn')
    const tutorPc = connectionOf(tutor)
    const studentPc = connectionOf(student)
    const before = { tutor: descriptions(tutor).length, student: descriptions(student).length }
    tutorPc.setIce('failed')
    studentPc.setIce('failed')
    vi.useFakeTimers()
    tutor.engine.networkBack()
    student.engine.networkBack()
    // The tutor's failed path was restarted once by its ICE watch and once for its network; the student made none.
    expect([tutorPc.restarts, studentPc.restarts]).toEqual([2, 0])
    await vi.advanceTimersByTimeAsync(100)
    const sentBy = (side: Side, since: number) => descriptions(side).slice(since).map((d) => d.description.type)
    // Before, both restarted here and the student rolled its own offer back to take the tutor's, after
    // which Chromium 156 never delivered the tutor's picture again (iceRestarts.ts).
    expect(sentBy(student, before.student).filter((type) => type === 'offer')).toEqual([])
    expect(sentBy(tutor, before.tutor).filter((type) => type === 'offer').length).toBeGreaterThan(0)
    expect([tutorPc.signalingState, studentPc.signalingState]).toEqual(['stable', 'stable'])
    expect(studentPc.remoteDescription?.sdp).toContain(`a=ice-ufrag:u${tutorPc.localUfrag}`)
    tutorPc.setIce('connected')
    studentPc.setIce('connected')
    await vi.advanceTimersByTimeAsync(60_000)
    expect([tutorPc.restarts, studentPc.restarts]).toEqual([2, 0])
    // The student's network comes back again and nothing comes from the tutor (their page is stuck): after the wait, its own restart.
    studentPc.setIce('disconnected')
    student.engine.networkBack()
    await vi.advanceTimersByTimeAsync(ANSWERER_WAIT_MS + 100)
    expect(studentPc.restarts).toBe(1)
    expect(descriptions(student).at(-1)?.description.type).toBe('offer')
    expect(connectionOf(tutor)).toBe(tutorPc)
    expect(connectionOf(student)).toBe(studentPc)
    expect(warn).not.toHaveBeenCalled()
  })

  it('replacing a track (another camera, camera off) swaps it on the sender without renegotiating; a small tile gets a smaller camera', async () => {
    const { relay, tutor, student } = await call()
    connect(tutor, student)
    const camera = connectionOf(student).transceivers[1]?.sender as FakeSender
    const sentBefore = student.sent.length + tutor.sent.length
    const other = asTrack(new FakeTrack('video', 'USB camera'))
    await student.engine.setLocalTrack('camera', other)
    expect(camera.track).toBe(other)
    // Sent in HD, resolution kept over frame rate.
    expect(camera.parameters.encodings[0]).toMatchObject({ scaleResolutionDownBy: 1 })
    expect(camera.parameters.degradationPreference).toBe('maintain-resolution')
    const full = camera.parameters.encodings[0]?.maxBitrate as number
    // The tutor shows the student's camera as a small tile: the student sends it smaller, with fewer bits.
    const tile = { width: 320, height: 180 }
    student.engine.setPeerCameraView(tile)
    await relay.settle()
    expect(camera.parameters.encodings[0]).toMatchObject({ scaleResolutionDownBy: cameraScaleFor(tile) })
    expect(cameraScaleFor(tile)).toBeGreaterThan(1)
    expect(camera.parameters.encodings[0]?.maxBitrate as number).toBeLessThan(full)
    await student.engine.setLocalTrack('camera', null)
    expect(camera.track).toBeNull()
    await relay.settle()
    expect(student.sent.length + tutor.sent.length).toBe(sentBefore)
    expect(FakePeerConnection.made).toHaveLength(2)
  })

  it('the voice on each side gets the deeper-redundancy transform (two earlier frames per packet), set before that side describes its media', async () => {
    // Chromium feeds no frames to a transform set on a sender already negotiated.
    const madeWhile: (string | null)[][] = []
    vi.stubGlobal('Worker', class { terminate() {} })
    vi.stubGlobal(
      'RTCRtpScriptTransform',
      class {
        constructor(
          readonly worker: unknown,
          readonly options: unknown,
        ) {
          madeWhile.push(FakePeerConnection.made.map((pc) => pc.localDescription?.type ?? null))
        }
      },
    )
    const { tutor, student } = await call()
    for (const pc of [connectionOf(tutor), connectionOf(student)]) {
      // Only the voice (not the shared screen's sound).
      expect(pc.transceivers.map((t) => t.sender.transform !== null)).toEqual([true, false, false, false])
      expect(pc.transceivers[0]!.sender.transform).toMatchObject({ options: { depth: 2 } })
    }
    // The tutor's before its offer; the student's before its answer.
    expect(madeWhile).toEqual([[null], ['offer', null]])
  })

  it('ICE: a failed path restarts at once; a disconnected one only if it has not recovered after the grace period', async () => {
    vi.useFakeTimers()
    const relay = new Relay()
    const tutor = person(relay, 'tutor', false)
    tutor.engine.prepare()
    const pc = connectionOf(tutor)
    pc.setIce('failed')
    expect(pc.restarts).toBe(1)
    pc.setIce('connected')
    pc.setIce('disconnected')
    await vi.advanceTimersByTimeAsync(2000)
    pc.setIce('connected')
    await vi.advanceTimersByTimeAsync(5000)
    expect(pc.restarts).toBe(1)
    pc.setIce('disconnected')
    await vi.advanceTimersByTimeAsync(2600)
    expect(pc.restarts).toBe(2)
    // The room hears the connection's state, not ICE's every step.
    pc.setConnection('connected')
    pc.setConnection('disconnected')
    expect(tutor.states.slice(-2)).toEqual(['connected', 'reconnecting'])
    tutor.engine.close()
  })

  it('the session server went away and came back: both keep the call; the tutor restarts ICE on the same connection', async () => {
    const { relay, tutor, student } = await call()
    connect(tutor, student)
    const pcs = { tutor: connectionOf(tutor), student: connectionOf(student) }
    const streams = { tutor: tutor.remoteStreams.length, student: student.remoteStreams.length }
    // Both are welcomed back with the other present.
    student.engine.peerJoined('p-tutor')
    tutor.engine.peerJoined('p-student')
    await relay.settle()
    expect(FakePeerConnection.made).toHaveLength(2)
    expect({ tutor: connectionOf(tutor), student: connectionOf(student) }).toEqual(pcs)
    expect(pcs.tutor.restarts).toBe(1)
    expect(pcs.student.remoteDescription?.sdp).toContain(`a=ice-ufrag:u${pcs.tutor.localUfrag}`)
    expect([pcs.tutor.signalingState, pcs.student.signalingState]).toEqual(['stable', 'stable'])
    // Nothing was torn down: no stream was taken away from either picture.
    expect(tutor.remoteStreams.slice(streams.tutor)).not.toContain(null)
    expect(student.remoteStreams.slice(streams.student)).not.toContain(null)
    expect(tutor.states.at(-1)).toBe('connected')
  })

  // The student reloading: the tutor's ICE restart reaches the fresh page, whose answer is from a new
  // session, so the tutor starts afresh. The tutor reloading: its fresh offer is from a new session, so
  // the student's kept connection gives way. Either way both meet on fresh connections.
  for (const reloads of ['student', 'tutor'] as const) {
    it(`the ${reloads} reloaded while the other’s connection still looked alive: both end on fresh connections, media both ways`, async () => {
      const { relay, tutor, student } = await call()
      connect(tutor, student)
      const stays = reloads === 'student' ? tutor : student
      const old = connectionOf(stays)
      ;(reloads === 'student' ? student : tutor).engine.close()
      const reloaded = person(relay, reloads, reloads === 'student')
      reloaded.engine.peerJoined('p-other')
      stays.engine.peerJoined('p-reloaded')
      await relay.settle()
      expect(old.closed).toBe(true)
      const now = { stays: connectionOf(stays), reloaded: connectionOf(reloaded) }
      expect([now.stays.signalingState, now.reloaded.signalingState]).toEqual(['stable', 'stable'])
      expect(sessionOf(now.stays.remoteDescription?.sdp)).toBe(now.reloaded.session)
      expect(sessionOf(now.reloaded.remoteDescription?.sdp)).toBe(now.stays.session)
      expect(now.reloaded.transceivers.map((t) => t.sender.track)).toEqual([reloaded.tracks.audio, reloaded.tracks.camera, null, null])
      for (const side of [stays, reloaded]) expect(side.remoteStreams.at(-1)?.getTracks()).toHaveLength(2)
    })
  }

  it('the other person lost the server but the call is up: the engine does not claim to be reconnecting; if it is down, it does', async () => {
    const { tutor, student } = await call()
    connect(tutor, student)
    tutor.engine.peerLeft('disconnected')
    expect(tutor.states.at(-1)).toBe('connected')
    connectionOf(tutor).setConnection('disconnected')
    tutor.engine.peerLeft('disconnected')
    expect(tutor.states.at(-1)).toBe('reconnecting')
    // Left for good: the connection goes, the picture is cleared.
    tutor.engine.peerLeft('left')
    expect(tutor.states.at(-1)).toBe('idle')
    expect(tutor.remoteStreams.at(-1)).toBeNull()
  })
})

