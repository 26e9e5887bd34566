import { describe, expect, it } from 'vitest'
import { LocalMedia, MediaAccessError } from '../../../../src/renderer/media/LocalMedia'
import { FakeStream, FakeTrack } from '../fakeMedia'

interface Camera {
  id: string
  label: string
  /** A depth or infrared camera: it opens, but its picture cannot be sent. */
  depth?: boolean
}

const CAMERAS: Camera[] = [
  { id: 'cam-a', label: 'Built-in camera' },
  { id: 'cam-depth', label: 'RealSense depth', depth: true },
  { id: 'cam-c', label: 'USB camera' },
]

/**
 * getUserMedia as Chromium answers it: an exact deviceId opens that device
 * (or fails with OverconstrainedError); a merely preferred one is ignored
 * and the first device opens (what Chromium did with fake devices).
 */
function devices(cameras = CAMERAS) {
  const opened: string[] = []
  const pick = (c: ConstrainDOMString | undefined): Camera | undefined => {
    const exact = typeof c === 'object' && c !== null && !Array.isArray(c) && 'exact' in c ? (c.exact as string) : null
    return exact === null ? cameras[0] : cameras.find((cam) => cam.id === exact)
  }
  const mediaDevices = {
    getUserMedia: async (constraints: MediaStreamConstraints) => {
      const tracks: FakeTrack[] = []
      if (constraints.video) {
        const cam = pick((constraints.video as MediaTrackConstraints).deviceId)
        if (!cam) throw Object.assign(new Error('no such camera'), { name: 'OverconstrainedError' })
        opened.push(cam.id)
        tracks.push(new FakeTrack('video', cam.label, cam.id))
      }
      if (constraints.audio) tracks.push(new FakeTrack('audio', 'Microphone', 'mic-1'))
      return new FakeStream(tracks) as unknown as MediaStream
    },
    enumerateDevices: async () => cameras.map((c) => ({ kind: 'videoinput', deviceId: c.id, label: c.label, groupId: '' })),
  } as unknown as MediaDevices
  const canSend = async (track: MediaStreamTrack) => !cameras.find((c) => c.id === track.getSettings().deviceId)?.depth
  return { mediaDevices, canSend, opened }
}

const choice = (cameraId: string | null) => ({ cameraId, microphoneId: null, speakerId: null })

describe('LocalMedia: which camera it opens', () => {
  it('opens the remembered camera itself, not the first one', async () => {
    const d = devices()
    const media = new LocalMedia(choice('cam-c'), d.mediaDevices, d.canSend)
    await media.start()
    expect(media.video?.getSettings().deviceId).toBe('cam-c')
    // Camera off and on again: still that camera.
    await media.setCameraEnabled(false)
    await media.setCameraEnabled(true)
    expect(media.video?.getSettings().deviceId).toBe('cam-c')
  })

  it('opens the system’s camera when the remembered one is gone, and keeps remembering it', async () => {
    const d = devices()
    const media = new LocalMedia(choice('cam-unplugged'), d.mediaDevices, d.canSend)
    expect(await media.start()).toEqual({ videoProblem: null, skippedCamera: null })
    expect(media.video?.getSettings().deviceId).toBe('cam-a')
    expect(media.devices.cameraId).toBe('cam-unplugged')
  })

  it('skips a camera whose picture cannot be sent, and says which', async () => {
    const d = devices()
    const media = new LocalMedia(choice('cam-depth'), d.mediaDevices, d.canSend)
    expect(await media.start()).toEqual({ videoProblem: null, skippedCamera: 'RealSense depth' })
    expect(media.video?.getSettings().deviceId).toBe('cam-a')
    expect(media.unsendable.has('cam-depth')).toBe(true)
    expect(media.audio).not.toBeNull()
  })

  it('goes on with the microphone alone when no camera can be sent', async () => {
    const d = devices([{ id: 'cam-depth', label: 'RealSense depth', depth: true }])
    const media = new LocalMedia(choice(null), d.mediaDevices, d.canSend)
    expect(await media.start()).toEqual({ videoProblem: 'unsendable', skippedCamera: 'RealSense depth' })
    expect(media.video).toBeNull()
    expect(media.cameraEnabled).toBe(false)
    expect(media.audio).not.toBeNull()
  })

  it('refuses to switch to such a camera and keeps the one that works', async () => {
    const d = devices()
    const media = new LocalMedia(choice(null), d.mediaDevices, d.canSend)
    await media.start()
    const working = media.video
    const error = await media.switchDevice('video', 'cam-depth').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MediaAccessError)
    expect((error as MediaAccessError).problem).toBe('unsendable')
    expect(media.video).toBe(working)
    expect(working?.readyState).toBe('live')
    expect(media.devices.cameraId).toBeNull()
    expect(media.unsendable.has('cam-depth')).toBe(true)
    await media.switchDevice('video', 'cam-c')
    expect(media.video?.getSettings().deviceId).toBe('cam-c')
  })
})
