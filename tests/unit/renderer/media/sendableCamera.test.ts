import { describe, expect, it } from 'vitest'
import type { TrackProcessorClass } from '../../../../src/renderer/media/frameCanvas/trackProcessor'
import { cameraCanBeSent } from '../../../../src/renderer/media/sendableCamera'
import { asTrack, FakeTrack } from '../fakeMedia'

/** A camera track whose clone the probe reads; `format` is what its frames report (null: 16-bit depth). */
function camera(): { track: MediaStreamTrack; clones: FakeTrack[] } {
  const clones: FakeTrack[] = []
  const track = new FakeTrack('video', 'camera', 'cam-1') as FakeTrack & { clone(): FakeTrack }
  track.clone = () => {
    const copy = new FakeTrack('video', 'camera', 'cam-1')
    clones.push(copy)
    return copy
  }
  return { track: asTrack(track), clones }
}

function processorGiving(format: string | null | 'never'): TrackProcessorClass {
  return class {
    readonly readable = new ReadableStream<VideoFrame>({
      start(controller) {
        if (format !== 'never') controller.enqueue({ format, close: () => {} } as unknown as VideoFrame)
      },
    })
  }
}

describe('cameraCanBeSent', () => {
  it('tells a camera whose frames have no pixel format (depth, infrared) from one that can be sent', async () => {
    for (const [format, sendable] of [['I420', true], ['NV12', true], [null, false]] as const) {
      const { track, clones } = camera()
      expect(await cameraCanBeSent(track, processorGiving(format))).toBe(sendable)
      // The probe reads a copy, and stops it; the camera itself stays on.
      expect(clones.map((c) => c.readyState)).toEqual(['ended'])
      expect(track.readyState).toBe('live')
    }
  })

  it('gives a camera the benefit of the doubt where it cannot tell', async () => {
    expect(await cameraCanBeSent(camera().track, null)).toBe(true)
    expect(await cameraCanBeSent(camera().track, processorGiving('never'))).toBe(true)
  })
})
